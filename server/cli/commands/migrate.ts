import { loadConfig } from '../../config';
import { ensureDatabaseExists, openDatabase } from '../../db/database';
import { migrateUp } from '../../db/migrate';
import { createLogger } from '../../logger';
import type { StandaloneCommand } from '../command';

/**
 * Opens the database itself: a container reads settings tables at once, which a new database
 * does not have yet, and an upgrade should touch nothing but the schema.
 */
export const migrate: StandaloneCommand = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending database migrations (a new, empty database gets the whole schema)',
  options: {},
  needsDatabase: false,
  async run(_args, _positionals, io, env) {
    const config = loadConfig(env);
    await ensureDatabaseExists(config.databaseUrl);
    const sequelize = await openDatabase(config.databaseUrl);
    try {
      const applied = await migrateUp(sequelize, createLogger('warn', process.stderr));
      io.out(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
    } finally {
      await sequelize.close();
    }
  },
};
