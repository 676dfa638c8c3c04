import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysqlPromise from 'mysql2/promise';

export type DatabaseKind = 'sqlite' | 'mariadb';

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  /** Removes the database (MariaDB) or its folder (SQLite). */
  drop(): Promise<void>;
}

/**
 * SQLite always; MariaDB too when TEST_MYSQL_URL is set. Under CI a missing
 * TEST_MYSQL_URL is an error, so the MariaDB half can never be skipped silently.
 */
export function databaseKinds(): DatabaseKind[] {
  if (process.env.TEST_MYSQL_URL) return ['sqlite', 'mariadb'];
  if (process.env.CI === 'true') throw new Error('CI=true but TEST_MYSQL_URL is not set: the MariaDB tests must run in CI');
  return ['sqlite'];
}

export function mysqlServerUrl(): string {
  const url = process.env.TEST_MYSQL_URL;
  if (!url) throw new Error('TEST_MYSQL_URL is not set');
  return url;
}

/** A fresh, empty database of the given kind, created for one test file. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-sqlite-'));
    return {
      kind,
      url: `sqlite:${path.join(dir, 'test.sqlite')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = new URL(mysqlServerUrl().replace(/^mariadb:/, 'mysql:'));
  const name = `yym_t_${tag}`;
  server.pathname = '/';
  const admin = await mysqlPromise.createConnection({ uri: server.toString() });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    async drop() {
      const connection = await mysqlPromise.createConnection({ uri: server.toString() });
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}
