import Taro from '@tarojs/taro'
import type { TownList } from '@shared/schemas/directory'
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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

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
