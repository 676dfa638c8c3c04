/** The home page's choice of village: towns, then their villages, narrowed by what is typed. */

export interface TownLike {
  id: number
  name: string
  villages: { id: number; name: string }[]
}

/**
 * The towns to show: only `townId` when one is chosen; with a query, only villages whose name
 * (or whose town's name) contains it, and only towns that still have some.
 */
export function filterTowns<T extends TownLike>(towns: readonly T[], query: string, townId: number | null): T[] {
  const q = query.replace(/\s+/g, '')
  const out: T[] = []
  for (const town of towns) {
    if (townId !== null && town.id !== townId) continue
    if (!q || town.name.indexOf(q) >= 0) {
      out.push(town)
      continue
    }
    const villages = town.villages.filter((v) => v.name.indexOf(q) >= 0)
    if (villages.length > 0) out.push({ ...town, villages })
  }
  return out
}

export function countVillages(towns: readonly TownLike[]): number {
  return towns.reduce((sum, t) => sum + t.villages.length, 0)
}
