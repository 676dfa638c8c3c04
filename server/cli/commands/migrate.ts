import { migrateUp } from '../../db/migrate';
import type { Command } from '../command';

export const migrate: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending database migrations',
  options: {},
  async run({ sequelize, logger }, _args, io) {
    const applied = await migrateUp(sequelize, logger);
    io.out(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  },
};
