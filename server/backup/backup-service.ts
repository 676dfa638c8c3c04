import type { Clock } from '../adapters/clock';
import type { Logger } from '../logger';
import { assertValidKey, ObjectNotFoundError, type ObjectStorage } from '../storage/object-storage';
import { BackupFolderWriter } from './backup-folder';
import type { BackupRepository, Snapshot } from './backup-repository';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  encodeValue,
  STORAGE_KEY_COLUMNS,
  type BackupManifest,
  type FileEntry,
  type TableEntry,
} from './format';

export interface BackupReport {
  dir: string;
  manifest: BackupManifest;
  /** Files whose bytes do not hash to the sha256 in their key (copied as they are), and names in storage that are no key. */
  warnings: string[];
  durationMs: number;
}

export interface BackupServiceDeps {
  repository: BackupRepository;
  storage: ObjectStorage;
  clock: Clock;
  logger: Logger;
  /** Snapshots taken before giving up when storage keeps losing files they name. */
  maxAttempts?: number;
}

/** Where a storage key was seen: the first row that names it. */
interface Reference {
  table: string;
  column: string;
  row: string;
}

interface SnapshotDump {
  migrations: string[];
  tables: TableEntry[];
  referenced: Map<string, Reference>;
}

/** Content-addressed keys and the sha256 their bytes must have. */
const CONTENT_ADDRESS = /^(?:originals\/([0-9a-f]{64})|images\/([0-9a-f]{64})\.[a-z0-9]+)$/;

const isGone = (error: unknown) => error instanceof ObjectNotFoundError;

/**
 * Writes the database and the stored files to a folder while the server keeps running.
 *
 * Consistency: the rows of every table are read inside one read transaction (see
 * BackupRepository.inSnapshot), so they show the database at one moment. Files are
 * content-addressed and written before the row naming them commits, so a file never changes
 * under its key; the one hazard is a file the snapshot names being deleted after the snapshot
 * (a draft voucher deleted or re-redacted meanwhile). So every file storage lists is copied
 * first, just before the snapshot; then any file the snapshot names that was not copied yet
 * (written between the listing and the snapshot) is copied; if one of those is gone by then, a
 * deletion committed after the snapshot took it, and the round (listing, snapshot, copies) runs
 * again, up to `maxAttempts` times, before failing with the names. Files listed but named by no
 * row of the snapshot (uploads committed after it, leftovers) are carried too; they are harmless.
 */
export class BackupService {
  constructor(private readonly deps: BackupServiceDeps) {}

  async backup(outDir: string): Promise<BackupReport> {
    const started = performance.now();
    const createdAt = this.deps.clock.now();
    const folder = await BackupFolderWriter.create(outDir);
    try {
      const files = new Map<string, FileEntry>();
      const skipped = new Set<string>();
      const maxAttempts = this.deps.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        // Everything storage holds now (only what is new since the last attempt), before the snapshot.
        for (const key of await this.deps.storage.list('')) {
          if (isStorageKey(key)) await this.copy(folder, key, files);
          else skipped.add(key);
        }
        let isolation = '';
        const dump = await this.deps.repository.inSnapshot((snapshot) => {
          isolation = snapshot.isolation;
          return this.dumpSnapshot(snapshot, folder);
        });
        const lost: string[] = [];
        for (const [key, ref] of dump.referenced)
          if (!files.has(key) && !(await this.copy(folder, key, files))) lost.push(`${key} (${ref.table} ${ref.row}, ${ref.column})`);
        if (!lost.length) {
          const manifest: BackupManifest = {
            format: BACKUP_FORMAT,
            formatVersion: BACKUP_FORMAT_VERSION,
            createdAt: createdAt.toISOString(),
            source: { dialect: this.deps.repository.dialect },
            migrations: dump.migrations,
            schemaVersion: dump.migrations[dump.migrations.length - 1],
            tables: dump.tables,
            files: [...files.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
            snapshot: { isolation, attempts: attempt },
          };
          await folder.writeManifest(manifest);
          const warnings = [...[...skipped].map((name) => `${name} in storage is not a storage key the server writes; not carried`), ...this.contentAddressWarnings(manifest.files)];
          return { dir: folder.root, manifest, warnings, durationMs: performance.now() - started };
        }
        this.deps.logger.info({ attempt, lost }, '[backup:files-deleted-under-snapshot]');
        if (attempt >= maxAttempts)
          throw new BackupError(
            `storage lost ${lost.length} file(s) the database snapshot names, in ${attempt} snapshot(s) in a row: ${lost.slice(0, 5).join('; ')}` +
              `${lost.length > 5 ? ' …' : ''}. If the server is busy deleting or re-redacting drafts, run backup again; ` +
              'if not, the storage is missing files (run verify)（存储里缺少数据库引用的文件）',
          );
      }
    } catch (error) {
      await folder.discard();
      throw error;
    }
  }

