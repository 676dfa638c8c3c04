import type { Sequelize } from 'sequelize';
import { openDatabase } from '../../../server/db/database';
import { migrateDown, migrateUp, pendingMigrations } from '../../../server/db/migrate';
import { FTS_TABLE, FULLTEXT_INDEX } from '../../../server/db/migrations/0003-public-search';
import { defineModels } from '../../../server/db/models';
import { createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from '../../helpers/databases';

interface ColumnShape {
  type: string;
  allowNull: boolean;
  primaryKey: boolean;
}

/**
 * The two databases spell the same column types differently (INT(11) vs INTEGER, DATETIME(3)
 * vs DATETIME where SQLite keeps text anyway); everything else must match exactly.
 */
function normalizeType(type: string): string {
  return type
    .toUpperCase()
    .replace(/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT)\(\d+\)/, '$1')
    .replace(/^INT$/, 'INTEGER')
    .replace(/^DATETIME\(\d\)$/, 'DATETIME')
    .replace(/ UNSIGNED$/, '');
}

async function describeSchema(sequelize: Sequelize) {
  const qi = sequelize.getQueryInterface();
  const tables = ((await qi.showAllTables()) as Array<string | { tableName: string }>)
    .map((t) => (typeof t === 'string' ? t : t.tableName))
    .filter((t) => t !== 'sqlite_sequence')
    .sort();
  const schema: Record<string, { columns: Record<string, ColumnShape>; indexes: string[]; foreignKeys: string[] }> = {};
  for (const table of tables) {
    const described = await qi.describeTable(table);
    const columns: Record<string, ColumnShape> = {};
    for (const [name, column] of Object.entries(described))
      // SQLite reports its INTEGER PRIMARY KEY (the rowid) as nullable, yet it can never hold NULL.
      columns[name] = { type: normalizeType(column.type), allowNull: column.primaryKey ? false : column.allowNull, primaryKey: column.primaryKey };
    const indexes = ((await qi.showIndex(table)) as Array<{ name: string; unique: boolean; primary?: boolean; fields: Array<{ attribute: string }> }>)
      .filter((i) => !i.primary && !i.name.startsWith('sqlite_autoindex') && i.name !== 'PRIMARY')
      .map((i) => `${i.name}(${i.fields.map((f) => f.attribute).join(',')})${i.unique ? ' unique' : ''}`)
      .sort();
    const foreignKeys = ((await qi.getForeignKeyReferencesForTable(table)) as Array<{ columnName: string; referencedTableName: string; referencedColumnName: string }>)
      .map((fk) => `${fk.columnName}->${fk.referencedTableName}.${fk.referencedColumnName}`)
      .sort();
    schema[table] = { columns, indexes, foreignKeys };
  }
  return schema;
}

type Schema = Awaited<ReturnType<typeof describeSchema>>;

/**
 * Full-text search is native to each engine (migration 0003): an FTS5 virtual table and its
 * shadow tables on SQLite, a FULLTEXT index on MySQL. Exactly these are left out when the two
 * schemas are compared; the test below checks each exists on its own engine.
 */
const isFtsTable = (table: string) => table === FTS_TABLE || table.startsWith(`${FTS_TABLE}_`);
function withoutEngineFullText(schema: Schema): Schema {
  const kept = Object.entries(schema).filter(([table]) => !isFtsTable(table));
  return Object.fromEntries(kept.map(([table, s]) => [table, { ...s, indexes: s.indexes.filter((i) => !i.startsWith(`${FULLTEXT_INDEX}(`)) }]));
}

