/** Months are `YYYY-MM` strings (plain code: shared/month.ts pulls in zod at run time). */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

export function isMonthText(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value)
}

function parts(month: string): { year: number; month: number } {
  const match = MONTH.exec(month)
  if (!match) throw new RangeError(`not a month: ${month}`)
  return { year: Number(match[1]), month: Number(match[2]) }
}

function format(year: number, month: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}`
}

/** "2026-03" → "2026年3月". */
export function monthLabel(month: string): string {
  const p = parts(month)
  return `${p.year}年${p.month}月`
}

/** "2026-03" → "3月". */
export function monthOnlyLabel(month: string): string {
  return `${parts(month).month}月`
}

/** The month `offset` months after (negative: before) `month`. */
export function addMonths(month: string, offset: number): string {
  const p = parts(month)
  const index = p.year * 12 + (p.month - 1) + offset
  return format(Math.floor(index / 12), (index % 12) + 1)
}

/** `count` consecutive months ending with `last`, oldest first. */
export function monthsEndingAt(last: string, count: number): string[] {
  const out: string[] = []
  for (let i = count - 1; i >= 0; i--) out.push(addMonths(last, -i))
  return out
}

/** A copy sorted newest month first (`YYYY-MM` sorts as text). */
export function newestFirst<T extends { month: string }>(items: readonly T[]): T[] {
  return items.slice().sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0))
}

/** "2026-11-03T02:30:00.000Z" → "2026年11月3日" in China's time zone (UTC+8); '' if unreadable. */
export function dayLabel(iso: string | null | undefined): string {
  if (!iso) return ''
  // A plain date of a receipt ("2026-10-05") is already a day in China.
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (plain) return `${Number(plain[1])}年${Number(plain[2])}月${Number(plain[3])}日`
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return ''
  const shifted = new Date(time + 8 * 3600 * 1000)
  return `${shifted.getUTCFullYear()}年${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日`
}

/** A moment as "11月3日 10:30" in China's time zone, for "saved at" notices. */
export function shortTimeLabel(epochMs: number): string {
  const shifted = new Date(epochMs + 8 * 3600 * 1000)
  const minutes = shifted.getUTCMinutes()
  return `${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日 ${shifted.getUTCHours()}:${minutes < 10 ? '0' : ''}${minutes}`
}
