/** Money for display: amounts are integer fen (分); the arithmetic lives in shared/money.ts. */
import { fenToCapitalYuan, fenToYuanString, isFen } from '../../../shared/money'

/** "1234567.80" → "1,234,567.80". */
function groupThousands(yuan: string): string {
  const negative = yuan.charAt(0) === '-'
  const body = negative ? yuan.slice(1) : yuan
  const dot = body.indexOf('.')
  const whole = dot < 0 ? body : body.slice(0, dot)
  const rest = dot < 0 ? '' : body.slice(dot)
  let grouped = ''
  for (let i = whole.length; i > 0; i -= 3) grouped = whole.slice(Math.max(0, i - 3), i) + (grouped ? ',' + grouped : '')
  return (negative ? '-' : '') + grouped + rest
}

/** 123456 → "1,234.56"; null (not read from the receipt) → "". */
export function yuanNumber(fen: number | null | undefined): string {
  return isFen(fen) ? groupThousands(fenToYuanString(fen)) : ''
}

/** 123456 → "1,234.56 元"; a receipt without an amount says so in words. */
export function yuanText(fen: number | null | undefined): string {
  return isFen(fen) ? `${yuanNumber(fen)} 元` : '金额未填'
}

/** 123456 → "壹仟贰佰叁拾肆元伍角陆分" (大写, as written on Chinese financial papers). */
export function capitalText(fen: number | null | undefined): string {
  return isFen(fen) ? fenToCapitalYuan(fen) : ''
}
