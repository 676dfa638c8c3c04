import type { ChainRepository } from '../db/repositories/chain-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { Logger } from '../logger';
import type { ObjectStorage, SweepableStorage } from '../storage/object-storage';

/** What a sweep found: unreferenced objects deleted, unfinished writes removed. */
export interface SweepReport {
  checked: number;
  deleted: string[];
  abandonedWrites: number;
}

/** The prefixes the server writes (`originals/`, `images/`); nothing else is ever swept. */
const SWEPT_PREFIXES = ['originals', 'images'];
const KEYS_PER_QUERY = 200;

/**
 * Content-addressed files can be shared (the same image in two villages, the same thumbnail
 * after reprocessing), so a file is deleted only when no voucher refers to it any more, and
 * never once a chain entry names it: published images stay checkable for good.
 */
export class StorageJanitor {
  constructor(
    private readonly vouchers: VoucherRepository,
    private readonly chain: ChainRepository,
    private readonly storage: ObjectStorage & SweepableStorage,
    private readonly logger: Logger,
  ) {}

  async deleteUnreferenced(keys: string[]): Promise<void> {
    const unique = [...new Set(keys)];
    const inUse = await this.inUse(unique);
    for (const key of unique.filter((k) => !inUse.has(k))) {
      await this.storage.delete(key);
      this.logger.debug({ key }, '[storage:deleted-unreferenced]');
    }
  }

  /**
   * Removes what crashed processes left behind: files no voucher or chain entry names (an
   * original stored just before its upload's commit, copies a job stored just before it died,
   * old copies a finished job had not deleted yet) and unfinished writes, all only when last
   * written before `before`. Files are written before the row that names them is committed,
   * so the grace period must be far longer than any upload or job takes; a put of a key that
   * is already there counts as a write, so a retry adopting a leftover keeps it.
   */
  async sweep(before: Date): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, deleted: [], abandonedWrites: await this.storage.removeAbandonedWrites(before) };
    const isOld = async (key: string) => {
      const at = await this.storage.writtenAt(key);
      return at !== null && at < before;
    };
    for (const prefix of SWEPT_PREFIXES) {
      const listed = await this.storage.listWritten(prefix);
      report.checked += listed.length;
      const candidates = listed.filter((item) => item.writtenAt < before).map((item) => item.key);
      for (let i = 0; i < candidates.length; i += KEYS_PER_QUERY) {
        const old = candidates.slice(i, i + KEYS_PER_QUERY);
        const inUse = await this.inUse(old);
        for (const key of old.filter((k) => !inUse.has(k))) {
          // Looked at again just before: a put since (a retried upload, a job run again) keeps it.
          if (!(await isOld(key))) continue;
          await this.storage.delete(key);
          report.deleted.push(key);
        }
      }
    }
    if (report.deleted.length || report.abandonedWrites)
      this.logger.warn({ deleted: report.deleted, abandonedWrites: report.abandonedWrites }, '[storage:swept-leftovers]');
    return report;
  }

  private async inUse(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    return new Set([...(await this.vouchers.keysInUse(keys)), ...(await this.chain.publishedKeys(keys))]);
  }
}
