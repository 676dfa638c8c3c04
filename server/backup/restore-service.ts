import { createHash } from 'node:crypto';
import type { ObjectStorage } from '../storage/object-storage';
import { BackupFolderReader } from './backup-folder';
import type { BackupRepository, TableSchema } from './backup-repository';
import { BackupError, decodeValue, SELF_GENERATED_SETTINGS, STORAGE_KEY_COLUMNS, type BackupManifest } from './format';

export interface RestoreReport {
  manifest: BackupManifest;
  /** Migrations run after the rows went in (the backup's schema was older than this version's). */
  laterMigrations: string[];
  /** Engine-specific indexes rebuilt from their tables. */
  rebuilt: string[];
  durationMs: number;
}

export interface RestoreServiceDeps {
  repository: BackupRepository;
  storage: ObjectStorage;
}

const ROWS_PER_INSERT = 500;
const BYTES_PER_INSERT = 1 << 20;

/**
 * Fills an empty database and storage from a backup folder: checks the whole backup against its
 * manifest first, then brings the schema to the backup's migration, stores the files, inserts
 * every row with its id in one transaction (parents first, foreign keys checked), sets the
 * auto-increment counters where the source's were, rebuilds the engine's own full-text objects,
 * and runs any migration this version has beyond the backup's.
 */
export class RestoreService {
  constructor(private readonly deps: RestoreServiceDeps) {}

  async restore(fromDir: string): Promise<RestoreReport> {
    const started = performance.now();
    const backup = await BackupFolderReader.open(fromDir);
    const { manifest } = backup;
    await this.checkBackup(backup);
    await this.checkTargetEmpty();
    const tables = await this.prepareSchema(manifest);

    const stored: string[] = [];
    try {
      for (const file of manifest.files) {
        const bytes = await backup.readFile(file.key);
        // Hashed again as it goes in: the folder could have changed since the check.
        if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) throw new BackupError(`file ${file.key} changed while restoring`);
        await this.deps.storage.put(file.key, bytes);
        stored.push(file.key);
      }
      await this.deps.repository.writeRows(async (writer) => {
        await writer.deleteSettings(SELF_GENERATED_SETTINGS);
        for (const table of tables) {
          const entry = manifest.tables.find((t) => t.name === table.name)!;
          let batch: Array<Record<string, unknown>> = [];
          let batchBytes = 0;
          let count = 0;
          for await (const row of backup.rows(table.name)) {
            batch.push(this.decodeRow(table, row, ++count));
            batchBytes += JSON.stringify(row).length;
            if (batch.length >= ROWS_PER_INSERT || batchBytes >= BYTES_PER_INSERT) {
              await writer.insert(table, batch);
              batch = [];
              batchBytes = 0;
            }
          }
          await writer.insert(table, batch);
          if (count !== entry.rows) throw new BackupError(`tables/${table.name}.jsonl changed while restoring`);
        }
      });
    } catch (error) {
      // Nothing of a failed restore stays: the rows were one transaction, the files go now.
      for (const key of stored) await this.deps.storage.delete(key).catch(() => undefined);
      if (error instanceof BackupError) throw error;
      // The driver's message only: its error also carries the statement, every value of the rows in it.
      throw new BackupError(`the rows could not be inserted, so nothing was restored（恢复失败，没有写入任何数据）: ${(error as Error).message}`);
    }

