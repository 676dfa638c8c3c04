import { z } from 'zod';

/**
 * The backup folder, written by `backup --out DIR` and read by `restore --from DIR`:
 *
 *   DIR/manifest.json          written last: a folder without it is an unfinished backup
 *   DIR/tables/<table>.jsonl   one JSON object per row (column → value), primary-key order
 *   DIR/files/<storage key>    every stored file, at its storage key
 *
 * Values are engine-neutral: times are ISO 8601 in UTC with milliseconds, binary is base64,
 * everything else is the JSON number or string the database gave. The manifest holds each
 * table's row count and the sha256 of its JSONL bytes, and each file's size and sha256.
 */
export const BACKUP_FORMAT = 'yiyanming-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const TABLES_DIR = 'tables';
export const FILES_DIR = 'files';

/** How a column's values are written: times and binary need an engine-neutral spelling. */
export type ColumnKind = 'datetime' | 'blob' | 'plain';

export function columnKind(sqlType: string): ColumnKind {
  if (/^(DATETIME|TIMESTAMP)\b/i.test(sqlType)) return 'datetime';
  if (/BLOB|BINARY/i.test(sqlType)) return 'blob';
  return 'plain';
}

/**
 * Columns that hold storage keys: a backup carries every file these name in its snapshot, and a
 * restore refuses a backup that lacks one. (Chain manifests name images by sha256; every one is
 * also a `published_images` row.) The backup test checks that every `*_key` column is listed.
 */
export const STORAGE_KEY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  vouchers: ['original_key', 'display_key', 'thumb_key', 'public_display_key', 'public_thumb_key'],
  published_images: ['storage_key'],
};

/**
 * Settings a server generates for itself on its first start (the token secret): a database
 * holding only these still counts as empty, and a restore replaces them with the backup's.
 */
export const SELF_GENERATED_SETTINGS = ['auth.token_secret'];

const TABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const tableEntrySchema = z.object({
  name: z.string().regex(TABLE_NAME),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256,
  columns: z.array(z.object({ name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), kind: z.enum(['datetime', 'blob', 'plain']) })).min(1),
  primaryKey: z.array(z.string()),
  /** The id the table's auto-increment counter hands out next, when it has one. */
  nextId: z.number().int().positive().optional(),
});
export type TableEntry = z.infer<typeof tableEntrySchema>;

export const fileEntrySchema = z.object({ key: z.string(), bytes: z.number().int().nonnegative(), sha256 });
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.string(),
  source: z.object({ dialect: z.enum(['sqlite', 'mysql']) }),
  /** Every migration applied to the source, in order; the last is the schema version. */
  migrations: z.array(z.string()).min(1),
  schemaVersion: z.string(),
  /** In dependency order: a table comes after every table it refers to. */
  tables: z.array(tableEntrySchema),
  files: z.array(fileEntrySchema),
  /** How the snapshot was taken: its transaction, and how many times storage changed under it. */
  snapshot: z.object({ isolation: z.string(), attempts: z.number().int().positive() }),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** A refusal or failure the operator can act on: the CLI prints it and exits 1. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** How SQLite rows hold times (Sequelize writes `2025-01-05 12:34:56.789 +00:00`), and ISO too. */
const SQL_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** A time as the database returned it (a Date, or SQLite's text) → ISO UTC with milliseconds. */
export function encodeTime(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('invalid date');
    return value.toISOString();
  }
  if (typeof value === 'string') {
    const m = SQL_TIME.exec(value.trim());
    if (m) {
      const fraction = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
      let zone = m[4] ?? 'Z';
      if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
      const date = new Date(`${m[1]}T${m[2]}.${fraction}${zone}`);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
  }
  throw new Error(`not a time: ${JSON.stringify(value)}`);
}

/** One value as the database returned it → its JSON spelling in the backup. */
export function encodeValue(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'datetime') return encodeTime(value);
  if (kind === 'blob') {
    if (Buffer.isBuffer(value)) return value.toString('base64');
    throw new Error(`not binary: ${JSON.stringify(value)}`);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) throw new Error('binary value in a column that is not binary');
  if (value instanceof Date) throw new Error('time value in a column that is not a time');
  return value;
}

/** A backup's JSON value → what goes into an INSERT on this engine (times in the spelling the models write). */
export function decodeValue(value: unknown, kind: ColumnKind, dialect: 'sqlite' | 'mysql'): unknown {
  if (value === null) return null;
  if (kind === 'datetime') {
    if (typeof value !== 'string' || !ISO_UTC.test(value)) throw new Error(`not an ISO UTC time: ${JSON.stringify(value)}`);
    const text = `${value.slice(0, 10)} ${value.slice(11, 23)}`;
    // Sequelize's own spellings: SQLite compares times as text, so it must match what the models write.
    return dialect === 'sqlite' ? `${text} +00:00` : text;
  }
  if (kind === 'blob') {
    if (typeof value !== 'string') throw new Error('binary value is not base64 text');
    return Buffer.from(value, 'base64');
  }
  if (typeof value === 'object') throw new Error(`unexpected value ${JSON.stringify(value)}`);
  return value;
}

export function isValidTableName(name: string): boolean {
  return TABLE_NAME.test(name);
}
