import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { BackupRepository } from '../../../server/backup/backup-repository';
import { BackupService } from '../../../server/backup/backup-service';
import { BackupError, STORAGE_KEY_COLUMNS, type BackupManifest } from '../../../server/backup/format';
import { runCli } from '../../../server/cli/index';
import { loadConfig } from '../../../server/config';
import { createContainer, type Container } from '../../../server/container';
import { storageKeysOf } from '../../../server/domain/voucher';
import { createLogger } from '../../../server/logger';
import { ObjectNotFoundError, type ObjectStorage } from '../../../server/storage/object-storage';
import { createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from '../../helpers/databases';
import { amendVoucher, publishMonth, submitMonth } from '../../helpers/publish';
import { seedReadyVoucher, useStaffServer, type StaffServer } from '../../helpers/review';
import { PASSWORD } from '../../helpers/staff-fixture';
import type { TestEnv } from '../../helpers/test-env';

/** Round trips across engines when MariaDB is there (both ways), SQLite to SQLite otherwise. */
const kinds = databaseKinds();
const PAIRS: Array<[DatabaseKind, DatabaseKind]> = kinds.includes('mariadb')
  ? [
      ['sqlite', 'mariadb'],
      ['mariadb', 'sqlite'],
    ]
  : [['sqlite', 'sqlite']];

type CliEnv = Record<string, string>;

async function cli(env: CliEnv, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A database and storage folder that nothing has touched: what `restore` is for. */
interface Target {
  database: TestDatabase;
  env: CliEnv;
  storageDir: string;
  open(): Promise<Container>;
  close(): Promise<void>;
}

const scratch: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

async function emptyTarget(kind: DatabaseKind): Promise<Target> {
  const database = await createTestDatabase(kind);
  const dir = tempDir('yym-restore-');
  const env = { DATABASE_URL: database.url, STORAGE_DIR: path.join(dir, 'files'), WEB_DIR: path.join(dir, 'web'), LOG_LEVEL: 'silent' };
  const opened: Container[] = [];
  return {
    database,
    env,
    storageDir: env.STORAGE_DIR,
    async open() {
      const container = await createContainer(loadConfig(env, dir), createLogger('silent'));
      opened.push(container);
      return container;
    },
    async close() {
      for (const c of opened) await c.close();
      await database.drop();
    },
  };
}

const manifestOf = (dir: string): BackupManifest => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

/** A table's rows as sorted JSON lines: equal when every row and value is equal, whatever the engine's order. */
function tableLines(dir: string, table: string): string[] {
  return fs.readFileSync(path.join(dir, 'tables', `${table}.jsonl`), 'utf8').split('\n').filter(Boolean).sort();
}

async function rowCounts(container: Container): Promise<Record<string, number>> {
  const repository = new BackupRepository(container.sequelize);
  const tables = await repository.tables();
  return Object.fromEntries(await repository.rowCounts(tables.map((t) => t.name)));
}

async function storedFiles(container: Container, storageDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await container.storage.list('')) out[key] = createHash('sha256').update(fs.readFileSync(path.join(storageDir, ...key.split('/')))).digest('hex');
  return out;
}

const sourceEnv = (t: StaffServer): CliEnv => ({ DATABASE_URL: t.env.database.url, STORAGE_DIR: t.env.config.storageDir, LOG_LEVEL: 'silent' });
const asEnv = (container: Container) => ({ container }) as TestEnv;

describe.each(PAIRS)('backup on %s, restore on %s', (fromKind, toKind) => {
  const published: number[] = [];
  let deletedDraftId = 0;
  const t = useStaffServer(
    fromKind,
    async (t) => {
      const { villageA1, villageA2, villageB1 } = t.staff;
      // Two published months, one with an amount correction and a withdrawal, in another village a third.
      const jan = await publishMonth(t, villageA1, '2025-01', [{ description: '修水渠用的水泥', payee: '建材商店' }, { description: '办公纸张' }, {}]);
      const feb = await publishMonth(t, villageA1, '2025-02', [{ description: '路灯维修' }, {}]);
      published.push(...[...jan, ...feb].map((v) => v.id));
      await amendVoucher(t, jan[1], { fields: { amountFen: 4321 } }, '金额写错了');
      await amendVoucher(t, feb[1], { withdraw: true }, '重复报销');
      await publishMonth(t, villageB1, '2025-01', [{ description: '水泥和沙子' }]);
      // A submitted month, a draft, and a deleted draft, so the counters run past the last id stored.
      await seedReadyVoucher(t.env, villageA2, '2025-03');
      await submitMonth(t, villageA2, '2025-03');
      await seedReadyVoucher(t.env, villageA1, '2025-03', { description: '草稿' });
      const doomed = await seedReadyVoucher(t.env, villageA1, '2025-03');
      const accountant = await t.env.container.services.auth.authenticate(t.tokens.accountantA1);
      await t.env.container.services.vouchers.remove(accountant, doomed.id);
      deletedDraftId = doomed.id;
      // A failed login: a throttle row and an audit row.
      await expect(t.env.container.services.auth.login('acct-a1', 'wrong-password')).rejects.toThrow();
      await t.env.container.repositories.jobs.enqueue({ type: 'voucher.process', payload: { voucherId: published[0] } });
    },
    120_000,
  );

  let backupDir: string;
  let target: Target;
  let restored: Container;
  afterAll(async () => target?.close());

  test('every column holding a storage key is one a backup carries the files of', async () => {
    for (const table of await new BackupRepository(t.env.container.sequelize).tables())
      for (const column of table.columns.filter((c) => c.name.endsWith('_key')))
        expect({ table: table.name, column: column.name, listed: STORAGE_KEY_COLUMNS[table.name]?.includes(column.name) ?? false }).toMatchObject({ listed: true });
  });

  test('backup writes a manifest with the schema version, row counts and every file hashed', async () => {
    backupDir = path.join(tempDir('yym-backup-'), 'b1');
    const result = await cli(sourceEnv(t), 'backup', '--out', backupDir);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('backup: done in');
    const manifest = manifestOf(backupDir);
    const counts = await rowCounts(t.env.container);
    expect(Object.fromEntries(manifest.tables.map((x) => [x.name, x.rows]))).toEqual(counts);
    expect(manifest.migrations).toEqual(await new BackupRepository(t.env.container.sequelize).appliedMigrations());
    expect(manifest.migrations).toContain('0003-public-search');
    expect(manifest.schemaVersion).toBe(manifest.migrations[manifest.migrations.length - 1]);
    // Parents before children; the engine-specific full-text tables are not carried.
    const order = manifest.tables.map((x) => x.name);
    for (const [child, parent] of [['villages', 'towns'], ['users', 'villages'], ['vouchers', 'users'], ['amendments', 'vouchers'], ['public_search', 'vouchers']])
      expect(order.indexOf(child)).toBeGreaterThan(order.indexOf(parent));
    expect(order.filter((n) => n.includes('fts'))).toEqual([]);
    expect(manifest.tables.find((x) => x.name === 'vouchers')!.nextId).toBe(deletedDraftId + 1);
    // Every file storage holds, each hashed.
    const files = await storedFiles(t.env.container, t.env.config.storageDir);
    expect(Object.fromEntries(manifest.files.map((f) => [f.key, f.sha256]))).toEqual(files);
    for (const f of manifest.files) expect(createHash('sha256').update(fs.readFileSync(path.join(backupDir, 'files', ...f.key.split('/')))).digest('hex')).toBe(f.sha256);
    // Times are ISO UTC with milliseconds.
    const audit = tableLines(backupDir, 'audit_events').map((l) => JSON.parse(l));
    expect(audit.length).toBeGreaterThan(5);
    for (const row of audit) expect(row.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test(`restore fills an empty ${toKind} database and storage; verify passes and everything is equal`, async () => {
    target = await emptyTarget(toKind);
    const result = await cli(target.env, 'restore', '--from', backupDir);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('verify: everything matches');
    expect(result.out).toContain(`village ${t.staff.villageA1} 甲一村: 4 chain entries (2 publications, 2 amendments)`);
    restored = await target.open();
    expect(await cli(target.env, 'verify')).toMatchObject({ code: 0, out: expect.stringContaining('verify: everything matches') });

    // Row counts, every row (a second backup of the restored side holds the same lines), files.
    expect(await rowCounts(restored)).toEqual(await rowCounts(t.env.container));
    const again = path.join(tempDir('yym-backup-'), 'b2');
    expect((await cli(target.env, 'backup', '--out', again)).code).toBe(0);
    for (const table of manifestOf(backupDir).tables) expect({ table: table.name, lines: tableLines(again, table.name) }).toEqual({ table: table.name, lines: tableLines(backupDir, table.name) });
    expect(await storedFiles(restored, target.storageDir)).toEqual(await storedFiles(t.env.container, t.env.config.storageDir));

    // A sample through the models: ids, exact times, amounts, withdrawal.
    const sample = async (c: Container) =>
      (await c.models.Voucher.findAll({ order: [['id', 'ASC']] })).map((v) => ({
        id: v.id, createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString(), amountFen: Number(v.amountFen), payee: v.payee,
        withdrawnAt: v.withdrawnAt?.toISOString() ?? null, publicDisplayKey: v.publicDisplayKey,
      }));
    expect(await sample(restored)).toEqual(await sample(t.env.container));
    const entries = async (c: Container) => (await c.models.ChainEntry.findAll({ order: [['id', 'ASC']] })).map((e) => [e.id, e.digest, e.createdAt.toISOString()]);
    expect(await entries(restored)).toEqual(await entries(t.env.container));

    // The public month reads the same, search finds the same receipts, the old password logs in.
    const month = (c: Container) => c.services.publicRead.month(t.staff.villageA1, '2025-01');
    expect(await month(restored)).toEqual(await month(t.env.container));
    const search = (c: Container) => c.services.search.search({ q: '水泥', page: 1, pageSize: 20 } as never);
    const hits = await search(restored);
    expect(hits.total).toBe(2);
    expect(hits).toEqual(await search(t.env.container));
    const login = await restored.services.auth.login('acct-a1', PASSWORD);
    expect(login.user).toMatchObject({ username: 'acct-a1', role: 'accountant' });
    // A token of the source works too: the signing secret came along.
    expect((await restored.services.auth.authenticate(t.tokens.officialA)).username).toBe('official-a');

    // Ids continue where the source's would have: the deleted draft's id is not handed out again.
    const next = await seedReadyVoucher(asEnv(restored), t.staff.villageA1, '2025-03');
    expect(next.id).toBe(deletedDraftId + 1);
  }, 120_000);

  test('restore refuses a target that is not empty, with exit 1', async () => {
    const result = await cli(target.env, 'restore', '--from', backupDir);
    expect(result.code).toBe(1);
    expect(result.err).toContain('the target is not empty');
    expect(result.err).toMatch(/vouchers \d+/);
    // Storage alone holding files is not empty either.
    const other = await emptyTarget(toKind);
    try {
      fs.mkdirSync(path.join(other.storageDir, 'images'), { recursive: true });
      fs.writeFileSync(path.join(other.storageDir, 'images', 'leftover.jpg'), 'x');
      const refused = await cli(other.env, 'restore', '--from', backupDir);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('1 stored file(s)');
    } finally {
      await other.close();
    }
  }, 60_000);

  test('restore refuses a tampered backup (a changed file or row) with exit 1 and writes nothing', async () => {
    const manifest = manifestOf(backupDir);
    const tamper = async (change: (dir: string) => void, expected: string | RegExp) => {
      const copy = path.join(tempDir('yym-tampered-'), 'b');
      fs.cpSync(backupDir, copy, { recursive: true });
      change(copy);
      const fresh = await emptyTarget(toKind);
      try {
        const result = await cli(fresh.env, 'restore', '--from', copy);
        expect(result.code).toBe(1);
        expect(result.err).toMatch(expected);
        const container = await fresh.open();
        const counts = await rowCounts(container);
        expect(Object.entries(counts).filter(([table, n]) => n > 0 && table !== 'app_settings')).toEqual([]);
        expect(await container.storage.list('')).toEqual([]);
      } finally {
        await fresh.close();
      }
    };
    const image = manifest.files.find((f) => f.key.startsWith('images/'))!;
    await tamper((dir) => {
      const file = path.join(dir, 'files', ...image.key.split('/'));
      const bytes = fs.readFileSync(file);
      bytes[bytes.length >> 1] ^= 1;
      fs.writeFileSync(file, bytes);
    }, new RegExp(`file ${image.key} does not match the manifest`));
    await tamper((dir) => {
      const file = path.join(dir, 'tables', 'vouchers.jsonl');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"amount_fen":(\d+)/, (_m, n) => `"amount_fen":${Number(n) + 1}`));
    }, /tables\/vouchers\.jsonl does not match the manifest/);
    await tamper((dir) => fs.rmSync(path.join(dir, 'files', ...image.key.split('/'))), `file ${image.key} is missing from the backup`);
    await tamper((dir) => fs.rmSync(path.join(dir, 'manifest.json')), 'not a backup, or a backup that did not finish');

    /** A copy with one table's rows edited and the manifest rewritten to match, so the hashes pass. */
    const forge = (edit: (lines: string[]) => void) => {
      const copy = path.join(tempDir('yym-forged-'), 'b');
      fs.cpSync(backupDir, copy, { recursive: true });
      const file = path.join(copy, 'tables', 'vouchers.jsonl');
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      edit(lines);
      fs.writeFileSync(file, lines.join('\n'));
      const forged = manifestOf(copy);
      const entry = forged.tables.find((x) => x.name === 'vouchers')!;
      entry.sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      entry.bytes = fs.statSync(file).size;
      fs.writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(forged));
      return copy;
    };
    const lineOf = (lines: string[], id: number) => lines.findIndex((l) => l.startsWith(`{"id":${id},`));

    // A row pointing at a village that does not exist: the insert fails whole, no row and no file stays.
    const dangling = forge((lines) => {
      const i = lineOf(lines, published[0]);
      lines[i] = lines[i].replace(/"village_id":\d+/, '"village_id":999');
    });
    const broken = await emptyTarget(toKind);
    try {
      const result = await cli(broken.env, 'restore', '--from', dangling);
      expect(result.code).toBe(1);
      expect(result.err).toContain('the rows could not be inserted, so nothing was restored');
      const container = await broken.open();
      expect(Object.entries(await rowCounts(container)).filter(([table, n]) => n > 0 && table !== 'app_settings')).toEqual([]);
      expect(await container.storage.list('')).toEqual([]);
    } finally {
      await broken.close();
    }

    // An amount changed: the hashes pass, the chain does not, and restore's verify says so.
    const changed = forge((lines) => {
      const i = lineOf(lines, published[0]);
      lines[i] = lines[i].replace(/"amount_fen":(\d+)/, (_m, n) => `"amount_fen":${Number(n) + 100}`);
    });
    const fresh = await emptyTarget(toKind);
    try {
      const result = await cli(fresh.env, 'restore', '--from', changed);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`MISMATCH village ${t.staff.villageA1} 甲一村: voucher ${published[0]} amountFen`);
    } finally {
      await fresh.close();
    }
  }, 180_000);

  test('a backup of an older schema is restored at its version and migrated on; one from a newer version is refused', async () => {
    const withMigrations = (migrations: string[], withoutTables: string[] = []) => {
      const copy = path.join(tempDir('yym-schema-'), 'b');
      fs.cpSync(backupDir, copy, { recursive: true });
      const manifest = manifestOf(copy);
      const tables = manifest.tables.filter((x) => !withoutTables.includes(x.name));
      fs.writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify({ ...manifest, tables, migrations, schemaVersion: migrations[migrations.length - 1] }));
      return copy;
    };
    const { migrations } = manifestOf(backupDir);
    // 0004 only adds indexes and 0005 adds the job claims' job_village_turns, so the rows of a
    // backup made at 0003 are these same rows but that table's.
    const atVersion = migrations.indexOf('0003-public-search');
    const older = await emptyTarget(toKind);
    try {
      const result = await cli(older.env, 'restore', '--from', withMigrations(migrations.slice(0, atVersion + 1), ['job_village_turns']));
      expect(result).toMatchObject({ code: 0, out: expect.stringContaining(`then applied: ${migrations.slice(atVersion + 1).join(', ')}`) });
      expect(result.out).toContain('verify: everything matches');
    } finally {
      await older.close();
    }
    const newer = await emptyTarget(toKind);
    try {
      const result = await cli(newer.env, 'restore', '--from', withMigrations([...migrations, '9999-from-the-future']));
      expect(result).toMatchObject({ code: 1, err: expect.stringContaining('the backup was made by a newer version (schema 9999-from-the-future unknown here)') });
    } finally {
      await newer.close();
    }
  }, 120_000);

  test('backup refuses a folder that is not empty or inside storage, and needs --out', async () => {
    const dir = tempDir('yym-backup-full-');
    fs.writeFileSync(path.join(dir, 'something'), 'x');
    expect(await cli(sourceEnv(t), 'backup', '--out', dir)).toMatchObject({ code: 1, err: expect.stringContaining('is not empty') });
    expect((await cli(sourceEnv(t), 'backup')).code).toBe(2);
    expect(await cli(sourceEnv(t), 'backup', '--out', path.join(t.env.config.storageDir, 'backup'))).toMatchObject({ code: 2, err: expect.stringContaining('outside STORAGE_DIR') });
    expect((await cli(sourceEnv(t), 'restore')).code).toBe(2);
  });

  test('backup warns about a stored file whose bytes do not match its address, and a name that is no storage key', async () => {
    const storageDir = t.env.config.storageDir;
    const damaged = `images/${'0'.repeat(64)}.jpg`;
    fs.writeFileSync(path.join(storageDir, 'images', `${'0'.repeat(64)}.jpg`), 'not these bytes');
    fs.writeFileSync(path.join(storageDir, 'NOTES.txt'), 'an operator left this here');
    try {
      const dir = path.join(tempDir('yym-backup-warn-'), 'b');
      const result = await cli(sourceEnv(t), 'backup', '--out', dir);
      expect(result.code).toBe(0);
      expect(result.err).toContain(`warning: file ${damaged}: its bytes hash to`);
      expect(result.err).toContain('warning: NOTES.txt in storage is not a storage key the server writes; not carried');
      expect(manifestOf(dir).files.map((f) => f.key)).toContain(damaged);
    } finally {
      fs.rmSync(path.join(storageDir, 'images', `${'0'.repeat(64)}.jpg`));
      fs.rmSync(path.join(storageDir, 'NOTES.txt'));
    }
  });

  test('a backup taken while uploads, edits, deletions and publications run is consistent, and restores to a store verify passes', async () => {
    const { container } = t.env;
    const { auth, review } = container.services;
    const accountant = await auth.authenticate(t.tokens.accountantA2);
    const [accountantB, officialB] = [await auth.authenticate(t.tokens.accountantB1), await auth.authenticate(t.tokens.officialB)];
    const villageId = t.staff.villageA2;
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      for (let n = 0; !stop; n++) {
        // A month published: vouchers, publication, chain entry and search rows change in one transaction.
        const month = `${2015 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
        await seedReadyVoucher(t.env, t.staff.villageB1, month, { description: `并发公开${n}` });
        await review.submit(accountantB, t.staff.villageB1, month);
        await review.approve(officialB, t.staff.villageB1, month, {});
        const voucher = await seedReadyVoucher(t.env, villageId, '2025-05', { description: `并发${n}` });
        const current = await container.services.vouchers.get(accountant, voucher.id);
        // Re-redaction stores new public copies and deletes the old ones once the edit commits.
        await container.services.vouchers.update(accountant, voucher.id, {
          version: current.version,
          fields: { payee: `改过的收款方${n}` },
          redactions: [{ box: [10, 10, 60, 40], type: 'manual', source: 'manual' }],
        });
        if (n % 2 === 0) await container.services.vouchers.remove(accountant, voucher.id);
        writes++;
      }
    })();
    let failed: unknown = null;
    writer.catch((error) => (failed = error));
    const dirs: string[] = [];
    try {
      // Let the writer get going, then back up a few times while it runs.
      while (writes < 2 && !failed) await new Promise((r) => setTimeout(r, 10));
      const writesBefore = writes;
      for (let i = 0; i < 3; i++) {
        const dir = path.join(tempDir('yym-backup-busy-'), 'b');
        const result = await cli(sourceEnv(t), 'backup', '--out', dir);
        expect(result).toMatchObject({ code: 0, err: '' });
        dirs.push(dir);
      }
      // The backups really ran beside the writes.
      expect(writes).toBeGreaterThan(writesBefore);
    } finally {
      stop = true;
      await writer;
    }
    expect(writes).toBeGreaterThan(3);

    for (const dir of dirs) {
      // Every file a row names is in the backup.
      const manifest = manifestOf(dir);
      const keys = new Set(manifest.files.map((f) => f.key));
      for (const line of tableLines(dir, 'vouchers')) {
        const row = JSON.parse(line);
        for (const column of STORAGE_KEY_COLUMNS.vouchers) if (row[column]) expect(keys.has(row[column])).toBe(true);
      }
    }
    // Each one restored: verify passes (the chain, the months and the vouchers agree) and every voucher's files are there.
    for (const dir of dirs) {
      const busyTarget = await emptyTarget(toKind);
      try {
        const result = await cli(busyTarget.env, 'restore', '--from', dir);
        expect(result).toMatchObject({ code: 0, err: '', out: expect.stringContaining('verify: everything matches') });
        const c = await busyTarget.open();
        const vouchers = await c.models.Voucher.findAll();
        expect(vouchers.length).toBe(manifestOf(dir).tables.find((x) => x.name === 'vouchers')!.rows);
        for (const v of vouchers)
          for (const key of storageKeysOf(v)) expect({ key, there: await c.storage.exists(key) }).toEqual({ key, there: true });
      } finally {
        await busyTarget.close();
      }
    }
  }, 180_000);

  test('a file the snapshot names but storage lost after it: a new snapshot is taken, or backup fails naming it', async () => {
    const { container } = t.env;
    const accountant = await container.services.auth.authenticate(t.tokens.accountantA2);
    const draft = await seedReadyVoucher(t.env, t.staff.villageA2, '2025-06');
    const hidden = draft.originalKey;
    /** Storage as if `hidden` were written after the listing and deleted before it was copied. */
    const racing = (onLost: () => Promise<void>): ObjectStorage => {
      const real = container.storage;
      return Object.assign(Object.create(real), {
        list: async (prefix: string) => (await real.list(prefix)).filter((k) => k !== hidden),
        stream: async (key: string) => {
          if (key !== hidden) return real.stream(key);
          await onLost();
          throw new ObjectNotFoundError(key);
        },
      });
    };
    const service = (storage: ObjectStorage) =>
      new BackupService({ repository: new BackupRepository(container.sequelize), storage, clock: container.clock, logger: container.logger });

    // Nothing deletes the row: every snapshot still names the file, so backup gives up and cleans up.
    const failedDir = path.join(tempDir('yym-backup-lost-'), 'b');
    const failure = await service(racing(async () => {})).backup(failedDir).catch((e) => e);
    expect(failure).toBeInstanceOf(BackupError);
    expect(failure.message).toContain(`${hidden} (vouchers id=${draft.id}, original_key)`);
    expect(failure.message).toContain('5 snapshot(s) in a row');
    expect(fs.existsSync(failedDir)).toBe(false);

    // The deletion commits (the draft removed, its files with it): the second snapshot no longer names it.
    const dir = path.join(tempDir('yym-backup-lost-'), 'b');
    const report = await service(racing(() => container.services.vouchers.remove(accountant, draft.id))).backup(dir);
    expect(report.manifest.snapshot.attempts).toBe(2);
    expect(report.manifest.files.map((f) => f.key)).not.toContain(hidden);
    expect(tableLines(dir, 'vouchers').some((l) => l.includes(`"id":${draft.id},`))).toBe(false);
  }, 60_000);
});
