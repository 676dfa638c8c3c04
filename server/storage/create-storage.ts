import fs from 'node:fs';
import type { Config } from '../config';
import { LocalDiskStorage } from './local-disk-storage';
import type { ObjectStorage, SweepableStorage } from './object-storage';
import { S3Storage } from './s3-storage';

export type Storage = ObjectStorage & SweepableStorage & { readonly description: string; close?(): void };

/**
 * The configured storage, checked before anything uses it: an unreachable S3 server, wrong keys
 * or a missing bucket (unless S3_CREATE_BUCKET) stop the start with a StorageConfigError.
 */
export async function openStorage(config: Config): Promise<Storage> {
  if (config.storageDriver === 's3') {
    const storage = new S3Storage(config.s3!);
    try {
      await storage.check();
    } catch (error) {
      storage.close();
      throw error;
    }
    return storage;
  }
  fs.mkdirSync(config.storageDir, { recursive: true });
  return new LocalDiskStorage(config.storageDir);
}
