import path from 'node:path';
import { BackupError, createBackupService } from '../../backup';
import { need, UsageError, type Command } from '../command';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const backup: Command = {
  name: 'backup',
  usage: 'backup --out DIR',
  summary:
    'write the database (one consistent snapshot, safe while the server runs) and every stored file to a new folder, with a manifest of the schema version, row counts and sha256s',
  options: { out: { required: true, description: 'a new or empty folder to write the backup to' } },
  async run(container, args, io) {
    const out = path.resolve(need(args, 'out'));
    const storage = path.resolve(container.config.storageDir);
    if (container.config.storageDriver === 'local' && (out === storage || out.startsWith(storage + path.sep))) throw new UsageError(`--out must be outside STORAGE_DIR (${storage})（备份目录不能放在文件存储里）`);
    let report;
    try {
      report = await createBackupService(container).backup(out);
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      io.err(`backup: ${error.message}`);
      return 1;
    }
    const { manifest } = report;
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    const tableBytes = manifest.tables.reduce((sum, t) => sum + t.bytes, 0);
    const fileBytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    io.out(`backup: ${report.dir}`);
    io.out(`schema ${manifest.schemaVersion} on ${manifest.source.dialect}; ${manifest.snapshot.isolation}${manifest.snapshot.attempts > 1 ? `, taken ${manifest.snapshot.attempts} times (files were deleted under the first)` : ''}`);
    io.out(`${rows} rows in ${manifest.tables.length} tables (${mb(tableBytes)}): ${manifest.tables.map((t) => `${t.name} ${t.rows}`).join(', ')}`);
    io.out(`${manifest.files.length} files (${mb(fileBytes)})`);
    for (const warning of report.warnings) io.err(`warning: ${warning}`);
    io.out(`backup: done in ${(report.durationMs / 1000).toFixed(1)} s`);
  },
};
