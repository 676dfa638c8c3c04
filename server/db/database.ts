import { Sequelize, type Options } from 'sequelize';
import mysql2 from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import path from 'node:path';
import fs from 'node:fs';

export type Dialect = 'sqlite' | 'mysql';

export interface DatabaseTarget {
  dialect: Dialect;
  /** SQLite file path, or the MySQL database name. */
  database: string;
  url: string;
}

/** `sqlite:/abs/file.sqlite`, `sqlite:./rel.sqlite`, `mysql://u:p@h:3306/db` (`mariadb://` is the same). */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error('DATABASE_URL sqlite: needs a file path');
    return { dialect: 'sqlite', database: file === ':memory:' ? file : path.resolve(file), url };
  }
  const normalized = url.replace(/^mariadb:/, 'mysql:');
  const parsed = new URL(normalized);
  if (parsed.protocol !== 'mysql:') throw new Error(`unsupported database URL scheme "${parsed.protocol}"`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL for MySQL must name a database, e.g. mysql://root@127.0.0.1:3306/yiyanming');
  return { dialect: 'mysql', database, url: normalized };
}

/**
 * One Sequelize instance per process. SQLite runs in WAL mode with a busy timeout so
 * a worker process and the server can share the file; MySQL talks utf8mb4 and UTC.
 */
export async function openDatabase(url: string): Promise<Sequelize> {
  const target = parseDatabaseUrl(url);
  const common: Options = { logging: false, define: { underscored: true } };
  let sequelize: Sequelize;
  if (target.dialect === 'sqlite') {
    if (target.database !== ':memory:') fs.mkdirSync(path.dirname(target.database), { recursive: true });
    sequelize = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage: target.database,
      // Each transaction gets its own SQLite connection; writers queue on the file lock.
      retry: { max: 10, match: [/SQLITE_BUSY/] },
    });
    sequelize.addHook('afterConnect', async (connection: unknown) => {
      await new Promise<void>((resolve, reject) =>
        (connection as { run(sql: string, cb: (err: Error | null) => void): void }).run(
          'PRAGMA busy_timeout = 10000',
          (err) => (err ? reject(err) : resolve()),
        ),
      );
    });
    await sequelize.query('PRAGMA journal_mode = WAL');
  } else {
    sequelize = new Sequelize(target.url, {
      ...common,
      dialect: 'mysql',
      dialectModule: mysql2,
      timezone: '+00:00',
      dialectOptions: { charset: 'utf8mb4', dateStrings: false },
      define: { ...common.define, charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
      pool: { max: 10, min: 0, idle: 10000, acquire: 30000 },
    });
    // Sequelize 6 writes `skipLocked` out as SKIP LOCKED only for Postgres and Oracle and drops it
    // silently here, yet MariaDB (10.6+) and MySQL (8.0+) have it and job claims rely on it
    // (server/db/repositories/job-repository.ts). This instance's own copy, so nothing else changes.
    const dialect = (sequelize as unknown as { dialect: { supports: Record<string, unknown> } }).dialect;
    dialect.supports = { ...dialect.supports, skipLocked: true };
  }
  await sequelize.authenticate();
  return sequelize;
}

/** Creates the MySQL database named in the URL if it is missing (SQLite files create themselves). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'mysql') return;
  const server = new URL(target.url);
  server.pathname = '/';
  const connection = await mysqlPromise.createConnection({ uri: server.toString() });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database.replace(/`/g, '')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export function dialectOf(sequelize: Sequelize): Dialect {
  return sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
}
