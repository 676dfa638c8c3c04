import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey } from '../storage/object-storage';
import { BackupError, FILES_DIR, MANIFEST_FILE, manifestSchema, TABLES_DIR, type BackupManifest, type FileEntry } from './format';

async function fsyncPath(file: string, flags = 'r'): Promise<void> {
  const handle = await fs.promises.open(file, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A table's rows going into `tables/<name>.jsonl`, hashed and counted as they are written. */
export class TableFileWriter {
  private readonly hash = createHash('sha256');
  rows = 0;
  bytes = 0;

  private constructor(private readonly handle: fs.promises.FileHandle) {}

  static async open(file: string): Promise<TableFileWriter> {
    return new TableFileWriter(await fs.promises.open(file, 'w'));
  }

  async write(rows: unknown[]): Promise<void> {
    if (!rows.length) return;
    const chunk = Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(''), 'utf8');
    this.hash.update(chunk);
    this.rows += rows.length;
    this.bytes += chunk.length;
    await this.handle.write(chunk);
  }

  async close(): Promise<string> {
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    return this.hash.digest('hex');
  }
}

/**
 * A backup being written. The folder must be new or empty; `manifest.json` goes in last (written
 * aside, synced, renamed), so a folder without it is a backup that did not finish.
 */
export class BackupFolderWriter {
  private readonly createdDirs = new Set<string>();

  private constructor(readonly root: string, private readonly created: boolean) {}

  static async create(dir: string): Promise<BackupFolderWriter> {
    const root = path.resolve(dir);
    const stat = await fs.promises.stat(root).catch(() => null);
    if (stat && !stat.isDirectory()) throw new BackupError(`--out ${root} exists and is not a folder`);
    if (stat && (await fs.promises.readdir(root)).length) throw new BackupError(`--out ${root} is not empty; give a new or empty folder（备份目录不是空的）`);
    await fs.promises.mkdir(path.join(root, TABLES_DIR), { recursive: true });
    await fs.promises.mkdir(path.join(root, FILES_DIR), { recursive: true });
    return new BackupFolderWriter(root, !stat);
  }

  tablePath(name: string): string {
    return path.join(this.root, TABLES_DIR, `${name}.jsonl`);
  }

  openTable(name: string): Promise<TableFileWriter> {
    return TableFileWriter.open(this.tablePath(name));
  }

  /**
   * Copies one stored file in, hashing it on the way. Null when the stream fails because the
   * file is gone (deleted after it was listed); nothing of it is left behind then.
   */
  async copyIn(key: string, open: () => Promise<Readable>, isGone: (error: unknown) => boolean): Promise<FileEntry | null> {
    assertValidKey(key);
    const target = path.join(this.root, FILES_DIR, ...key.split('/'));
    const dir = path.dirname(target);
    if (!this.createdDirs.has(dir)) {
      await fs.promises.mkdir(dir, { recursive: true });
      this.createdDirs.add(dir);
    }
    const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
    const hash = createHash('sha256');
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(await open(), hashing, fs.createWriteStream(partial, { flags: 'wx' }));
      await fsyncPath(partial, 'r+');
      await fs.promises.rename(partial, target);
    } catch (error) {
      await fs.promises.rm(partial, { force: true });
      if (isGone(error) || (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return { key, bytes, sha256: hash.digest('hex') };
  }

  async writeManifest(manifest: BackupManifest): Promise<void> {
    // The folders' entries (the table files, the copied files) are on disk before the manifest names them.
    for (const dir of [path.join(this.root, TABLES_DIR), ...this.createdDirs]) await fsyncPath(dir);
    const file = path.join(this.root, MANIFEST_FILE);
    const partial = `${file}.partial`;
    await fs.promises.writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`);
    await fsyncPath(partial, 'r+');
    await fs.promises.rename(partial, file);
    await fsyncPath(this.root);
  }

  /** After a failure: removes what this backup wrote (the folder too, when this backup made it). */
  async discard(): Promise<void> {
    if (this.created) return fs.promises.rm(this.root, { recursive: true, force: true });
    for (const name of await fs.promises.readdir(this.root).catch(() => [] as string[]))
      await fs.promises.rm(path.join(this.root, name), { recursive: true, force: true });
  }
}

/** A finished backup, read by restore. Nothing in it is trusted before `check` has hashed it. */
export class BackupFolderReader {
  private constructor(readonly root: string, readonly manifest: BackupManifest) {}

  static async open(dir: string): Promise<BackupFolderReader> {
    const root = path.resolve(dir);
    if (!(await fs.promises.stat(root).catch(() => null))?.isDirectory()) throw new BackupError(`--from ${root} is not a folder（找不到备份目录）`);
    let text: string;
    try {
      text = await fs.promises.readFile(path.join(root, MANIFEST_FILE), 'utf8');
    } catch {
      throw new BackupError(`${root} has no ${MANIFEST_FILE}: not a backup, or a backup that did not finish（不是完整的备份）`);
    }
    let parsed;
    try {
      parsed = manifestSchema.safeParse(JSON.parse(text));
    } catch {
      throw new BackupError(`${MANIFEST_FILE} is not JSON（备份清单已损坏）`);
    }
    if (!parsed.success) throw new BackupError(`${MANIFEST_FILE} is not a backup manifest this version reads: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    for (const file of parsed.data.files) {
      try {
        assertValidKey(file.key);
      } catch {
        throw new BackupError(`${MANIFEST_FILE} names an invalid storage key ${JSON.stringify(file.key)}`);
      }
    }
    return new BackupFolderReader(root, parsed.data);
  }

  tablePath(name: string): string {
    return path.join(this.root, TABLES_DIR, `${name}.jsonl`);
  }

  filePath(key: string): string {
    assertValidKey(key);
    return path.join(this.root, FILES_DIR, ...key.split('/'));
  }

  /** sha256 and size of a file's bytes as they are now; null when it is missing. */
  async hashOf(file: string): Promise<{ sha256: string; bytes: number } | null> {
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of fs.createReadStream(file)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return null;
      throw error;
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  /** A table's rows in file order. */
  async *rows(name: string): AsyncGenerator<Record<string, unknown>> {
    const lines = readline.createInterface({ input: fs.createReadStream(this.tablePath(name), 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line) continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new BackupError(`tables/${name}.jsonl line ${n} is not JSON`);
      }
      if (!row || typeof row !== 'object' || Array.isArray(row)) throw new BackupError(`tables/${name}.jsonl line ${n} is not a row`);
      yield row as Record<string, unknown>;
    }
  }

  /** Reads a stored copy whole (files are at most an upload's size). */
  readFile(key: string): Promise<Buffer> {
    return fs.promises.readFile(this.filePath(key));
  }
}
