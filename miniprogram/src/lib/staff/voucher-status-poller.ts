/**
 * After an upload the server reads each photo in the background (processing → ready | failed).
 * This asks again with growing pauses until every watched voucher has settled or time runs out.
 */
import type { StaffVoucher } from '../../../../shared/schemas/vouchers'

export type VoucherProgress = Pick<StaffVoucher, 'id' | 'status' | 'processingError'>

export interface PollOptions {
  /** Voucher ids to watch. */
  ids: number[]
  /** Current statuses; typically the month's voucher list (one request for all of them). */
  fetchStatuses: () => Promise<VoucherProgress[]>
  /** First pause; default 2 s (reading a photo takes a few seconds). */
  initialDelayMs?: number
  /** Pauses double up to this; default 15 s. */
  maxDelayMs?: number
  /** Give up after this long; default 3 minutes. The page then offers 刷新. */
  timeoutMs?: number
  /** Called after every successful check with what is known so far. */
  onUpdate?: (statuses: VoucherProgress[]) => void
  now?: () => number
}

export interface PollResult {
  /** The last known state of every watched id that the server listed. */
  statuses: VoucherProgress[]
  /** Ids still processing (or not listed) when polling ended. */
  pending: number[]
  timedOut: boolean
  stopped: boolean
}

export interface Poll {
  result: Promise<PollResult>
  /** Ends polling now (the page was left); `result` resolves with `stopped`. */
  stop(): void
}

/** The status code of an error from the request helper, or 0. */
function statusOf(err: unknown): number {
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined
  return typeof status === 'number' ? status : 0
}

/**
 * Polls until settled. A failed check (network, 5xx) just waits for the next one; a 4xx (logged
 * out, no right to see the month) cannot get better by asking again, so `result` rejects with it.
 */
export function pollVoucherStatuses(options: PollOptions): Poll {
  const { ids, fetchStatuses, onUpdate } = options
  const initialDelayMs = options.initialDelayMs ?? 2000
  const maxDelayMs = options.maxDelayMs ?? 15000
  const timeoutMs = options.timeoutMs ?? 180000
  const now = options.now ?? (() => Date.now())
  const watched = new Set(ids)
  const known = new Map<number, VoucherProgress>()
  const startedAt = now()
  let timer: ReturnType<typeof setTimeout> | null = null
  let finished = false
  let settle: (result: PollResult) => void = () => undefined
  let fail: (err: unknown) => void = () => undefined

  const pending = () => ids.filter((id) => known.get(id)?.status !== 'ready' && known.get(id)?.status !== 'failed')
  const end = (flags: { timedOut: boolean; stopped: boolean }) => {
    if (finished) return
    finished = true
    if (timer !== null) clearTimeout(timer)
    timer = null
    settle({ statuses: ids.filter((id) => known.has(id)).map((id) => known.get(id)!), pending: pending(), ...flags })
  }

  const schedule = (delay: number) => {
    const left = timeoutMs - (now() - startedAt)
    if (left <= 0) return end({ timedOut: true, stopped: false })
    // The last check lands on the deadline rather than past it.
    timer = setTimeout(() => void check(delay), Math.min(delay, left))
  }

  const check = async (delay: number) => {
    timer = null
    try {
      const list = await fetchStatuses()
      if (finished) return
      for (const v of list) if (watched.has(v.id)) known.set(v.id, { id: v.id, status: v.status, processingError: v.processingError })
      onUpdate?.(ids.filter((id) => known.has(id)).map((id) => known.get(id)!))
    } catch (err) {
      if (finished) return
      const status = statusOf(err)
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        finished = true
        fail(err)
        return
      }
    }
    if (pending().length === 0) return end({ timedOut: false, stopped: false })
    schedule(Math.min(delay * 2, maxDelayMs))
  }

  const result = new Promise<PollResult>((resolve, reject) => {
    settle = resolve
    fail = reject
  })
  if (ids.length === 0) end({ timedOut: false, stopped: false })
  else schedule(initialDelayMs)
  return { result, stop: () => end({ timedOut: false, stopped: true }) }
}
