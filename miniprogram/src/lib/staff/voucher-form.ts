/**
 * The voucher editor's form: text boxes as typed, turned into the fields of a PATCH holding only
 * what changed, with the same rules the server checks so a mistake is named before saving.
 */
import { fenToYuanString, parseYuanToFen } from '../../../../shared/money'
import type { StaffVoucher, VoucherFields } from '../../../../shared/schemas/vouchers'

export interface VoucherForm {
  amount: string
  date: string
  invoiceCode: string
  invoiceNumber: string
  payee: string
  description: string
  category: string
}

export type FormField = keyof VoucherForm

export const FORM_LABELS: Record<FormField, string> = {
  amount: '金额（元）',
  date: '日期',
  invoiceCode: '发票代码',
  invoiceNumber: '发票号码',
  payee: '收款方',
  description: '用途说明',
  category: '类别',
}

/** The form as the voucher stands. */
export function formOf(voucher: Pick<StaffVoucher, keyof VoucherFields>): VoucherForm {
  return {
    amount: voucher.amountFen === null ? '' : fenToYuanString(voucher.amountFen),
    date: voucher.date ?? '',
    invoiceCode: voucher.invoiceCode ?? '',
    invoiceNumber: voucher.invoiceNumber ?? '',
    payee: voucher.payee ?? '',
    description: voucher.description ?? '',
    category: voucher.category ?? '',
  }
}

/** Same bound as the server's schema: one hundred million yuan. */
const MAX_FEN = 100_000_000_00

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return false
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** "2026.3.5", "2026/03/05", "2026年3月5日" → "2026-03-05"; anything else unchanged. */
export function normalizeDate(text: string): string {
  const match = /^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$/.exec(text)
  if (!match) return text.trim()
  return `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`
}

export interface FormResult {
  /** Only the fields that differ from the voucher. */
  fields: Partial<VoucherFields>
  /** Plain Chinese, per field; empty when the form can be saved. */
  errors: Partial<Record<FormField, string>>
}

/** Checks the form and collects the changed fields. An emptied box clears the field (null). */
export function fieldsFromForm(form: VoucherForm, voucher: Pick<StaffVoucher, keyof VoucherFields>, categories: readonly string[]): FormResult {
  const errors: FormResult['errors'] = {}
  const next: Partial<VoucherFields> = {}

  const amountText = form.amount.trim()
  if (amountText === '') next.amountFen = null
  else {
    const fen = parseYuanToFen(amountText)
    if (fen === null) errors.amount = '金额请写数字，例如 128.50'
    else if (Math.abs(fen) > MAX_FEN) errors.amount = '金额太大了，请核对'
    else next.amountFen = fen
  }

  const dateText = normalizeDate(form.date)
  if (dateText === '') next.date = null
  else if (!isRealDate(dateText)) errors.date = '日期请写成 2026-03-05 这样'
  else next.date = dateText

  const code = form.invoiceCode.replace(/\s/g, '')
  if (code === '') next.invoiceCode = null
  else if (!/^\d{10}$|^\d{12}$/.test(code)) errors.invoiceCode = '发票代码是 10 位或 12 位数字'
  else next.invoiceCode = code

  const number = form.invoiceNumber.replace(/\s/g, '')
  if (number === '') next.invoiceNumber = null
  else if (!/^\d{8}$|^\d{20}$/.test(number)) errors.invoiceNumber = '发票号码是 8 位或 20 位数字'
  else next.invoiceNumber = number

  const payee = form.payee.trim()
  if (payee.length > 200) errors.payee = '收款方最多 200 个字'
  else next.payee = payee === '' ? null : payee

  const description = form.description.trim()
  if (description.length > 500) errors.description = '说明最多 500 个字'
  else next.description = description === '' ? null : description

  if (form.category === '') next.category = null
  else if (!categories.includes(form.category)) errors.category = '请从列表里选类别'
  else next.category = form.category as VoucherFields['category']

  const fields: Partial<VoucherFields> = {}
  for (const key of Object.keys(next) as Array<keyof VoucherFields>) {
    if (next[key] !== voucher[key]) (fields as Record<string, unknown>)[key] = next[key]
  }
  return { fields, errors }
}
