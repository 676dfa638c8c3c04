/**
 * Uploading a month's photos one request per file, a few at a time, so one bad file or a dropped
 * connection costs only that file. The transport is injected: pages wire Taro.uploadFile (WeChat)
 * or XHR + FormData (H5) into `send`.
 */

export type UploadState =
  | { status: 'queued' }
  | { status: 'uploading'; progress: number }
  | { status: 'uploaded'; voucherId: number }
  | { status: 'failed'; message: string; retryable: boolean }
  | { status: 'cancelled' }

export interface UploadItem<F> {
  /** Local key for the page's list (not a voucher id). */
  key: number
  file: F
  state: UploadState
  /** Requests started for this file, retries included. */
  attempts: number
}

/** What one upload request came to. A rejected promise counts as a network failure. */
export type SendOutcome = { id: number } | { status: number; code?: string; message?: string; retryAfterMs?: number }

/** Lets `send` stop its request (UploadTask.abort, xhr.abort) when the user cancels. */
export interface CancelSignal {
  readonly cancelled: boolean
  onCancel(abort: () => void): void
}

export type Send<F> = (file: F, onProgress: (fraction: number) => void, signal: CancelSignal) => Promise<SendOutcome>

export interface UploadQueueOptions<F> {
  send: Send<F>
  /** Requests at once; default 2 (a village phone on a weak network). */
  concurrency?: number
  /** Wait before the one automatic retry of a network error or 5xx; default 1 s. */
  autoRetryDelayMs?: number
  /** Called with a fresh snapshot after every change. */
  onChange?: (items: UploadItem<F>[]) => void
}

export interface UploadQueue<F> {
  /** Queues files; answers their keys. */
  add(files: F[]): number[]
  /** Starts a failed or cancelled file again (the user pressed 重试). */
  retry(key: number): void
  retryAllFailed(): void
  /** Stops a queued or running file. A file the server already took still ends as uploaded. */
  cancel(key: number): void
  cancelAll(): void
  snapshot(): UploadItem<F>[]
  /** Resolves when nothing is queued, running or waiting to retry. */
  whenIdle(): Promise<void>
}

export const UPLOAD_NETWORK_MESSAGE = '网络不好，没有传上去'
export const UPLOAD_SERVER_MESSAGE = '服务器暂时出了问题，请稍后重试'
export const UPLOAD_REFUSED_MESSAGE = '这张没有传上去'
export const UPLOAD_TOO_LARGE_MESSAGE = '照片太大，传不上去'

/** Network failures and server trouble may pass on a second try; a 4xx answer will not. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500
}

function failureOf(outcome: { status: number; message?: string }): { message: string; retryable: boolean } {
  const retryable = isTransient(outcome.status)
  const serverMessage = typeof outcome.message === 'string' && outcome.message.trim() !== '' ? outcome.message : null
  if (outcome.status === 0) return { message: UPLOAD_NETWORK_MESSAGE, retryable }
  // 4xx messages are plain Chinese written for the accountant ("不是支持的图片格式"…): keep them.
  if (serverMessage && outcome.status < 500) return { message: serverMessage, retryable }
  if (outcome.status === 413) return { message: UPLOAD_TOO_LARGE_MESSAGE, retryable }
  return { message: outcome.status >= 500 ? UPLOAD_SERVER_MESSAGE : UPLOAD_REFUSED_MESSAGE, retryable }
}

/**
 * Reads the answer to one single-file POST …/vouchers (202 `{results:[{id}]}`, or an error body
 * `{error:{code,message}}`). `body` may still be the raw text: Taro.uploadFile does not parse JSON.
 */
export function readUploadAnswer(statusCode: number, body: unknown): SendOutcome {
  let data = body
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data)
    } catch {
      data = null
    }
  }
  const obj = (typeof data === 'object' && data !== null ? data : {}) as {
    results?: Array<{ id?: unknown; error?: { code?: unknown; message?: unknown } }>
    error?: { code?: unknown; message?: unknown; retryAfterSeconds?: unknown }
  }
  const first = Array.isArray(obj.results) ? obj.results[0] : undefined
  if (statusCode >= 200 && statusCode < 300) {
    if (first && typeof first.id === 'number') return { id: first.id }
    const err = first?.error
    if (err) return { status: 422, code: String(err.code ?? 'unknown'), message: typeof err.message === 'string' ? err.message : undefined }
    // A 2xx without our body (a proxy's page): worth one more try.
    return { status: 502, code: 'bad_response' }
  }
  const err = obj.error ?? first?.error
  const wait = (obj.error ?? {}).retryAfterSeconds
  return {
    status: statusCode,
    code: typeof err?.code === 'string' ? err.code : undefined,
    message: typeof err?.message === 'string' ? err.message : undefined,
    ...(typeof wait === 'number' && wait > 0 ? { retryAfterMs: Math.min(wait, 600) * 1000 } : {}),
  }
}

interface Entry<F> extends UploadItem<F> {
  /** Attempt generation: answers from an older attempt are ignored. */
  run: number
  abort: (() => void) | null
  retryTimer: ReturnType<typeof setTimeout> | null
  autoRetried: boolean
}

