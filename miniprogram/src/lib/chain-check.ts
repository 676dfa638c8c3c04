/**
 * The 核验 on the phone: the village's public chain is fetched, the manifests behind this month
 * are fetched as raw bytes, and their sha256 is recomputed here (not trusted from the server).
 * Then: each digest matches its bytes, every entry links to the one before it, the month's
 * digests are the ones the page shows, and what the page shows (total, this receipt) is what
 * the hashed manifests say.
 */
import type { ChainEntry } from '../../../shared/schemas/chain'
import { sha256Hex } from './sha256'
import { utf8Decode } from './utf8'
import { yuanText } from './money-format'

export type ChainEntryLike = Pick<ChainEntry, 'seq' | 'digest' | 'prev' | 'kind' | 'month'>

/** What the month page claims. */
export interface MonthClaim {
  villageId: number
  month: string
  /** The month's latest digest, and the one that first published it. */
  digest: string
  publicationDigest: string
  /** The month's total as shown; not checked when absent (the receipt page does not show it). */
  totalFen?: number
}

/** What the receipt page claims about one receipt. */
export interface VoucherClaim {
  id: number
  amountFen: number | null
  payee: string | null
  date: string | null
  withdrawn: boolean
  /** sha256 named in the display image's address. */
  displaySha256: string | null
  /** Fetches the display image's bytes, to hash them too; optional. */
  loadImage?: () => Promise<Uint8Array>
}

/** Raw manifest bytes for a digest (GET /api/chain/:digest); rejects when there is no network. */
export type ManifestFetcher = (digest: string) => Promise<Uint8Array>

export interface ChainCheckResult {
  ok: boolean
  /** What was checked and found right, in plain words. */
  passed: string[]
  /** What did not match, in plain words. Empty when ok. */
  problems: string[]
}

interface ManifestVoucherLike {
  id: number
  amountFen: number | null
  payee: string | null
  date: string | null
  displaySha256: string
}

interface ManifestLike {
  kind?: string
  month?: string
  village?: { id?: number }
  prev?: string | null
  totalFen?: number
  vouchers?: ManifestVoucherLike[]
  voucher?: ManifestVoucherLike
  withdrawn?: boolean
}

/** Checks the list of entries alone: numbered 1, 2, 3… and each naming the one before. Returns the bad seqs' sentences. */
export function checkLinks(entries: readonly ChainEntryLike[]): string[] {
  const problems: string[] = []
  entries.forEach((entry, index) => {
    const expectedPrev = index === 0 ? null : entries[index - 1].digest
    if (entry.seq !== index + 1) problems.push(`公开链第 ${index + 1} 条的编号不对（写的是第 ${entry.seq} 条）`)
    if (entry.prev !== expectedPrev) problems.push(`公开链第 ${index + 1} 条没有接上前一条`)
  })
  return problems
}

function parseManifest(bytes: Uint8Array): ManifestLike | null {
  try {
    const value = JSON.parse(utf8Decode(bytes))
    return typeof value === 'object' && value !== null ? (value as ManifestLike) : null
  } catch {
    return null
  }
}

export async function checkMonthChain(
  entries: readonly ChainEntryLike[],
  claim: MonthClaim,
  fetchManifest: ManifestFetcher,
  voucher?: VoucherClaim,
): Promise<ChainCheckResult> {
  const passed: string[] = []
  const problems: string[] = []

  const linkProblems = checkLinks(entries)
  if (linkProblems.length === 0) passed.push(`本村公开链共 ${entries.length} 条记录，每一条都接着前一条`)
  else problems.push(...linkProblems)

  const monthEntries = entries.filter((e) => e.month === claim.month)
  if (monthEntries.length === 0) {
    problems.push('公开链里找不到本月的记录')
    return { ok: false, passed, problems }
  }
  const first = monthEntries[0]
  const last = monthEntries[monthEntries.length - 1]
  if (first.kind !== 'publication' || first.digest !== claim.publicationDigest) problems.push('本月第一次公开的记录与链上的不一致')
  if (last.digest !== claim.digest) problems.push('页面显示的核对码不是本月在链上的最新记录')

  // Each of the month's entries: fetch the bytes, hash them here, read what they say.
  const manifests: { entry: ChainEntryLike; manifest: ManifestLike | null }[] = []
  let hashesOk = true
  for (const entry of monthEntries) {
    const position = entries.indexOf(entry) + 1
    const bytes = await fetchManifest(entry.digest)
    if (sha256Hex(bytes) !== entry.digest) {
      hashesOk = false
      problems.push(`公开链第 ${position} 条的内容与它的摘要不符`)
      manifests.push({ entry, manifest: null })
      continue
    }
    const manifest = parseManifest(bytes)
    if (!manifest) {
      hashesOk = false
      problems.push(`公开链第 ${position} 条的内容读不出来`)
    } else {
      if ((manifest.prev === undefined ? null : manifest.prev) !== entry.prev) problems.push(`公开链第 ${position} 条里记下的上一条与链不一致`)
      if (manifest.month !== claim.month || !manifest.village || manifest.village.id !== claim.villageId || manifest.kind !== entry.kind)
        problems.push(`公开链第 ${position} 条不是本村本月的记录`)
    }
    manifests.push({ entry, manifest })
  }
  if (hashesOk) passed.push(`本月 ${monthEntries.length} 条记录的内容，在手机上重新计算 sha256，都与摘要一致`)

  const latest = manifests[manifests.length - 1].manifest
  if (latest && claim.totalFen !== undefined) {
    if (latest.totalFen === claim.totalFen) passed.push(`本月合计 ${yuanText(claim.totalFen)} 与记录一致`)
    else problems.push(`本月合计与记录不一致（记录是 ${yuanText(typeof latest.totalFen === 'number' ? latest.totalFen : null)}）`)
  }

  if (voucher) await checkVoucher(manifests, voucher, passed, problems)
  return { ok: problems.length === 0, passed, problems }
}

/** The receipt as the newest entry naming it says it is. */
async function checkVoucher(
  manifests: { manifest: ManifestLike | null }[],
  voucher: VoucherClaim,
  passed: string[],
  problems: string[],
): Promise<void> {
  let recorded: ManifestVoucherLike | null = null
  let withdrawn = false
  for (const { manifest } of manifests) {
    if (!manifest) continue
    if (manifest.kind === 'publication' && Array.isArray(manifest.vouchers)) {
      const found = manifest.vouchers.filter((v) => v && v.id === voucher.id)[0]
      if (found) {
        recorded = found
        withdrawn = false
      }
    } else if (manifest.kind === 'amendment' && manifest.voucher && manifest.voucher.id === voucher.id) {
      recorded = manifest.voucher
      withdrawn = manifest.withdrawn === true
    }
  }
  if (!recorded) {
    problems.push('本月的记录里没有这张收据')
    return
  }
  const same =
    recorded.amountFen === voucher.amountFen && recorded.payee === voucher.payee && recorded.date === voucher.date && withdrawn === voucher.withdrawn
  if (same) passed.push('这张收据的金额、收款方、日期与记录一致')
  else problems.push('这张收据显示的内容与记录不一致')
  if (voucher.displaySha256 !== recorded.displaySha256) {
    problems.push('这张收据的图片不是记录里的那一张')
    return
  }
  if (voucher.loadImage) {
    const bytes = await voucher.loadImage()
    if (sha256Hex(bytes) === recorded.displaySha256) passed.push('图片文件在手机上重新计算 sha256，与记录一致')
    else problems.push('图片文件与记录不符')
  }
}
