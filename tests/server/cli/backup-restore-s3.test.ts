import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../server/cli/index';
import type { BackupManifest } from '../../../server/backup/format';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../helpers/databases';
import { amendVoucher, publishMonth } from '../../helpers/publish';
import { useStaffServer } from '../../helpers/review';
import { bucketContents, createTestBucket, s3TestServer, type TestBucket } from '../../helpers/s3-server';
import { envOf } from '../../helpers/test-env';

async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const manifestOf = (dir: string): BackupManifest => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

/**
 * Moving an installation from one machine's folder to S3 is a backup and a restore: the bucket
 * ends up holding exactly the backed-up files, `verify` passes over it, and a backup taken from
 * the bucket names the same files with the same hashes.
 */
(s3TestServer() ? describe : describe.skip)('backup from local files, restore into an S3 bucket', () => {
  const source = useStaffServer('sqlite', async (t) => {
    const [voucher] = await publishMonth(t, t.staff.villageA1, '2026-06', [{ amountFen: 4_200, payee: '村口五金店' }, { amountFen: 900, payee: '县邮政' }]);
    await amendVoucher(t, voucher, { fields: { amountFen: 4_300 } }, '金额抄错了');
  }, 120_000);
  const target = databaseKinds().includes('mariadb') ? 'mariadb' : 'sqlite';
  let database: TestDatabase;
  let bucket: TestBucket;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-s3-backup-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    database = await createTestDatabase(target);
    bucket = await createTestBucket('restore');
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
    await bucket?.remove();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test(`restore into ${target} + S3 fills the bucket with exactly the backed-up files and verify passes`, async () => {
    const out = path.join(tempDir(), 'backup');
    expect((await cli(envOf(source.env), 'backup', '--out', out)).code).toBe(0);
    const files = manifestOf(out).files;
    expect(files.length).toBeGreaterThanOrEqual(6);

    const targetEnv = { ...bucket.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', TMP_DIR: path.join(tempDir(), 'tmp') };
    const restored = await cli(targetEnv, 'restore', '--from', out);
    expect({ code: restored.code, err: restored.err }).toEqual({ code: 0, err: '' });

    const inBucket = await bucketContents(bucket.settings, bucket.name);
    expect(Object.fromEntries(inBucket)).toEqual(Object.fromEntries(files.map((f) => [f.key, f.sha256])));
    expect(await cli(targetEnv, 'verify')).toMatchObject({ code: 0, err: '' });

    const again = path.join(tempDir(), 'again');
    expect((await cli(targetEnv, 'backup', '--out', again)).code).toBe(0);
    expect(manifestOf(again).files).toEqual(files);
  }, 180_000);

  test('restore refuses a bucket that already holds files', async () => {
    const out = path.join(tempDir(), 'backup');
    expect((await cli(envOf(source.env), 'backup', '--out', out)).code).toBe(0);
    const other = await createTestDatabase(target);
    try {
      const refused = await cli({ ...bucket.env, DATABASE_URL: other.url, LOG_LEVEL: 'silent' }, 'restore', '--from', out);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/the target is not empty.*stored file\(s\)/);
      expect(refused.err).not.toMatch(/rows:/);
    } finally {
      await other.drop();
    }
  }, 120_000);
});
