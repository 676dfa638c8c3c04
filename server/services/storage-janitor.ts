import type { ChainRepository } from '../db/repositories/chain-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { Logger } from '../logger';
import type { ObjectStorage } from '../storage/object-storage';

/**
 * Content-addressed files can be shared (the same image in two villages, the same thumbnail
 * after reprocessing), so a file is deleted only when no voucher refers to it any more, and
 * never once a chain entry names it: published images stay checkable for good.
 */
export class StorageJanitor {
  constructor(
    private readonly vouchers: VoucherRepository,
    private readonly chain: ChainRepository,
    private readonly storage: ObjectStorage,
    private readonly logger: Logger,
  ) {}

  async deleteUnreferenced(keys: string[]): Promise<void> {
    const unique = [...new Set(keys)];
    const inUse = new Set([...(await this.vouchers.keysInUse(unique)), ...(await this.chain.publishedKeys(unique))]);
    for (const key of unique.filter((k) => !inUse.has(k))) {
      await this.storage.delete(key);
      this.logger.debug({ key }, '[storage:deleted-unreferenced]');
    }
  }
}
