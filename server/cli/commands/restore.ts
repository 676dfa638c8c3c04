import { BackupError, openRestoreTarget } from '../../backup';
import { loadConfig } from '../../config';
import { createContainer } from '../../container';
import { createLogger } from '../../logger';
import { need, type StandaloneCommand } from '../command';

export const restore: StandaloneCommand = {
  name: 'restore',
  needsDatabase: false,
  usage: 'restore --from DIR',
  summary:
    'fill an empty database and storage (DATABASE_URL, STORAGE_DIR) from a backup folder: checks every sha256 first, keeps ids, rebuilds the search index, then runs verify; refuses a non-empty target',
  options: { from: { required: true, description: 'the folder `backup --out` wrote' } },
  async run(args, _positionals, io, env) {
    const from = need(args, 'from');
    const config = loadConfig(env);
    const logger = createLogger('warn', process.stderr);
    const target = await openRestoreTarget(config);
    let report;
    try {
      report = await target.service.restore(from);
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      io.err(`restore: ${error.message}`);
      return 1;
    } finally {
      await target.close();
    }
    const { manifest } = report;
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    io.out(`restore: ${rows} rows in ${manifest.tables.length} tables and ${manifest.files.length} files from a ${manifest.source.dialect} backup of ${manifest.createdAt} (schema ${manifest.schemaVersion})`);
    if (report.rebuilt.length) io.out(`rebuilt ${report.rebuilt.join(', ')} from its table`);
    if (report.laterMigrations.length) io.out(`then applied: ${report.laterMigrations.join(', ')}`);
    io.out(`restore: done in ${(report.durationMs / 1000).toFixed(1)} s`);

    // The restored store checked the way `verify` checks it.
    const container = await createContainer(config, logger);
    try {
      const verified = await container.services.chainVerifier.verify();
      for (const line of verified.checked) io.out(line);
      for (const line of verified.problems) io.err(`MISMATCH ${line}`);
      io.out(verified.problems.length ? `verify: ${verified.problems.length} mismatch(es)` : 'verify: everything matches');
      return verified.problems.length ? 1 : 0;
    } finally {
      await container.close();
    }
  },
};
