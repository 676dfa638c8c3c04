import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../server/adapters/clock';
import { loadConfig, type Config } from '../../server/config';
import { createContainer, type Container } from '../../server/container';
import { createLogger } from '../../server/logger';
import { createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from './databases';
import { createTestBucket, s3TestServer, type TestBucket } from './s3-server';

/** Where a test env keeps files: a scratch folder, or a fresh bucket on the test S3 server. */
export type StorageKind = 'local' | 's3';

export interface TestEnv {
  database: TestDatabase;
  config: Config;
  container: Container;
  tmpDir: string;
  close(): Promise<void>;
}

/**
 * The database × storage pairs an integration test runs on: every database with local files,
 * and MariaDB with an S3 bucket when a test S3 server is there (always under CI).
 */
export function databaseAndStorageKinds(): Array<[DatabaseKind, StorageKind]> {
  const kinds = databaseKinds();
  const pairs: Array<[DatabaseKind, StorageKind]> = kinds.map((kind) => [kind, 'local']);
  if (s3TestServer()) pairs.push([kinds.includes('mariadb') ? 'mariadb' : 'sqlite', 's3']);
  return pairs;
}

/** The environment a CLI command or another process needs to reach the same database and files. */
export function envOf(env: TestEnv): Record<string, string> {
  const { config } = env;
  const storage: Record<string, string> = config.s3
    ? {
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: config.s3.endpoint ?? '',
        S3_REGION: config.s3.region,
        S3_BUCKET: config.s3.bucket,
        S3_ACCESS_KEY_ID: config.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: config.s3.secretAccessKey,
      }
    : { STORAGE_DIR: config.storageDir };
  return { DATABASE_URL: env.database.url, LOG_LEVEL: 'silent', ...storage };
}

/** A migrated, empty database of `kind` with a container over it, plus a scratch folder. */
export async function createTestEnv(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: { clock?: Clock; storage?: StorageKind } = {},
): Promise<TestEnv> {
  const bucket: TestBucket | null = options.storage === 's3' ? await createTestBucket('env') : null;
  const database = await createTestDatabase(kind);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-env-'));
  const config = loadConfig(
    {
      DATABASE_URL: database.url,
      STORAGE_DIR: path.join(tmpDir, 'files'),
      WEB_DIR: path.join(tmpDir, 'web'),
      LOG_LEVEL: 'silent',
      // A test file logs in and uploads far more often than people do, all from 127.0.0.1;
      // tests/server/http/security.test.ts sets and checks the real limits.
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
      RATE_LIMIT_UPLOAD_PER_MINUTE: '1000',
      ...(bucket ? bucket.env : {}),
      ...env,
    },
    tmpDir,
  );
  const container = await createContainer(config, createLogger(config.logLevel), { clock: options.clock });
  return {
    database,
    config,
    container,
    tmpDir,
    async close() {
      await container.close();
      await database.drop();
      await bucket?.remove();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
