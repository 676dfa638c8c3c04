/**
 * Build-time settings. `API_BASE_URL` comes from the `API_BASE_URL` env when building
 * (see config/index.ts); '' means "same origin", which is right for the H5 build served by the Koa server.
 * The WeChat build needs an absolute https URL here.
 */
export const API_BASE_URL: string = __API_BASE_URL__

/** Joins the base URL and an absolute API path such as `/api/towns`. */
export function apiUrl(path: string): string {
  return `${API_BASE_URL}${path.startsWith('/') ? path : `/${path}`}`
}

/** An image address from an API answer (`/api/images/…`, relative) as <Image> needs it. */
export function imageSrc(url: string): string {
  return /^https?:\/\//.test(url) ? url : apiUrl(url)
}
