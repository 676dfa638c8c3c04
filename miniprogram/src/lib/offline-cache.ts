/**
 * Keeps the last few things viewed (months, village pages) so they stay readable without a
 * network. Each item is its own storage key (WeChat allows 1 MB a key, 10 MB in all); an index
 * key keeps them newest first and the oldest are dropped beyond `limit`.
 */
import type { KeyValueStore } from './key-value-store'

export interface Saved<T> {
  value: T
  /** When it was saved (ms since 1970). */
  savedAt: number
}

export interface RecentCache<T> {
  save(id: string, value: T, now?: number): void
  load(id: string): Saved<T> | null
  /** Saved ids, most recently saved first. */
  ids(): string[]
}

function readIndex(store: KeyValueStore, key: string): string[] {
  const raw = store.get(key)
  return Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : []
}

export function recentCache<T>(store: KeyValueStore, namespace: string, limit: number): RecentCache<T> {
  const indexKey = `${namespace}:index`
  const itemKey = (id: string) => `${namespace}:item:${id}`
  return {
    save(id, value, now = Date.now()) {
      const index = readIndex(store, indexKey).filter((other) => other !== id)
      index.unshift(id)
      const dropped = index.splice(limit)
      try {
        store.set(itemKey(id), { value, savedAt: now })
        store.set(indexKey, index)
      } catch {
        // Storage full or unavailable: the page still works, it just is not kept offline.
        return
      }
      for (const old of dropped) {
        try {
          store.remove(itemKey(old))
        } catch {
          // ignore
        }
      }
    },
    load(id) {
      let raw: unknown
      try {
        raw = store.get(itemKey(id))
      } catch {
        return null
      }
      if (typeof raw !== 'object' || raw === null) return null
      const saved = raw as { value?: unknown; savedAt?: unknown }
      if (saved.value === undefined || typeof saved.savedAt !== 'number') return null
      return { value: saved.value as T, savedAt: saved.savedAt }
    },
    ids() {
      return readIndex(store, indexKey)
    },
  }
}

/** Cache keys. */
export function monthCacheId(villageId: number, month: string): string {
  return `${villageId}/${month}`
}
