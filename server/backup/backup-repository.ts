import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { dialectOf, type Dialect } from '../db/database';
import { migrateUp, pendingMigrations } from '../db/migrate';
import { columnKind, type ColumnKind } from './format';

/** One table that holds data, as this database describes it. */
export interface TableSchema {
  name: string;
  columns: Array<{ name: string; kind: ColumnKind }>;
  primaryKey: string[];
  /** Tables this one's foreign keys point at (itself left out). */
  references: string[];
  /** Has an auto-increment counter (AUTOINCREMENT on SQLite, AUTO_INCREMENT on MySQL). */
  autoIncrement: boolean;
}

/** A read transaction: everything read through it shows the database at one moment. */
export interface Snapshot {
  /** How the snapshot is held, for the manifest. */
  readonly isolation: string;
  migrations(): Promise<string[]>;
  tables(): Promise<TableSchema[]>;
  /** The table's rows in primary-key order, a page at a time, values as the driver returns them. */
  rows(table: TableSchema, pageSize?: number): AsyncGenerator<Array<Record<string, unknown>>>;
  /** Table → the id its counter hands out next. */
  nextIds(tables: TableSchema[]): Promise<Map<string, number>>;
}

/** Inserts into an empty database inside one write transaction. */
export interface RowWriter {
  insert(table: TableSchema, rows: Array<Record<string, unknown>>): Promise<void>;
  deleteSettings(keys: string[]): Promise<void>;
}

const MIGRATIONS_TABLE = 'schema_migrations';
const PAGE_ROWS = 1000;

/**
 * The database side of backup and restore: the only code here that reads or writes rows. It
 * works on tables as the live schema describes them (so a table a later migration adds is
 * carried without code changes) and knows what differs by engine: how a consistent read is
 * held, auto-increment counters, and the engine-specific full-text objects, which are left out
 * of a backup and rebuilt by a restore (FTS5 tables on SQLite; a FULLTEXT index on MySQL is
 * part of its table and fills as rows go in).
 */
export class BackupRepository {
  readonly dialect: Dialect;

  constructor(private readonly sequelize: Sequelize) {
    this.dialect = dialectOf(sequelize);
  }

  private q(name: string): string {
    return this.sequelize.getQueryInterface().quoteIdentifier(name);
  }