  /** Copies one key unless it is already in; false when it is gone from storage. */
  private async copy(folder: BackupFolderWriter, key: string, files: Map<string, FileEntry>): Promise<boolean> {
    if (files.has(key)) return true;
    const entry = await folder.copyIn(key, () => this.deps.storage.stream(key), isGone);
    if (entry) files.set(key, entry);
    return entry !== null;
  }

  private async dumpSnapshot(snapshot: Snapshot, folder: BackupFolderWriter): Promise<SnapshotDump> {
    const migrations = await snapshot.migrations();
    if (!migrations.length) throw new BackupError('the database has no schema yet: nothing to back up');
    const tables = await snapshot.tables();
    const referenced = new Map<string, Reference>();
    const entries: TableEntry[] = [];
    for (const table of tables) {
      const keyColumns = STORAGE_KEY_COLUMNS[table.name] ?? [];
      const writer = await folder.openTable(table.name);
      let sha256: string;
      try {
        for await (const page of snapshot.rows(table)) {
          const encoded = page.map((row) => {
            const out: Record<string, unknown> = {};
            for (const column of table.columns) {
              try {
                out[column.name] = encodeValue(row[column.name], column.kind);
              } catch (error) {
                throw new BackupError(`cannot read ${table.name}.${column.name} of row ${rowLabel(table.primaryKey, row)}: ${(error as Error).message}`);
              }
            }
            for (const column of keyColumns) {
              const key = row[column];
              if (typeof key === 'string' && key && !referenced.has(key))
                referenced.set(key, { table: table.name, column, row: rowLabel(table.primaryKey, row) });
            }
            return out;
          });
          await writer.write(encoded);
        }
      } finally {
        sha256 = await writer.close();
      }
      entries.push({
        name: table.name,
        rows: writer.rows,
        bytes: writer.bytes,
        sha256,
        columns: table.columns,
        primaryKey: table.primaryKey,
      });
    }
    // Read after the rows: on MySQL the counters are outside the snapshot and only move forward.
    const nextIds = await snapshot.nextIds(tables);
    for (const entry of entries) if (nextIds.has(entry.name)) entry.nextId = nextIds.get(entry.name);
    return { migrations, tables: entries, referenced };
  }

  private contentAddressWarnings(files: FileEntry[]): string[] {
    const warnings: string[] = [];
    for (const file of files) {
      const m = CONTENT_ADDRESS.exec(file.key);
      const expected = m?.[1] ?? m?.[2];
      if (expected && expected !== file.sha256) warnings.push(`file ${file.key}: its bytes hash to ${file.sha256}, not to its name (damaged in storage? run verify)`);
    }
    return warnings;
  }
}

function isStorageKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

function rowLabel(primaryKey: string[], row: Record<string, unknown>): string {
  return primaryKey.length ? primaryKey.map((c) => `${c}=${String(row[c])}`).join(',') : '(no key)';
}
