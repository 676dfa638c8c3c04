import { Umzug, SequelizeStorage } from 'umzug';
import type { Sequelize } from 'sequelize';
import type { Logger } from '../logger';
import { dialectOf } from './database';
import * as initial from './migrations/0001-initial';

/** Every migration, in order. Names are stored in `schema_migrations`; never rename one that has shipped. */
const MIGRATIONS = [{ name: '0001-initial', ...initial }];

function createUmzug(sequelize: Sequelize, logger?: Logger) {
  return new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: logger
      ? { info: (m) => logger.info(m, 'migration'), warn: (m) => logger.warn(m, 'migration'), error: (m) => logger.error(m, 'migration'), debug: () => {} }
      : undefined,
  });
}

/**
 * Brings the schema up to date. On MySQL a named lock makes concurrent starts
 * (API and workers together) wait for one another instead of racing.
 */
export async function migrateUp(sequelize: Sequelize, logger?: Logger): Promise<string[]> {
  const umzug = createUmzug(sequelize, logger);
  if (dialectOf(sequelize) !== 'mysql') return (await umzug.up()).map((m) => m.name);
  // GET_LOCK belongs to one connection, so hold one for the whole run.
  return sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query("SELECT GET_LOCK('yiyanming_migrate', 120) AS got", { transaction });
    if ((rows as Array<{ got: number }>)[0]?.got !== 1) throw new Error('could not take the migration lock within 120 s');
    try {
      return (await umzug.up()).map((m) => m.name);
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