  private select<T extends object>(sql: string, replacements: unknown[] | Record<string, unknown> = [], transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements: replacements as never, transaction });
  }

  /**
   * Holds one read transaction for `work`. SQLite (WAL): a deferred transaction reads from the
   * snapshot its first read took, while writers carry on. MySQL/MariaDB: InnoDB REPEATABLE READ,
   * whose consistent snapshot is taken at the first read and used for every table after it.
   */
  async inSnapshot<T>(work: (snapshot: Snapshot) => Promise<T>): Promise<T> {
    const options =
      this.dialect === 'sqlite'
        ? { type: Transaction.TYPES.DEFERRED }
        : { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ };
    const isolation = this.dialect === 'sqlite' ? 'SQLite deferred read transaction (WAL snapshot)' : 'InnoDB REPEATABLE READ consistent snapshot';
    return this.sequelize.transaction(options, async (transaction) => {
      const snapshot: Snapshot = {
        isolation,
        migrations: () => this.appliedMigrations(transaction),
        tables: () => this.tables(transaction),
        rows: (table, pageSize) => this.rows(table, pageSize ?? PAGE_ROWS, transaction),
        nextIds: (tables) => this.nextIds(tables, transaction),
      };
      // The snapshot starts here, before anything else is read.
      await snapshot.migrations();
      return work(snapshot);
    });
  }

  /** Migrations applied to this database, in order (none when it was never migrated). */
  async appliedMigrations(transaction?: Transaction): Promise<string[]> {
    if (!(await this.baseTables(transaction)).includes(MIGRATIONS_TABLE)) return [];
    const rows = await this.select<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`, [], transaction);
    return rows.map((r) => r.name);
  }

  pendingMigrations(): Promise<string[]> {
    return pendingMigrations(this.sequelize);
  }

  /** Applies pending migrations, up to and including `to` when given. */
  migrate(to?: string): Promise<string[]> {
    return migrateUp(this.sequelize, undefined, { to });
  }

  /** Every base table of this database, internals and engine-specific derived tables left out. */
  private async baseTables(transaction?: Transaction): Promise<string[]> {
    if (this.dialect === 'sqlite') {
      // `PRAGMA table_list` types FTS5 tables 'virtual' and their storage 'shadow'.
      const rows = await this.select<{ schema: string; name: string; type: string }>('PRAGMA table_list', [], transaction);
      return rows.filter((r) => r.schema === 'main' && r.type === 'table' && !r.name.startsWith('sqlite_')).map((r) => r.name).sort();
    }
    const rows = await this.select<{ name: string }>(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
      [],
      transaction,
    );
    return rows.map((r) => r.name).sort();
  }

  /** The tables that hold data (the migrations' own list excluded), each after every table it refers to. */
  async tables(transaction?: Transaction): Promise<TableSchema[]> {
    const qi = this.sequelize.getQueryInterface();
    const names = (await this.baseTables(transaction)).filter((n) => n !== MIGRATIONS_TABLE);
    const schemas: TableSchema[] = [];
    for (const name of names) {
      // The typings leave `transaction` out of these options; Sequelize passes it on to the query.
      const described = await qi.describeTable(name, { transaction } as never);
      const columns = Object.entries(described).map(([column, info]) => ({ name: column, kind: columnKind(String(info.type)) }));
      const primaryKey = Object.entries(described).filter(([, info]) => info.primaryKey).map(([column]) => column);
      const foreignKeys = (await qi.getForeignKeyReferencesForTable(name, { transaction } as never)) as unknown as Array<{ referencedTableName: string }>;
      const references = [...new Set(foreignKeys.map((fk) => fk.referencedTableName))].filter((t) => t !== name);
      let autoIncrement: boolean;
      if (this.dialect === 'sqlite') {
        const [row] = await this.select<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name], transaction);
        autoIncrement = /\bAUTOINCREMENT\b/i.test(row?.sql ?? '');
      } else {
        autoIncrement = Object.values(described).some((info) => (info as { autoIncrement?: boolean }).autoIncrement);
      }
      schemas.push({ name, columns, primaryKey, references, autoIncrement });
    }
    return dependencyOrder(schemas);
  }

  private async *rows(table: TableSchema, pageSize: number, transaction: Transaction): AsyncGenerator<Array<Record<string, unknown>>> {
    const columns = table.columns.map((c) => this.q(c.name)).join(', ');
    const from = `SELECT ${columns} FROM ${this.q(table.name)}`;
    if (table.primaryKey.length === 1) {
      // Keyset paging: each page starts after the last key of the one before.
      const pk = table.primaryKey[0];
      let after: unknown = undefined;
      for (;;) {
        const where = after === undefined ? '' : ` WHERE ${this.q(pk)} > ?`;
        const page = await this.select<Record<string, unknown>>(
          `${from}${where} ORDER BY ${this.q(pk)} LIMIT ${pageSize}`,
          after === undefined ? [] : [after],
          transaction,
        );
        if (page.length) yield page;
        if (page.length < pageSize) return;
        after = page[page.length - 1][pk];
      }
    }
    // No single-column key: a stable order over the key (or every column) and offsets.
    const order = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name)).map((c) => this.q(c)).join(', ');
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.select<Record<string, unknown>>(`${from} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${offset}`, [], transaction);
      if (page.length) yield page;
      if (page.length < pageSize) return;
    }
  }

  private async nextIds(tables: TableSchema[], transaction?: Transaction): Promise<Map<string, number>> {
    const wanted = new Set(tables.filter((t) => t.autoIncrement).map((t) => t.name));
    const next = new Map<string, number>();
    if (this.dialect === 'sqlite') {
      // sqlite_sequence is a table like any other, so this reads the same snapshot as the rows.
      for (const row of await this.select<{ name: string; seq: number }>('SELECT name, seq FROM sqlite_sequence', [], transaction))
        if (wanted.has(row.name)) next.set(row.name, Number(row.seq) + 1);
      return next;
    }
    // Counters are not transactional: read after the rows, each is past every id the snapshot holds.
    // MySQL 8 caches these figures for a day unless told otherwise; MariaDB reads them live.
    await this.sequelize.query('SET SESSION information_schema_stats_expiry = 0', { transaction }).catch(() => undefined);
    const rows = await this.select<{ name: string; next: number | string | null }>(
      'SELECT TABLE_NAME AS name, AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND AUTO_INCREMENT IS NOT NULL',
      [],
      transaction,
    );
    for (const row of rows) if (wanted.has(row.name) && row.next !== null) next.set(row.name, Number(row.next));
    return next;
  }

  /** Rows in each table. */
  async rowCounts(tables: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const table of tables) {
      const [{ n }] = await this.select<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${this.q(table)}`);
      counts.set(table, Number(n));
    }
    return counts;
  }

  /** Keys of the app_settings rows (to tell a server's own first-start settings from data). */
  async settingKeys(): Promise<string[]> {
    if (!(await this.baseTables()).includes('app_settings')) return [];
    return (await this.select<{ key: string }>(`SELECT ${this.q('key')} AS ${this.q('key')} FROM app_settings`)).map((r) => r.key);
  }

  /**
   * Runs `work` in one write transaction, so a failed restore leaves no rows behind. Foreign keys
   * stay checked: rows go in parent tables first and keep their ids.
   */
  async writeRows(work: (writer: RowWriter) => Promise<void>): Promise<void> {
    const options = this.dialect === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {};
    await this.sequelize.transaction(options, async (transaction) => {
      await work({
        insert: (table, rows) => this.insert(table, rows, transaction),
        deleteSettings: async (keys) => {
          if (keys.length) await this.sequelize.query(`DELETE FROM app_settings WHERE ${this.q('key')} IN (?)`, { replacements: [keys], transaction });
        },
      });
    });
  }

  private async insert(table: TableSchema, rows: Array<Record<string, unknown>>, transaction: Transaction): Promise<void> {
    if (!rows.length) return;
    const names = table.columns.map((c) => c.name);
    const placeholders = `(${names.map(() => '?').join(', ')})`;
    await this.sequelize.query(`INSERT INTO ${this.q(table.name)} (${names.map((n) => this.q(n)).join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')}`, {
      replacements: rows.flatMap((row) => names.map((n) => row[n] ?? null)) as never,
      transaction,
    });
  }

  /**
   * Sets each table's counter so the next id is `nextIds[table]`, never below the largest id
   * stored plus one: ids the source had handed out (deleted drafts among them, named in the
   * audit log) are not handed out again.
   */
  async setNextIds(tables: TableSchema[], nextIds: Map<string, number>): Promise<void> {
    for (const table of tables.filter((t) => t.autoIncrement && t.primaryKey.length === 1)) {
      const pk = this.q(table.primaryKey[0]);
      const [{ maxId }] = await this.select<{ maxId: number | string | null }>(`SELECT MAX(${pk}) AS maxId FROM ${this.q(table.name)}`);
      const next = Math.max(nextIds.get(table.name) ?? 1, Number(maxId ?? 0) + 1);
      if (this.dialect === 'sqlite') {
        await this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, async (transaction) => {
          await this.sequelize.query('DELETE FROM sqlite_sequence WHERE name = ?', { replacements: [table.name], transaction });
          if (next > 1) await this.sequelize.query('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', { replacements: [table.name, next - 1], transaction });
        });
      } else {
        await this.sequelize.query(`ALTER TABLE ${this.q(table.name)} AUTO_INCREMENT = ${Math.trunc(next)}`);
      }
    }
  }

  /** The counters as they are now (to check a restore). */
  currentNextIds(tables: TableSchema[]): Promise<Map<string, number>> {
    return this.nextIds(tables);
  }

  /**
   * Rebuilds the engine's derived full-text objects from their tables and checks them; returns
   * what it did. SQLite: every FTS5 table is rebuilt from its content table, then integrity-checked
   * against it. MySQL: FULLTEXT indexes are part of their tables and were filled by the inserts.
   */
  async rebuildDerivedIndexes(): Promise<string[]> {
    if (this.dialect !== 'sqlite') return [];
    const virtual = await this.select<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'");
    for (const { name } of virtual) {
      const t = this.q(name);
      await this.sequelize.query(`INSERT INTO ${t}(${t}) VALUES ('rebuild')`);
      await this.sequelize.query(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`);
    }
    return virtual.map((v) => v.name);
  }
}

/** Parents before children; ties (and anything a cycle leaves) by name, so the order is stable. */
function dependencyOrder(tables: TableSchema[]): TableSchema[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const ordered: TableSchema[] = [];
  const remaining = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length) {
    const index = remaining.findIndex((t) => t.references.every((r) => placed.has(r) || !byName.has(r)));
    // A cycle between tables: take the first and let its foreign keys speak at insert.
    const [next] = remaining.splice(index === -1 ? 0 : index, 1);
    placed.add(next.name);
    ordered.push(next);
  }
  return ordered;
}
