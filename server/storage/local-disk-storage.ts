import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, ObjectNotFoundError, type ObjectStorage, type SweepableStorage } from './object-storage';

/**
 * Files under one folder. Writes go to `.tmp/` first, are fsynced, then renamed into place,
 * so a crash never leaves a half-written file under a real key (only a `.tmp/` file, which
 * `removeAbandonedWrites` clears). A file's mtime is when it was last put.
 */
export class LocalDiskStorage implements ObjectStorage, SweepableStorage {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, '.tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  get description(): string {
    return `local folder ${this.root}`;
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.write(key, async (tmp) => {
      const handle = await fs.promises.open(tmp, 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  async putFile(key: string, filePath: string): Promise<void> {
    await this.write(key, async (tmp) => {
      await pipeline(fs.createReadStream(filePath), fs.createWriteStream(tmp, { flags: 'wx' }));
      const handle = await fs.promises.open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  private async write(key: string, fill: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    // Same key, same bytes: keep the file, but as freshly written, so a sweep's grace period
    // counts from this put (an upload retried after a crash adopts the original it left).
    if (await this.touch(target)) return;
    const tmp = path.join(this.tmpDir, `${randomBytes(8).toString('hex')}.part`);
    try {
      await fill(tmp);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.rename(tmp, target);
    } catch (error) {
      await fs.promises.rm(tmp, { force: true });
      throw error;
    }
    // The rename is only durable once the folder entry is on disk too.
    const dir = await fs.promises.open(path.dirname(target), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Marks an existing file as written now; false when there is none (any more). */
  private async touch(file: string): Promise<boolean> {
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) return false;
    const now = new Date();
    try {
      await fs.promises.utimes(file, now, now);
    } catch (error) {
      // Swept in between: write it again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    return true;
  }

  async writtenAt(key: string): Promise<Date | null> {
    const stat = await fs.promises.stat(this.pathOf(key)).catch(() => null);
    return stat?.isFile() ? stat.mtime : null;
  }

  async listWritten(prefix: string): Promise<Array<{ key: string; writtenAt: Date }>> {
    const out: Array<{ key: string; writtenAt: Date }> = [];
    for (const key of await this.list(prefix)) {
      const writtenAt = await this.writtenAt(key);
      if (writtenAt) out.push({ key, writtenAt });
    }
    return out;
  }

  async removeAbandonedWrites(before: Date): Promise<number> {
    let removed = 0;
    for (const name of await fs.promises.readdir(this.tmpDir).catch(() => [] as string[])) {
      const file = path.join(this.tmpDir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (!stat || stat.mtime >= before) continue;
      await fs.promises.rm(file, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.promises.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async stream(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    if (!(await this.exists(key))) throw new ObjectNotFoundError(key);
    return fs.createReadStream(file);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.size(key)) !== null;
  }

  async size(key: string): Promise<number | null> {
    const stat = await fs.promises.stat(this.pathOf(key)).catch(() => null);
    return stat?.isFile() ? stat.size : null;
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const base = path.join(this.root, ...prefix.split('/').filter(Boolean));
    const out: string[] = [];
    const walk = async (dir: string) => {
      const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else out.push(path.relative(this.root, full).split(path.sep).join('/'));
      }
    };
    await walk(base);
    return out.filter((key) => !key.startsWith('.tmp/')).sort();
  }
}
