/**
 * Typed calls for the staff endpoints. The request helper and ApiError come in from
 * api/client.ts (see ./taro-staff-api.ts), so this file stays free of Taro and runs under node
 * against the real server in the tests.
 */
import type { LoginRequest, LoginResponse, MeResponse } from '../../../../shared/schemas/auth'
import type { Amendment, AmendmentChanges } from '../../../../shared/schemas/amendments'
import type { MonthStatus, ReviewQueueItem } from '../../../../shared/schemas/months'
import type { User } from '../../../../shared/schemas/users'
import type { StaffVoucher, VoucherPatch } from '../../../../shared/schemas/vouchers'
import type { StaffSession } from './staff-session'

export interface StaffRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  data?: unknown
  header?: Record<string, string>
  timeout?: number
}

/** What api/client.ts throws: `message` plain Chinese, `status` 0 when there was no answer. */
export interface ApiErrorLike extends Error {
  readonly status: number
  readonly code: string
}

export interface StaffApiDeps {
  /** api/client.ts `request`: parsed JSON on 2xx, otherwise throws an ApiError. */
  request<T>(path: string, options?: StaffRequestOptions): Promise<T>
  /** api/client.ts `ApiError`, so pages catch one error class whatever the call. */
  ApiError: new (message: string, status: number, code: string) => ApiErrorLike
  session: StaffSession
}

/** The code of the error a refused change turns into: the page offers 重新加载. */
export const RELOAD_CODE = 'reload'
export const RELOAD_MESSAGE = '内容已被别人改动，请重新加载后再操作'
export const LOGIN_AGAIN_MESSAGE = '登录已过期，请重新登录'

function isApiError(err: unknown): err is ApiErrorLike {
  return err instanceof Error && typeof (err as ApiErrorLike).status === 'number' && typeof (err as ApiErrorLike).code === 'string'
}

/** True for the error `reloadOnConflict` makes: what the page shows is stale, reload before acting. */
export function isReloadError(err: unknown): boolean {
  return isApiError(err) && err.status === 409 && err.code === RELOAD_CODE
}

/**
 * A 409 `conflict` (someone saved a newer version, the voucher is processing, the month moved on) becomes an
 * ApiError with code `reload`, keeping the server's Chinese message; anything else is returned as is.
 */
export function reloadOnConflict(err: unknown, ApiError: StaffApiDeps['ApiError']): unknown {
  if (!isApiError(err) || err.status !== 409 || err.code !== 'conflict') return err
  return new ApiError(err.message && err.message.trim() !== '' ? err.message : RELOAD_MESSAGE, 409, RELOAD_CODE)
}

export interface StaffApi {
  login(credentials: LoginRequest): Promise<LoginResponse>
  me(): Promise<User>
  monthStatus(villageId: number, month: string): Promise<MonthStatus>
  listVouchers(villageId: number, month: string): Promise<StaffVoucher[]>
  getVoucher(id: number): Promise<StaffVoucher>
  patchVoucher(id: number, patch: VoucherPatch): Promise<StaffVoucher>
  deleteVoucher(id: number): Promise<void>
  reprocessVoucher(id: number): Promise<StaffVoucher>
  submitMonth(villageId: number, month: string): Promise<MonthStatus>
  approveMonth(villageId: number, month: string, overrideReason?: string): Promise<MonthStatus>
  rejectMonth(villageId: number, month: string, reason: string): Promise<MonthStatus>
  reviewQueue(): Promise<ReviewQueueItem[]>
  listAmendments(villageId: number, month: string): Promise<Amendment[]>
  /** Requests waiting for a decision in the caller's town (official) or village (accountant). */
  pendingAmendments(): Promise<Amendment[]>
  requestAmendment(voucherId: number, changes: AmendmentChanges, reason: string): Promise<Amendment>
  approveAmendment(id: number, overrideReason?: string): Promise<Amendment>
  rejectAmendment(id: number, reason: string): Promise<Amendment>
  /** The upload address and header for Taro.uploadFile / XHR (one file per request, field `files`). */
  uploadTarget(villageId: number, month: string): { path: string; header: Record<string, string> }
}

