import { Umzug, type UmzugStorage } from 'umzug';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import type { Logger } from '../logger';
import { dialectOf } from './database';
import * as initial from './migrations/0001-initial';
import * as reviewAndChain from './migrations/0002-review-and-chain';
import * as publicSearch from './migrations/0003-public-search';
import * as publicImageLookup from './migrations/0004-public-image-lookup';
import * as jobVillageTurns from './migrations/0005-job-village-turns';

/** Every migration, in order. Names are stored in `schema_migrations`; never rename one that has shipped. */
const MIGRATIONS = [
  { name: '0001-initial', ...initial },
  { name: '0002-review-and-chain', ...reviewAndChain },
  { name: '0003-public-search', ...publicSearch },
  { name: '0004-public-image-lookup', ...publicImageLookup },
  { name: '0005-job-village-turns', ...jobVillageTurns },
];

/**
 * Umzug's own SequelizeStorage creates its table as utf8 (3-byte) on MySQL; this keeps the
 * list of applied migrations in a utf8mb4 table like every other.
 */
class SchemaMigrationsStorage implements UmzugStorage {
  private ready: Promise<void> | null = null;
  constructor(private readonly sequelize: Sequelize) {}

  private ensureTable(): Promise<void> {
    this.ready ??= this.sequelize
      .getQueryInterface()
      .createTable(
        'schema_migrations',
        { name: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false } },
        { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
      )
      .then(() => undefined);
    return this.ready;
  }

  async executed(): Promise<string[]> {
    await this.ensureTable();
    const rows = await this.sequelize.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name', { type: QueryTypes.SELECT });
    return rows.map((r) => r.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.ensureTable();
    await this.sequelize.query('INSERT INTO schema_migrations (name) VALUES (?)', { replacements: [name] });
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.ensureTable();
    await this.sequelize.query('DELETE FROM schema_migrations WHERE name = ?', { replacements: [name] });
  }
}

function createUmzug(sequelize: Sequelize, logger?: Logger) {
  return new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SchemaMigrationsStorage(sequelize),
    logger: logger
      ? { info: (m) => logger.info(m, 'migration'), warn: (m) => logger.warn(m, 'migration'), error: (m) => logger.error(m, 'migration'), debug: () => {} }
      : undefined,
  });
}

/**
 * Brings the schema up to date. On MySQL a named lock makes concurrent starts
 * (API and workers together) wait for one another instead of racing.
 */
export async function migrateUp(sequelize: Sequelize, logger?: Logger, options: { to?: string } = {}): Promise<string[]> {
  const umzug = createUmzug(sequelize, logger);
  // `to`: stop after this migration (a restore fills an older backup's schema, then migrates on).
  const up = () => umzug.up(options.to ? { to: options.to } : {});
  if (dialectOf(sequelize) !== 'mysql') return (await up()).map((m) => m.name);
  // GET_LOCK belongs to one connection, so hold one for the whole run.
  return sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query("SELECT GET_LOCK('yiyanming_migrate', 120) AS got", { transaction });
    if ((rows as Array<{ got: number }>)[0]?.got !== 1) throw new Error('could not take the migration lock within 120 s');
    try {
      return (await up()).map((m) => m.name);
    } finally {
      await sequelize.query("SELECT RELEASE_LOCK('yiyanming_migrate')", { transaction });
    }
  });
}

export async function migrateDown(sequelize: Sequelize, logger?: Logger): Promise<string[]> {
  return (await createUmzug(sequelize, logger).down({ to: 0 })).map((m) => m.name);
}

export async function pendingMigrations(sequelize: Sequelize): Promise<string[]> {
  return (await createUmzug(sequelize).pending()).map((m) => m.name);
}
