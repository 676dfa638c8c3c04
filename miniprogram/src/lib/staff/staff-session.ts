/**
 * The staff login kept on the phone, and what each role may open. Villagers never log in, so no
 * session means no staff entries at all.
 */
import type { LoginResponse } from '../../../../shared/schemas/auth'
import type { User } from '../../../../shared/schemas/users'
import type { KeyValueStore } from '../key-value-store'
import { utf8Decode } from '../utf8'

export const SESSION_KEY = 'yym:staffSession'
/** Log in again this long before the token runs out, so a form is not lost to a 401 mid-save. */
export const EXPIRY_MARGIN_MS = 2 * 60 * 1000

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** base64url (no padding) to bytes; null on a character outside the alphabet. WeChat has no atob. */
function base64UrlBytes(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const ch of clean) {
    const value = B64URL.indexOf(ch)
    if (value < 0) return null
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out.push((buffer >> bits) & 0xff)
    }
  }
  return new Uint8Array(out)
}

/** The `exp` claim of a JWT in ms since 1970, read without checking the signature (the server does that); null if unreadable. */
export function jwtExpiry(token: string): number | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const bytes = base64UrlBytes(parts[1])
  if (!bytes) return null
  try {
    const claims = JSON.parse(utf8Decode(bytes)) as { exp?: unknown }
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : null
  } catch {
    return null
  }
}

function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false
  const u = value as Partial<User>
  return (
    typeof u.id === 'number' &&
    typeof u.username === 'string' &&
    typeof u.displayName === 'string' &&
    (u.role === 'accountant' || u.role === 'official' || u.role === 'admin') &&
    (u.villageId === null || typeof u.villageId === 'number') &&
    (u.townId === null || typeof u.townId === 'number')
  )
}

export interface StaffSession {
  /** The saved login, or null when there is none or it is (nearly) expired; an expired one is removed. */
  current(): LoginResponse | null
  token(): string | null
  user(): User | null
  /** When the app should ask for a new login (ms since 1970), null without a session. */
  expiresAt(): number | null
  save(login: LoginResponse): void
  /** Updates the user (after GET /api/me) keeping the token. */
  updateUser(user: User): void
  clear(): void
  /**
   * Call with any failed request: a 401 (`token_expired`, `unauthorized`) ends the session.
   * True when it did, so the page sends the user to the login page.
   */
  handleError(err: unknown): boolean
}

export interface SessionOptions {
  now?: () => number
  marginMs?: number
}

export function createStaffSession(store: KeyValueStore, options: SessionOptions = {}): StaffSession {
  const now = options.now ?? (() => Date.now())
  const margin = options.marginMs ?? EXPIRY_MARGIN_MS

  /** The earlier of the token's own exp and the server's expiresAt, less the margin. */
  const deadline = (login: LoginResponse): number | null => {
    const times = [jwtExpiry(login.token), Date.parse(login.expiresAt)].filter((t): t is number => t !== null && Number.isFinite(t))
    return times.length ? Math.min(...times) - margin : null
  }

  const remove = () => {
    try {
      store.remove(SESSION_KEY)
    } catch {
      // nothing to do
    }
  }

  const read = (): LoginResponse | null => {
    let raw: unknown
    try {
      raw = store.get(SESSION_KEY)
    } catch {
      return null
    }
    if (raw === undefined || raw === null) return null
    const saved = (typeof raw === 'object' ? raw : {}) as Partial<LoginResponse>
    if (typeof saved.token !== 'string' || typeof saved.expiresAt !== 'string' || !isUser(saved.user)) {
      remove()
      return null
    }
    const login = { token: saved.token, expiresAt: saved.expiresAt, user: saved.user }
    const until = deadline(login)
    if (until === null || now() >= until) {
      remove()
      return null
    }
    return login
  }

  const session: StaffSession = {
    current: read,
    token: () => read()?.token ?? null,
    user: () => read()?.user ?? null,
    expiresAt() {
      const login = read()
      return login ? deadline(login) : null
    },
    save(login) {
      store.set(SESSION_KEY, { token: login.token, expiresAt: login.expiresAt, user: login.user })
    },
    updateUser(user) {
      const login = read()
      if (login) session.save({ ...login, user })
    },
    clear: remove,
    handleError(err) {
      if (typeof err !== 'object' || err === null) return false
      const { status, code } = err as { status?: unknown; code?: unknown }
      if (status !== 401 && code !== 'token_expired' && code !== 'unauthorized') return false
      remove()
      return true
    },
  }
  return session
}

/** Staff pages (the staff subpackage). */
export const STAFF_PAGES = {
  login: '/staff/login/index',
  months: '/staff/months/index',
  upload: '/staff/upload/index',
  voucher: '/staff/voucher/index',
  review: '/staff/review/index',
  reviewMonth: '/staff/review-month/index',
} as const

export type StaffEntryKey = 'months' | 'upload' | 'review'

export interface StaffEntry {
  key: StaffEntryKey
  title: string
  url: string
  /** Shown but nothing can be changed from it (an admin looking in). */
  readOnly: boolean
}

/**
 * The staff entries a user sees: an accountant their village's months and upload; an official
 * their town's review queue; an admin the queue of every town, read-only (accounts are managed
 * with the command line); nobody else any.
 */
export function staffEntries(user: User | null): StaffEntry[] {
  if (!user) return []
  switch (user.role) {
    case 'accountant':
      if (user.villageId === null) return []
      return [
        { key: 'months', title: '本村账目', url: `${STAFF_PAGES.months}?villageId=${user.villageId}`, readOnly: false },
        { key: 'upload', title: '上传凭证', url: `${STAFF_PAGES.upload}?villageId=${user.villageId}`, readOnly: false },
      ]
    case 'official':
      if (user.townId === null) return []
      return [{ key: 'review', title: '待审核', url: `${STAFF_PAGES.review}?townId=${user.townId}`, readOnly: false }]
    case 'admin':
      return [{ key: 'review', title: '待审核（只读）', url: STAFF_PAGES.review, readOnly: true }]
    default:
      return []
  }
}

/** May this user upload to a village's open month? (Officials only correct while reviewing.) */
export function canUpload(user: User | null, villageId: number): boolean {
  return !!user && user.role === 'accountant' && user.villageId === villageId
}

/** May this user approve or reject a month of a village in this town? */
export function canReviewTown(user: User | null, townId: number): boolean {
  return !!user && user.role === 'official' && user.townId === townId
}
