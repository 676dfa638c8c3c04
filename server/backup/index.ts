import type { Config } from '../config';
import type { Container } from '../container';
import { ensureDatabaseExists, openDatabase } from '../db/database';
import { openStorage } from '../storage/create-storage';
import { BackupRepository } from './backup-repository';
import { BackupService } from './backup-service';
import { RestoreService } from './restore-service';

export { BackupError } from './format';
export type { BackupReport } from './backup-service';
export type { RestoreReport } from './restore-service';

/** Backup of a running installation: the container's database connection and storage. */
export function createBackupService(container: Container, options: { maxAttempts?: number } = {}): BackupService {
  return new BackupService({
    repository: new BackupRepository(container.sequelize),
    storage: container.storage,
    clock: container.clock,
    logger: container.logger,
    maxAttempts: options.maxAttempts,
  });
}

/**
 * Restore opens the target itself rather than through a container: a container migrates to the
 * newest schema and stores a token secret at once, and restore must see the target untouched
 * and stop the schema at the backup's version.
 */
export async function openRestoreTarget(config: Config): Promise<{ service: RestoreService; close(): Promise<void> }> {
  const storage = await openStorage(config);
  await ensureDatabaseExists(config.databaseUrl);
  const sequelize = await openDatabase(config.databaseUrl);
  const service = new RestoreService({ repository: new BackupRepository(sequelize), storage });
  return {
    service,
    close: async () => {
      await sequelize.close();
      storage.close?.();
    },
  };
}
