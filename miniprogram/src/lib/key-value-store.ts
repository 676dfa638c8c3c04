/** The little storage the app needs, so the rules around it can be tested without Taro. */
export interface KeyValueStore {
  get(key: string): unknown
  /** May throw when storage is full; callers treat saving as best effort. */
  set(key: string, value: unknown): void
  remove(key: string): void
}

/** An in-memory store (tests, and a fallback when real storage fails). */
export function memoryStore(): KeyValueStore & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {}
  return {
    data,
    get: (key) => (Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined),
    set: (key, value) => {
      data[key] = value
    },
    remove: (key) => {
      delete data[key]
    },
  }
}