describe('migrations own the schema', () => {
  const opened: Array<{ db: TestDatabase; sequelize: Sequelize }> = [];
  const open = async (kind: DatabaseKind) => {
    const db = await createTestDatabase(kind);
    const sequelize = await openDatabase(db.url);
    opened.push({ db, sequelize });
    return sequelize;
  };
  afterAll(async () => {
    for (const { db, sequelize } of opened) {
      await sequelize.close();
      await db.drop();
    }
  });

  test.each(databaseKinds())('on %s they apply from empty, leave nothing pending, and roll back and forth', async (kind) => {
    const sequelize = await open(kind);
    expect(await migrateUp(sequelize)).toEqual(['0001-initial', '0002-review-and-chain', '0003-public-search', '0004-public-image-lookup', '0005-job-village-turns']);
    expect(await pendingMigrations(sequelize)).toEqual([]);
    expect(await migrateUp(sequelize)).toEqual([]);
    const first = await describeSchema(sequelize);
    expect(await migrateDown(sequelize)).toEqual(['0005-job-village-turns', '0004-public-image-lookup', '0003-public-search', '0002-review-and-chain', '0001-initial']);
    expect(Object.keys(await describeSchema(sequelize))).toEqual(['schema_migrations']);
    await migrateUp(sequelize);
    expect(await describeSchema(sequelize)).toEqual(first);
  });

  test.each(databaseKinds())('on %s every model attribute has its column', async (kind) => {
    const sequelize = await open(kind);
    await migrateUp(sequelize);
    const schema = await describeSchema(sequelize);
    for (const model of Object.values(defineModels(sequelize))) {
      const table = model.getTableName() as string;
      expect(schema[table]).toBeDefined();
      const fields = Object.values(model.getAttributes() as Record<string, { field?: string }>).map((a) => a.field!);
      expect({ table, missing: fields.filter((f) => !(f in schema[table].columns)) }).toEqual({ table, missing: [] });
    }
  });

  test('SQLite and MariaDB end up with the same tables, columns, indexes and foreign keys', async () => {
    // Under CI both always run; without TEST_MYSQL_URL locally there is nothing to compare.
    if (!databaseKinds().includes('mariadb')) return;
    const sqlite = await open('sqlite');
    const mariadb = await open('mariadb');
    await migrateUp(sqlite);
    await migrateUp(mariadb);
    const [a, b] = [withoutEngineFullText(await describeSchema(sqlite)), withoutEngineFullText(await describeSchema(mariadb))];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const table of Object.keys(a)) expect({ table, ...a[table] }).toEqual({ table, ...b[table] });
  });

  test.each(databaseKinds())('on %s the search tokens have the engine\'s own full-text index, left out of that comparison', async (kind) => {
    const sequelize = await open(kind);
    await migrateUp(sequelize);
    const schema = await describeSchema(sequelize);
    if (kind === 'sqlite') {
      expect(Object.keys(schema).filter(isFtsTable)).toEqual([FTS_TABLE, `${FTS_TABLE}_config`, `${FTS_TABLE}_data`, `${FTS_TABLE}_docsize`, `${FTS_TABLE}_idx`]);
      const [[fts]] = (await sequelize.query(`SELECT sql FROM sqlite_master WHERE name = '${FTS_TABLE}'`)) as [Array<{ sql: string }>, unknown];
      expect(fts.sql).toMatch(/USING fts5\(tokens, content='public_search', content_rowid='voucher_id', tokenize='unicode61'\)/);
      expect(schema.public_search.indexes).not.toContainEqual(expect.stringContaining(FULLTEXT_INDEX));
    } else {
      expect(Object.keys(schema).filter(isFtsTable)).toEqual([]);
      expect(schema.public_search.indexes).toContain(`${FULLTEXT_INDEX}(tokens)`);
      const [rows] = await sequelize.query(`SELECT index_type AS t FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = '${FULLTEXT_INDEX}'`);
      expect(rows).toEqual([{ t: 'FULLTEXT' }]);
    }
    expect(Object.keys(withoutEngineFullText(schema))).not.toContainEqual(expect.stringMatching(/fts/));
  });

  test('on MariaDB every table is utf8mb4, so any Chinese name (and emoji) round-trips', async () => {
    if (!databaseKinds().includes('mariadb')) return;
    const sequelize = await open('mariadb');
    await migrateUp(sequelize);
    const [rows] = await sequelize.query(
      'SELECT table_name AS t, table_collation AS c FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    for (const row of rows as Array<{ t: string; c: string }>) expect({ table: row.t, collation: row.c }).toEqual({ table: row.t, collation: expect.stringMatching(/^utf8mb4_/) });
    const { Town } = defineModels(sequelize);
    const name = '𠮷镇🌾';
    const town = await Town.create({ name });
    expect((await Town.findByPk(town.id))!.name).toBe(name);
  });
});
