/** The village page's chart: the last twelve months' totals as bars drawn with plain views. */
import { monthLabel, monthsEndingAt } from './months'
import { yuanText } from './money-format'

export interface MonthSummaryLike {
  month: string
  totalFen: number
  count: number
}

export interface MonthBar {
  month: string
  /** "2026年3月" */
  label: string
  published: boolean
  totalFen: number
  /** What the bar says in words: "1,234.56 元", or "未公开". */
  valueText: string
  /** Bar length in percent of the longest (0–100); a small non-zero total stays visible. */
  percent: number
}

/** Smallest visible bar for a non-zero total, in percent. */
export const MIN_VISIBLE_PERCENT = 2

/**
 * Twelve bars (or `count`) ending with the newest published month, oldest first; months not
 * published get an empty bar marked 未公开. No months → no bars.
 */
export function monthBars(months: readonly MonthSummaryLike[], count = 12): MonthBar[] {
  if (months.length === 0) return []
  const byMonth: Record<string, MonthSummaryLike> = {}
  let newest = months[0].month
  for (const m of months) {
    byMonth[m.month] = m
    if (m.month > newest) newest = m.month
  }
  const window = monthsEndingAt(newest, count)
  let max = 0
  for (const month of window) {
    const m = byMonth[month]
    if (m && m.totalFen > max) max = m.totalFen
  }
  return window.map((month) => {
    const m = byMonth[month]
    const totalFen = m ? m.totalFen : 0
    let percent = 0
    if (m && max > 0 && totalFen > 0) percent = Math.max(MIN_VISIBLE_PERCENT, Math.round((totalFen / max) * 1000) / 10)
    return { month, label: monthLabel(month), published: !!m, totalFen, valueText: m ? yuanText(totalFen) : '未公开', percent }
  })
}
