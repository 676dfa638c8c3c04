/** What the month and receipt pages say about receipts: categories, amendments, withdrawals, alt text. */
import { CATEGORIES } from '../../../shared/categories'
import type { PublicAmendment, PublicVoucher, PublishedMonth } from '../../../shared/schemas/public'
import { dayLabel } from './months'
import { yuanText } from './money-format'

/** Receipts without a category are listed under this name (the server files them under 其他 in stats). */
export const NO_CATEGORY = '未分类'
export const ALL_CATEGORIES = '全部'

export interface CategoryChoice {
  /** ALL_CATEGORIES, a category, or NO_CATEGORY. */
  key: string
  label: string
  count: number
}

function categoryOf(v: Pick<PublicVoucher, 'category'>): string {
  return v.category || NO_CATEGORY
}

/** The filter chips: 全部 first, then every category present, in the usual order. */
export function categoryChoices(vouchers: readonly Pick<PublicVoucher, 'category'>[]): CategoryChoice[] {
  const counts: Record<string, number> = {}
  for (const v of vouchers) counts[categoryOf(v)] = (counts[categoryOf(v)] || 0) + 1
  const order: string[] = [...CATEGORIES, NO_CATEGORY]
  const choices: CategoryChoice[] = [{ key: ALL_CATEGORIES, label: `${ALL_CATEGORIES}（${vouchers.length}）`, count: vouchers.length }]
  for (const key of order) if (counts[key]) choices.push({ key, label: `${key}（${counts[key]}）`, count: counts[key] })
  return choices
}

export function filterByCategory<T extends Pick<PublicVoucher, 'category'>>(vouchers: readonly T[], key: string): T[] {
  if (key === ALL_CATEGORIES) return vouchers.slice()
  return vouchers.filter((v) => categoryOf(v) === key)
}

/** Text alternative of a receipt image: who was paid and how much. */
export function receiptImageAlt(v: Pick<PublicVoucher, 'payee' | 'amountFen'>, kind: '缩略图' | '图片' = '图片'): string {
  return `收据${kind}：收款方 ${v.payee || '未填'}，金额 ${yuanText(v.amountFen)}`
}

/** The payee, or a plain placeholder. */
export function payeeText(v: Pick<PublicVoucher, 'payee'>): string {
  return v.payee || '收款方未填'
}

/** The receipt's date as "2026年10月5日", or a plain placeholder. */
export function receiptDateText(v: Pick<PublicVoucher, 'date'>): string {
  return dayLabel(v.date) || '日期未填'
}

const FIELD_NAMES: Record<string, string> = {
  amountFen: '金额',
  payee: '收款方',
  date: '日期',
  description: '说明',
  category: '类别',
  invoiceCode: '发票代码',
  invoiceNumber: '发票号码',
}

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '空'
  if (field === 'amountFen' && typeof value === 'number') return yuanText(value)
  if (field === 'date' && typeof value === 'string') return dayLabel(value) || value
  return String(value)
}

/** One changed value in plain words, e.g. "金额由 100.00 元改为 120.00 元". */
export function describeChange(field: string, change: { from: unknown; to: unknown }): string {
  if (field === 'withdrawn') return change.to === true ? '这张收据被撤回' : '这张收据恢复有效'
  if (field === 'displaySha256' || field === 'thumbSha256') return ''
  const name = FIELD_NAMES[field] || field
  return `${name}由 ${valueText(field, change.from)} 改为 ${valueText(field, change.to)}`
}

/** All changes of one amendment in plain words; new images are one sentence. */
export function describeChanges(changes: PublicAmendment['changes']): string[] {
  const out: string[] = []
  let imageChanged = false
  for (const field of Object.keys(changes)) {
    if (field === 'displaySha256' || field === 'thumbSha256') {
      imageChanged = true
      continue
    }
    out.push(describeChange(field, changes[field]))
  }
  if (imageChanged) out.push('图片重新处理（遮挡了个人信息）')
  return out
}

export interface AmendmentNote {
  digest: string
  voucherId: number
  /** "第 3 张（张三五金店）" */
  title: string
  changes: string[]
  reason: string
  approvedOn: string
  withdrawn: boolean
}

/** Each approved correction of the month, for the banner at the top of the month page. */
export function amendmentNotes(month: Pick<PublishedMonth, 'vouchers' | 'amendments'>): AmendmentNote[] {
  return month.amendments.map((a) => {
    const index = month.vouchers.findIndex((v) => v.id === a.voucherId)
    const voucher = index >= 0 ? month.vouchers[index] : null
    const title = voucher ? `第 ${index + 1} 张（${payeeText(voucher)}）` : `编号 ${a.voucherId} 的收据`
    return { digest: a.digest, voucherId: a.voucherId, title, changes: describeChanges(a.changes), reason: a.reason, approvedOn: dayLabel(a.approvedAt), withdrawn: a.withdrawn }
  })
}

export function withdrawnReceipts<T extends Pick<PublicVoucher, 'status'>>(vouchers: readonly T[]): T[] {
  return vouchers.filter((v) => v.status === 'withdrawn')
}
