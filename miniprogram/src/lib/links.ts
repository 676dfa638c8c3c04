/** Page addresses. The month page's address is fixed: the printed QR code's /m/:villageId/:month redirects to it. */

function query(params: Record<string, string | number | null | undefined>): string {
  const parts: string[] = []
  for (const key of Object.keys(params)) {
    const value = params[key]
    if (value === null || value === undefined || value === '') continue
    parts.push(`${key}=${encodeURIComponent(String(value))}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

export const HOME_PAGE = '/pages/index/index'

/** The home page showing the village choice even when a village is remembered. */
export function chooseVillagePath(): string {
  return `${HOME_PAGE}?choose=1`
}

export function villagePath(villageId: number): string {
  return `/pages/village/index${query({ villageId })}`
}

export function monthPath(villageId: number, month: string): string {
  return `/pages/month/index${query({ villageId, month })}`
}

/** `villageId` and `month` let the receipt page fall back to a saved month when offline. */
export function receiptPath(voucherId: number, villageId?: number, month?: string): string {
  return `/pages/receipt/index${query({ id: voucherId, villageId, month })}`
}

export function searchPath(villageId: number, townId?: number): string {
  return `/pages/search/index${query({ villageId, townId })}`
}

/** The short link printed on the bulletin-board sheet; the server redirects it to monthPath. */
export function monthShortLink(origin: string, villageId: number, month: string): string {
  return `${origin.replace(/\/+$/, '')}/m/${villageId}/${month}`
}

/** A page parameter as a positive integer id, or null. */
export function idParam(value: string | undefined): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null
  const n = Number(value)
  return n > 0 && n <= 2147483647 ? n : null
}
