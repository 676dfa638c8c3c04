import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, NETWORK_ERROR_MESSAGE, isNotFound, isUnreachable } from '../api/client'
import type { Saved } from '../lib/offline-cache'

export type Remote<T> =
  | { kind: 'loading' }
  /** `offlineSince`: shown from a saved copy made then, because the server could not be reached. */
  | { kind: 'ready'; data: T; offlineSince: number | null }
  | { kind: 'notFound' }
  | { kind: 'error'; message: string; detail: string | null }

export interface OfflineCopy<T> {
  load(): Saved<T> | null
  save(value: T): void
}

/**
 * Loads something from the API; when the server cannot be reached, shows the saved copy (if
 * any) marked offline. `key` changes reload. Returns the state and a retry function.
 */
export function useRemote<T>(key: string, load: () => Promise<T>, offline: OfflineCopy<T> | null): [Remote<T>, () => void] {
  const [state, setState] = useState<Remote<T>>({ kind: 'loading' })
  const latest = useRef(0)
  const loadRef = useRef(load)
  const offlineRef = useRef(offline)
  loadRef.current = load
  offlineRef.current = offline

  const run = useCallback(() => {
    const attempt = ++latest.current
    setState({ kind: 'loading' })
    loadRef.current().then(
      (data) => {
        if (attempt !== latest.current) return
        if (offlineRef.current) offlineRef.current.save(data)
        setState({ kind: 'ready', data, offlineSince: null })
      },
      (err: unknown) => {
        if (attempt !== latest.current) return
        if (isNotFound(err)) {
          setState({ kind: 'notFound' })
          return
        }
        const saved = isUnreachable(err) && offlineRef.current ? offlineRef.current.load() : null
        if (saved) {
          setState({ kind: 'ready', data: saved.value, offlineSince: saved.savedAt })
          return
        }
        const detail = err instanceof ApiError && err.message !== NETWORK_ERROR_MESSAGE ? err.message : null
        setState({ kind: 'error', message: NETWORK_ERROR_MESSAGE, detail })
      },
    )
  }, [])

  useEffect(() => {
    run()
    return () => {
      latest.current++
    }
  }, [key, run])

  return [state, run]
}