export function createUploadQueue<F>(options: UploadQueueOptions<F>): UploadQueue<F> {
  const { send, onChange } = options
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2))
  const autoRetryDelayMs = options.autoRetryDelayMs ?? 1000
  const entries: Entry<F>[] = []
  let nextKey = 1
  let idleWaiters: Array<() => void> = []

  const snapshot = (): UploadItem<F>[] =>
    entries.map((e) => ({ key: e.key, file: e.file, state: { ...e.state }, attempts: e.attempts }))

  const busy = () => entries.some((e) => e.state.status === 'queued' || e.state.status === 'uploading' || e.retryTimer !== null)

  function changed(): void {
    onChange?.(snapshot())
    if (!busy() && idleWaiters.length) {
      const waiters = idleWaiters
      idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  function pump(): void {
    let running = entries.filter((e) => e.state.status === 'uploading').length
    for (const entry of entries) {
      if (running >= concurrency) break
      if (entry.state.status !== 'queued' || entry.retryTimer !== null) continue
      running++
      start(entry)
    }
  }

  function start(entry: Entry<F>): void {
    const run = ++entry.run
    entry.attempts++
    entry.state = { status: 'uploading', progress: 0 }
    let cancelled = false
    const aborts: Array<() => void> = []
    entry.abort = () => {
      cancelled = true
      for (const abort of aborts) abort()
    }
    const signal: CancelSignal = {
      get cancelled() {
        return cancelled
      },
      onCancel: (abort) => {
        if (cancelled) abort()
        else aborts.push(abort)
      },
    }
    const onProgress = (fraction: number) => {
      if (entry.run !== run || entry.state.status !== 'uploading' || !Number.isFinite(fraction)) return
      // Never backwards, and 1 only once the server has answered.
      const progress = Math.min(0.99, Math.max(entry.state.progress, fraction))
      if (progress === entry.state.progress) return
      entry.state = { status: 'uploading', progress }
      changed()
    }
    changed()

    let promise: Promise<SendOutcome>
    try {
      promise = Promise.resolve(send(entry.file, onProgress, signal))
    } catch (err) {
      promise = Promise.reject(err)
    }
    promise.then(
      (outcome) => finish(entry, run, outcome),
      () => finish(entry, run, { status: 0, code: 'network' }),
    )
  }

  function finish(entry: Entry<F>, run: number, outcome: SendOutcome): void {
    if (entry.run !== run) return
    entry.abort = null
    if ('id' in outcome) {
      // Even after a cancel: the voucher exists now, hiding it would only make a duplicate later.
      entry.state = { status: 'uploaded', voucherId: outcome.id }
    } else if (entry.state.status === 'uploading') {
      const failure = failureOf(outcome)
      if (failure.retryable && !entry.autoRetried) {
        entry.autoRetried = true
        entry.state = { status: 'queued' }
        // A 429 says how long to wait (capped at 10 minutes when read).
        const delay = Math.max(autoRetryDelayMs, 'retryAfterMs' in outcome ? (outcome.retryAfterMs ?? 0) : 0)
        entry.retryTimer = setTimeout(() => {
          entry.retryTimer = null
          pump()
          changed()
        }, delay)
      } else {
        entry.state = { status: 'failed', ...failure }
      }
    }
    pump()
    changed()
  }

  function requeue(entry: Entry<F>): void {
    if (entry.state.status !== 'failed' && entry.state.status !== 'cancelled') return
    entry.state = { status: 'queued' }
    // A manual retry earns its own automatic retry.
    entry.autoRetried = false
  }

  function stop(entry: Entry<F>): boolean {
    if (entry.state.status !== 'queued' && entry.state.status !== 'uploading') return false
    if (entry.retryTimer !== null) clearTimeout(entry.retryTimer)
    entry.retryTimer = null
    const abort = entry.abort
    entry.abort = null
    entry.state = { status: 'cancelled' }
    abort?.()
    return true
  }

  return {
    add(files) {
      const keys: number[] = []
      for (const file of files) {
        const key = nextKey++
        keys.push(key)
        entries.push({ key, file, state: { status: 'queued' }, attempts: 0, run: 0, abort: null, retryTimer: null, autoRetried: false })
      }
      changed()
      pump()
      return keys
    },
    retry(key) {
      const entry = entries.find((e) => e.key === key)
      if (!entry) return
      requeue(entry)
      changed()
      pump()
    },
    retryAllFailed() {
      for (const entry of entries) if (entry.state.status === 'failed') requeue(entry)
      changed()
      pump()
    },
    cancel(key) {
      const entry = entries.find((e) => e.key === key)
      if (!entry || !stop(entry)) return
      changed()
      pump()
    },
    cancelAll() {
      let any = false
      for (const entry of entries) any = stop(entry) || any
      if (any) changed()
    },
    snapshot,
    whenIdle() {
      if (!busy()) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
  }
}

export interface UploadSummary {
  total: number
  uploaded: number
  failed: number
  cancelled: number
  /** Queued or uploading. */
  active: number
  /** Overall progress 0–1 of the files not cancelled, for one bar over the list. */
  progress: number
  voucherIds: number[]
}

export function summarizeUploads(items: ReadonlyArray<UploadItem<unknown>>): UploadSummary {
  const summary: UploadSummary = { total: items.length, uploaded: 0, failed: 0, cancelled: 0, active: 0, progress: 0, voucherIds: [] }
  let done = 0
  for (const { state } of items) {
    if (state.status === 'uploaded') {
      summary.uploaded++
      summary.voucherIds.push(state.voucherId)
      done += 1
    } else if (state.status === 'failed') {
      summary.failed++
      done += 1
    } else if (state.status === 'cancelled') {
      summary.cancelled++
    } else {
      summary.active++
      if (state.status === 'uploading') done += state.progress
    }
  }
  const counted = items.length - summary.cancelled
  summary.progress = counted > 0 ? done / counted : 1
  return summary
}
