import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { Logger } from '../logger';
import type { ObjectStorage } from '../storage/object-storage';

/**
 * Content-addressed files can be shared (the same image in two villages, the same thumbnail
 * after reprocessing), so a file is deleted only when no voucher refers to it any more.
 */
export class StorageJanitor {
  constructor(
    private readonly vouchers: VoucherRepository,
    private readonly storage: ObjectStorage,
    private readonly logger: Logger,
  ) {}

  async deleteUnreferenced(keys: string[]): Promise<void> {
    const unique = [...new Set(keys)];
    const inUse = await this.vouchers.keysInUse(unique);
    for (const key of unique.filter((k) => !inUse.has(k))) {
      await this.storage.delete(key);
      this.logger.debug({ key }, '[storage:deleted-unreferenced]');
    }
  }
}
