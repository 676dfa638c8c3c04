/** What the app remembers between visits: the last village and the 大字 (larger type) switch. */
import type { KeyValueStore } from './key-value-store'

const LAST_VILLAGE_KEY = 'yym:lastVillage'
const LARGE_TYPE_KEY = 'yym:largeType'

export interface RememberedVillage {
  id: number
  name: string
  townId: number
  townName: string
}

function safeGet(store: KeyValueStore, key: string): unknown {
  try {
    return store.get(key)
  } catch {
    return undefined
  }
}

function safeSet(store: KeyValueStore, key: string, value: unknown): void {
  try {
    store.set(key, value)
  } catch {
    // best effort
  }
}

export function loadLastVillage(store: KeyValueStore): RememberedVillage | null {
  const raw = safeGet(store, LAST_VILLAGE_KEY)
  if (typeof raw !== 'object' || raw === null) return null
  const v = raw as Partial<RememberedVillage>
  if (typeof v.id !== 'number' || v.id <= 0 || typeof v.name !== 'string') return null
  return { id: v.id, name: v.name, townId: typeof v.townId === 'number' ? v.townId : 0, townName: typeof v.townName === 'string' ? v.townName : '' }
}

export function saveLastVillage(store: KeyValueStore, village: RememberedVillage): void {
  safeSet(store, LAST_VILLAGE_KEY, { id: village.id, name: village.name, townId: village.townId, townName: village.townName })
}

export function loadLargeType(store: KeyValueStore): boolean {
  return safeGet(store, LARGE_TYPE_KEY) === true
}

export function saveLargeType(store: KeyValueStore, on: boolean): void {
  safeSet(store, LARGE_TYPE_KEY, on)
}
