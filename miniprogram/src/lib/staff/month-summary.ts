/** What the accountant and the official read about a month at a glance, and what still blocks it. */
import type { PublicationStatus } from '../../../../shared/schemas/months'
import type { StaffVoucher, VoucherFlag } from '../../../../shared/schemas/vouchers'

export const MONTH_STATUS_TEXT: Record<PublicationStatus, string> = {
  draft: '还没提交',
  submitted: '已提交，等镇里审核',
  rejected: '被退回，需要修改',
  published: '已经公开',
}

/** Vouchers may be added, changed and removed only in these states. */
export function isEditableStatus(status: PublicationStatus): boolean {
  return status === 'draft' || status === 'rejected'
}

export const FLAG_TEXT: Record<VoucherFlag['type'], string> = {
  needs_checking: '需要核对',
  duplicate: '可能重复',
  personal_data: '有个人信息',
}

/** Flags not yet looked at, in a fixed order. */
export function openFlags(voucher: Pick<StaffVoucher, 'flags'>): VoucherFlag[] {
  const order: VoucherFlag['type'][] = ['needs_checking', 'duplicate', 'personal_data']
  return voucher.flags.filter((f) => !f.acknowledged).sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
}

/** Why this voucher stops the month being submitted (the server's rule), or null. */
export function submitBlocker(voucher: Pick<StaffVoucher, 'status' | 'flags'>): string | null {
  if (voucher.status === 'processing') return '还在识别中'
  if (voucher.status === 'failed') return '处理失败，请重新识别或删除'
  const open = openFlags(voucher).filter((f) => f.type !== 'personal_data')
  if (open.some((f) => f.type === 'duplicate')) return '可能重复，请确认'
  if (open.length) return '需要核对，请确认'
  return null
}

export interface MonthSummary {
  /** Vouchers that count (withdrawn ones do not). */
  count: number
  totalFen: number
  /** Vouchers without an amount yet. */
  missingAmount: number
  processing: number
  failed: number
  openFlags: Record<VoucherFlag['type'], number>
  /** One line per voucher that blocks submitting, numbered as the list shows them (1-based). */
  blockers: Array<{ id: number; position: number; reason: string }>
}

export function summarizeMonth(vouchers: ReadonlyArray<Pick<StaffVoucher, 'id' | 'status' | 'flags' | 'amountFen' | 'withdrawn'>>): MonthSummary {
  const summary: MonthSummary = {
    count: 0,
    totalFen: 0,
    missingAmount: 0,
    processing: 0,
    failed: 0,
    openFlags: { needs_checking: 0, duplicate: 0, personal_data: 0 },
    blockers: [],
  }
  vouchers.forEach((v, index) => {
    if (v.status === 'processing') summary.processing++
    if (v.status === 'failed') summary.failed++
    for (const flag of openFlags(v)) summary.openFlags[flag.type]++
    const reason = submitBlocker(v)
    if (reason) summary.blockers.push({ id: v.id, position: index + 1, reason })
    if (v.withdrawn) return
    summary.count++
    if (v.amountFen === null) summary.missingAmount++
    else summary.totalFen += v.amountFen
  })
  return summary
}

/** This month in Beijing time, `YYYY-MM` (the phone's clock may sit in any zone). */
export function currentMonthInShanghai(nowMs: number): string {
  const shanghai = new Date(nowMs + 8 * 3600 * 1000)
  const m = shanghai.getUTCMonth() + 1
  return `${shanghai.getUTCFullYear()}-${m < 10 ? '0' : ''}${m}`
}