    const { repository } = this.deps;
    await repository.setNextIds(tables, new Map(manifest.tables.filter((t) => t.nextId).map((t) => [t.name, t.nextId!])));
    const rebuilt = await repository.rebuildDerivedIndexes();
    const laterMigrations = await repository.migrate();
    return { manifest, laterMigrations, rebuilt, durationMs: performance.now() - started };
  }

  /** Every table file and stored file hashes as the manifest says, and every file a row names is there. */
  private async checkBackup(backup: BackupFolderReader): Promise<void> {
    const { manifest } = backup;
    const problems: string[] = [];
    const keysInBackup = new Set(manifest.files.map((f) => f.key));
    const names = new Set<string>();
    for (const table of manifest.tables) {
      if (names.has(table.name)) problems.push(`table ${table.name} is listed twice`);
      names.add(table.name);
      const actual = await backup.hashOf(backup.tablePath(table.name));
      if (!actual) {
        problems.push(`tables/${table.name}.jsonl is missing`);
        continue;
      }
      if (actual.sha256 !== table.sha256 || actual.bytes !== table.bytes) {
        problems.push(`tables/${table.name}.jsonl does not match the manifest (sha256 ${actual.sha256}, expected ${table.sha256})`);
        continue;
      }
      let rows = 0;
      const keyColumns = STORAGE_KEY_COLUMNS[table.name] ?? [];
      for await (const row of backup.rows(table.name)) {
        rows++;
        for (const column of keyColumns) {
          const key = row[column];
          if (typeof key === 'string' && key && !keysInBackup.has(key)) problems.push(`${table.name} row ${rows} names file ${key}, which the backup lacks`);
        }
      }
      if (rows !== table.rows) problems.push(`tables/${table.name}.jsonl has ${rows} rows, the manifest says ${table.rows}`);
    }
    for (const file of manifest.files) {
      const actual = await backup.hashOf(backup.filePath(file.key));
      if (!actual) problems.push(`file ${file.key} is missing from the backup`);
      else if (actual.sha256 !== file.sha256 || actual.bytes !== file.bytes) problems.push(`file ${file.key} does not match the manifest (sha256 ${actual.sha256}, expected ${file.sha256})`);
    }
    if (problems.length)
      throw new BackupError(
        `the backup is damaged or was changed after it was made; nothing was restored（备份已损坏或被改动，没有恢复任何数据）:\n  ${problems.slice(0, 20).join('\n  ')}` +
          (problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''),
      );
  }

  private async checkTargetEmpty(): Promise<void> {
    const { repository, storage } = this.deps;
    const tables = await repository.tables();
    const counts = await repository.rowCounts(tables.map((t) => t.name));
    const ownSettings = (await repository.settingKeys()).filter((k) => SELF_GENERATED_SETTINGS.includes(k)).length;
    if (counts.has('app_settings')) counts.set('app_settings', counts.get('app_settings')! - ownSettings);
    const filled = [...counts].filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
    const files = (await storage.list('')).length;
    if (filled.length || files)
      throw new BackupError(
        'the target is not empty; restore only into an empty database and storage（目标数据库或文件存储不是空的，不能恢复）: ' +
          [filled.length ? `rows: ${filled.join(', ')}` : '', files ? `${files} stored file(s)` : ''].filter(Boolean).join('; '),
      );
  }

  /** Brings the schema to the backup's version and checks its tables are the backup's. */
  private async prepareSchema(manifest: BackupManifest): Promise<TableSchema[]> {
    const { repository } = this.deps;
    const applied = await repository.appliedMigrations();
    const known = [...applied, ...(await repository.pendingMigrations())];
    const unknown = manifest.migrations.filter((m) => !known.includes(m));
    if (unknown.length) throw new BackupError(`the backup was made by a newer version (schema ${unknown.join(', ')} unknown here); upgrade, then restore（备份来自更新的版本）`);
    if (manifest.migrations.some((m, i) => known[i] !== m)) throw new BackupError(`the backup's migrations (${manifest.migrations.join(', ')}) are not this version's history`);
    if (applied.length > manifest.migrations.length)
      throw new BackupError(
        `the target database's schema (${applied[applied.length - 1]}) is newer than the backup's (${manifest.schemaVersion}); restore into a new, unmigrated database`,
      );
    if (!applied.includes(manifest.schemaVersion)) await repository.migrate(manifest.schemaVersion);

    const tables = await repository.tables();
    const problems: string[] = [];
    const inBackup = new Map(manifest.tables.map((t) => [t.name, t]));
    for (const table of tables) {
      const entry = inBackup.get(table.name);
      if (!entry) {
        problems.push(`table ${table.name} is not in the backup`);
        continue;
      }
      const columns = new Map(entry.columns.map((c) => [c.name, c.kind]));
      for (const column of table.columns) {
        if (!columns.has(column.name)) problems.push(`${table.name}.${column.name} is not in the backup`);
        else if (columns.get(column.name) !== column.kind) problems.push(`${table.name}.${column.name} is ${columns.get(column.name)} in the backup, ${column.kind} here`);
      }
      for (const name of columns.keys()) if (!table.columns.some((c) => c.name === name)) problems.push(`${table.name}.${name} of the backup has no column here`);
    }
    for (const name of inBackup.keys()) if (!tables.some((t) => t.name === name)) problems.push(`table ${name} of the backup has no table here`);
    if (problems.length) throw new BackupError(`the backup's tables differ from this schema at ${manifest.schemaVersion}: ${problems.join('; ')}`);
    return tables;
  }

  /** A backup row → this engine's values, column by column; anything extra or missing is refused. */
  private decodeRow(table: TableSchema, row: Record<string, unknown>, n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const column of table.columns) {
      if (!(column.name in row)) throw new BackupError(`tables/${table.name}.jsonl row ${n} has no ${column.name}`);
      try {
        out[column.name] = decodeValue(row[column.name], column.kind, this.deps.repository.dialect);
      } catch (error) {
        throw new BackupError(`tables/${table.name}.jsonl row ${n}, ${column.name}: ${(error as Error).message}`);
      }
    }
    if (Object.keys(row).length !== table.columns.length) throw new BackupError(`tables/${table.name}.jsonl row ${n} has columns this table lacks`);
    return out;
  }
}
