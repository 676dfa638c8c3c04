import Taro from '@tarojs/taro'
import type { VillageChain } from '@shared/schemas/chain'
import type { TownList } from '@shared/schemas/directory'
import type { PublicVillage, PublicVoucherDetail, PublishedMonth, SearchResult } from '@shared/schemas/public'
import { apiUrl } from '../lib/config'

/** Shown when there is no usable message from the server (no network, timeout, HTML error page…). */
export const NETWORK_ERROR_MESSAGE = '网络不好，没有加载出来'

/** A failed API call. `message` is plain Chinese for the user; `status` is 0 when the request never got an answer. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string

  constructor(message: string, status: number, code: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    // Keep `instanceof ApiError` working when classes are compiled down to ES5.
    Object.setPrototypeOf(this, ApiError.prototype)
  }
}

/** Reads `{"error":{"code","message"}}`, the shape of every server error body; null for anything else. */
export function readErrorBody(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null) return null
  const error = (body as { error?: unknown }).error
  if (typeof error !== 'object' || error === null) return null
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (typeof message !== 'string' || message.trim() === '') return null
  return { code: typeof code === 'string' ? code : 'unknown', message }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  /** Sent as JSON. */
  data?: unknown
  header?: Record<string, string>
  /** Milliseconds; default 15 s. */
  timeout?: number
}

/** JSON request to our server. Resolves with the parsed body on 2xx, otherwise throws an ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', data, header = {}, timeout = 15000 } = options
  let response: { statusCode: number; data: unknown }
  try {
    response = await Taro.request({
      url: apiUrl(path),
      method,
      data: data as Taro.request.Option['data'],
      header: { Accept: 'application/json', ...(data === undefined ? {} : { 'Content-Type': 'application/json' }), ...header },
      dataType: 'json',
      timeout,
    })
  } catch {
    throw new ApiError(NETWORK_ERROR_MESSAGE, 0, 'network')
  }

  const { statusCode, data: body } = response
  if (statusCode >= 200 && statusCode < 300) {
    // 204 has no body by definition (a delete): resolve with nothing rather than call it broken.
    if (statusCode === 204) return undefined as T
    if (typeof body === 'object' && body !== null) return body as T
    // e.g. the SPA's index.html came back instead of JSON.
    throw new ApiError(NETWORK_ERROR_MESSAGE, statusCode, 'bad_response')
  }
  const serverError = readErrorBody(body)
  if (serverError) throw new ApiError(serverError.message, statusCode, serverError.code)
  throw new ApiError(NETWORK_ERROR_MESSAGE, statusCode, 'http_error')
}

export type TownWithVillages = TownList['towns'][number]

/** GET /api/towns: every town with its villages. */
export async function fetchTowns(): Promise<TownWithVillages[]> {
  const body = await request<Partial<TownList>>('/api/towns')
  if (!Array.isArray(body.towns)) throw new ApiError(NETWORK_ERROR_MESSAGE, 200, 'bad_response')
  return body.towns
}

function badResponse(): ApiError {
  return new ApiError(NETWORK_ERROR_MESSAGE, 200, 'bad_response')
}

/** True when the call never reached a working server (no network, timeout, server down): saved copies may stand in. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500 || err.code === 'bad_response')
}

/** True when the server says there is no such thing (a month not published answers exactly like one that does not exist). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404
}

/** GET /api/villages/:id: the village and its published months, newest first. */
export async function fetchVillage(villageId: number): Promise<PublicVillage> {
  const body = await request<Partial<PublicVillage>>(`/api/villages/${villageId}`)
  if (!body.village || !Array.isArray(body.months)) throw badResponse()
  return body as PublicVillage
}

/** GET /api/villages/:id/months/:month: every receipt of a published month. */
export async function fetchMonth(villageId: number, month: string): Promise<PublishedMonth> {
  const body = await request<Partial<PublishedMonth>>(`/api/villages/${villageId}/months/${month}`)
  if (!body.village || !Array.isArray(body.vouchers) || !Array.isArray(body.amendments)) throw badResponse()
  return body as PublishedMonth
}

/** GET /api/vouchers/:id/public: one receipt with its corrections. */
export async function fetchVoucher(voucherId: number): Promise<PublicVoucherDetail> {
  const body = await request<Partial<PublicVoucherDetail>>(`/api/vouchers/${voucherId}/public`)
  if (!body.voucher || !body.village || !Array.isArray(body.amendments)) throw badResponse()
  return body as PublicVoucherDetail
}

export interface SearchParams {
  q: string
  villageId?: number
  townId?: number
  page?: number
  pageSize?: number
}

/** GET /api/search over published receipts of a village or a town. */
export async function searchReceipts(params: SearchParams): Promise<SearchResult> {
  const query: string[] = ['q=' + encodeURIComponent(params.q)]
  if (params.villageId) query.push('villageId=' + params.villageId)
  if (params.townId) query.push('townId=' + params.townId)
  if (params.page) query.push('page=' + params.page)
  if (params.pageSize) query.push('pageSize=' + params.pageSize)
  const body = await request<Partial<SearchResult>>('/api/search?' + query.join('&'))
  if (!Array.isArray(body.hits) || typeof body.total !== 'number') throw badResponse()
  return body as SearchResult
}

/** GET /api/villages/:id/chain: the village's public chain, oldest entry first. */
export async function fetchChain(villageId: number): Promise<VillageChain> {
  const body = await request<Partial<VillageChain>>(`/api/villages/${villageId}/chain`)
  if (!Array.isArray(body.entries)) throw badResponse()
  return body as VillageChain
}

/** GET as raw bytes, exactly as sent (for hashing): chain manifests and images. */
export async function requestBytes(path: string, timeout = 20000): Promise<Uint8Array> {
  let response: { statusCode: number; data: unknown }
  try {
    response = await Taro.request({ url: apiUrl(path), method: 'GET', responseType: 'arraybuffer', dataType: '其他', timeout })
  } catch {
    throw new ApiError(NETWORK_ERROR_MESSAGE, 0, 'network')
  }
  if (response.statusCode < 200 || response.statusCode >= 300) throw new ApiError(NETWORK_ERROR_MESSAGE, response.statusCode, 'http_error')
  if (!(response.data instanceof ArrayBuffer)) throw badResponse()
  return new Uint8Array(response.data)
}

/** GET /api/chain/:digest: a manifest's bytes exactly as hashed. */
export function fetchManifestBytes(digest: string): Promise<Uint8Array> {
  return requestBytes(`/api/chain/${digest}`)
}