const monthPath = (villageId: number, month: string) => `/api/villages/${villageId}/months/${encodeURIComponent(month)}`

export function createStaffApi(deps: StaffApiDeps): StaffApi {
  const { session, ApiError } = deps

  const authHeader = (): Record<string, string> => {
    const token = session.token()
    return token ? { Authorization: `Bearer ${token}` } : {}
  }

  async function call<T>(path: string, options: StaffRequestOptions = {}): Promise<T> {
    if (!session.token()) throw new ApiError(LOGIN_AGAIN_MESSAGE, 401, 'unauthorized')
    try {
      return await deps.request<T>(path, { ...options, header: { ...authHeader(), ...(options.header ?? {}) } })
    } catch (err) {
      session.handleError(err)
      throw reloadOnConflict(err, ApiError)
    }
  }

  const voucherOf = (body: { voucher: StaffVoucher }) => body.voucher
  const amendmentOf = (body: { amendment: Amendment }) => body.amendment

  return {
    async login(credentials) {
      // No session yet: straight to the request helper, and a 401 here means a wrong password.
      const login = await deps.request<LoginResponse>('/api/auth/login', { method: 'POST', data: credentials })
      session.save(login)
      return login
    },
    async me() {
      const { user } = await call<MeResponse>('/api/me')
      session.updateUser(user)
      return user
    },
    monthStatus: (villageId, month) => call<MonthStatus>(`${monthPath(villageId, month)}/status`),
    listVouchers: async (villageId, month) => (await call<{ vouchers: StaffVoucher[] }>(`${monthPath(villageId, month)}/vouchers`)).vouchers,
    getVoucher: async (id) => voucherOf(await call<{ voucher: StaffVoucher }>(`/api/vouchers/${id}`)),
    // POST, not PATCH: wx.request has no PATCH; the server takes the same body on both.
    patchVoucher: async (id, patch) => voucherOf(await call<{ voucher: StaffVoucher }>(`/api/vouchers/${id}`, { method: 'POST', data: patch })),
    deleteVoucher: async (id) => {
      await call<unknown>(`/api/vouchers/${id}`, { method: 'DELETE' })
    },
    reprocessVoucher: async (id) => voucherOf(await call<{ voucher: StaffVoucher }>(`/api/vouchers/${id}/reprocess`, { method: 'POST' })),
    submitMonth: (villageId, month) => call<MonthStatus>(`${monthPath(villageId, month)}/submit`, { method: 'POST' }),
    approveMonth: (villageId, month, overrideReason) =>
      call<MonthStatus>(`${monthPath(villageId, month)}/approve`, { method: 'POST', data: overrideReason === undefined ? {} : { overrideReason } }),
    rejectMonth: (villageId, month, reason) => call<MonthStatus>(`${monthPath(villageId, month)}/reject`, { method: 'POST', data: { reason } }),
    reviewQueue: async () => (await call<{ months: ReviewQueueItem[] }>('/api/review-queue')).months,
    listAmendments: async (villageId, month) => (await call<{ amendments: Amendment[] }>(`${monthPath(villageId, month)}/amendments`)).amendments,
    pendingAmendments: async () => (await call<{ amendments: Amendment[] }>('/api/amendments/pending')).amendments,
    requestAmendment: async (voucherId, changes, reason) =>
      amendmentOf(await call<{ amendment: Amendment }>(`/api/vouchers/${voucherId}/amendments`, { method: 'POST', data: { changes, reason } })),
    approveAmendment: async (id, overrideReason) =>
      amendmentOf(await call<{ amendment: Amendment }>(`/api/amendments/${id}/approve`, { method: 'POST', data: overrideReason === undefined ? {} : { overrideReason } })),
    rejectAmendment: async (id, reason) => amendmentOf(await call<{ amendment: Amendment }>(`/api/amendments/${id}/reject`, { method: 'POST', data: { reason } })),
    uploadTarget: (villageId, month) => ({ path: `${monthPath(villageId, month)}/vouchers`, header: authHeader() }),
  }
}
