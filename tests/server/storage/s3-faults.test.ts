import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../../../server/config';
import { createContainer } from '../../../server/container';
import { createLogger } from '../../../server/logger';
import { databaseKinds } from '../../helpers/databases';
import { voucherFixture } from '../../helpers/fixtures';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { NODE_TS, spawnProcess } from '../../helpers/processes';
import { s3ServerEnv, s3TestClient, s3TestServer, uniqueBucketName, deleteBucketFully, createTestBucket, type TestBucket } from '../../helpers/s3-server';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';
import { filesForm, footprint } from '../../helpers/upload';

const server = s3TestServer();
const CLOSED_PORT_URL = 'http://127.0.0.1:9'; // discard port: nothing listens here

async function startWith(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-s3-start-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, LOG_LEVEL: 'silent', ...env }, dir);
  try {
    const container = await createContainer(config, createLogger('silent'));
    await container.close();
    return null;
  } catch (error) {
    return error as Error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(server ? describe : describe.skip)('S3 storage that is wrong at start stops the start with a plain reason', () => {
  let bucket: TestBucket;
  beforeAll(async () => {
    bucket = await createTestBucket('start');
  }, 60_000);
  afterAll(() => bucket?.remove(), 60_000);

  test('an endpoint nobody answers on', async () => {
    const error = await startWith({ ...bucket.env, S3_ENDPOINT: CLOSED_PORT_URL });
    expect(error?.message).toMatch(/S3 bucket "[^"]+" at http:\/\/127\.0\.0\.1:9 is unreachable/);
  }, 60_000);

  test('a wrong secret key', async () => {
    const error = await startWith({ ...bucket.env, S3_SECRET_ACCESS_KEY: 'not-the-secret' });
    expect(error?.message).toMatch(/refused the credentials \(HTTP 403\): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
  });

  test('a bucket that does not exist, unless the server may create it', async () => {
    const name = uniqueBucketName('missing');
    const error = await startWith({ ...bucket.env, S3_BUCKET: name });
    expect(error?.message).toMatch(new RegExp(`S3 bucket "${name}" .* does not exist: create it, or set S3_CREATE_BUCKET=1`));

    expect(await startWith({ ...bucket.env, S3_BUCKET: name, S3_CREATE_BUCKET: '1' })).toBeNull();
    const client = s3TestClient(server!);
    try {
      await expect(client.send(new HeadBucketCommand({ Bucket: name }))).resolves.toBeDefined();
    } finally {
      client.destroy();
      await deleteBucketFully(server!, name);
    }
    // Starting again over the bucket it created is fine.
  }, 60_000);

  test('settings missing or malformed are named before anything is contacted', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET must be a bucket name/);
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'photos' })).toThrow(/needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...s3ServerEnv(server!, 'photos'), S3_ENDPOINT: 'ftp://x' })).toThrow(/S3_ENDPOINT must be an http\(s\) URL/);
    expect(() => loadConfig({ ...s3ServerEnv(server!, 'photos'), S3_PREFIX: '/abs' })).toThrow(/S3_PREFIX must look like/);
    expect(() => loadConfig({ STORAGE_DRIVER: 'ftp' })).toThrow(/STORAGE_DRIVER must be local or s3/);
    expect(() => loadConfig({ PUBLIC_IMAGE_DELIVERY: 'redirect' })).toThrow(/needs STORAGE_DRIVER=s3/);
  });

  test('the real server process prints the reason and exits 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-s3-main-'));
    try {
      const child = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), 'server/main.ts'], {
        ...bucket.env,
        S3_ENDPOINT: CLOSED_PORT_URL,
        DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
        TMP_DIR: path.join(dir, 'tmp'),
        PORT: '0',
        DEMO_DATA: '0',
      });
      expect(await child.exited).toBe(1);
      expect(child.output()).toMatch(/yiyanming could not start: S3 bucket "[^"]+" at http:\/\/127\.0\.0\.1:9 is unreachable/);
      // Stopped before the database was touched.
      expect(fs.existsSync(path.join(dir, 'db.sqlite'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

(server ? describe.each(databaseKinds()) : describe.skip.each(databaseKinds()))('S3 going away while the server runs, on %s', (kind) => {
  let proxy: TcpProxy;
  let env: TestEnv;
  let api: TestServer;
  let staff: StaffFixture;
  let token: string;
  const month = '2026-03';

  beforeAll(async () => {
    proxy = await startTcpProxy(server!.endpoint);
    // Job retries start at 1 s in production; here the first retry waits the same.
    env = await createTestEnv(kind, { S3_ENDPOINT: proxy.url, JOB_POLL_MS: '50' }, { storage: 's3' });
    api = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
    token = (await api.request('POST', '/api/auth/login', { json: { username: staff.users.accountantA1.username, password: PASSWORD } })).body.token;
  }, 60_000);
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await api?.close();
    await env?.close();
    await proxy?.close();
  }, 60_000);

  const upload = (name: string) =>
    api.request('POST', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { body: filesForm([{ name, data: voucherFixture(name) }]), token });

  test('an upload answers 503 in plain Chinese and records nothing; once storage is back the same upload succeeds', async () => {
    const before = await footprint(env);
    await proxy.cut();
    try {
      const res = await upload('v001.jpg');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(res.body.error).toEqual({ code: 'unavailable', message: '存放图片的服务器暂时连不上，请过几分钟再试', retryAfterSeconds: 30, requestId: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|S3/);
      // Nothing half-recorded: no voucher, job or audit row; the upload's temp files are gone too.
      expect(await rowsAndTemp(env)).toEqual({ vouchers: before.vouchers, jobs: before.jobs, audit: before.audit, tmpEntries: before.tmpEntries });
    } finally {
      await proxy.restore();
    }
    expect(await footprint(env)).toEqual(before);
    const res = await upload('v001.jpg');
    expect(res.status).toBe(202);
    expect(res.body.results[0]).toMatchObject({ file: 'v001.jpg', status: 'processing' });
  }, 60_000);

  test('a job that cannot reach storage is retried with backoff and finishes once storage is back', async () => {
    const runner = env.container.createJobRunner();
    await runner.drain();
    const res = await upload('v002.jpg');
    expect(res.status).toBe(202);
    const id = res.body.results[0].id as number;
    await proxy.cut();
    try {
      expect(await runner.runOne()).toBe(true);
      const [job] = (await env.container.repositories.jobs.list({ type: 'voucher.process' })).filter((j) => (j.payload as { voucherId: number }).voucherId === id);
      expect(job).toMatchObject({ status: 'queued', attempts: 1 });
      expect(job.lastError).toMatch(/S3|storage|ECONNREFUSED|unreachable|socket/i);
      expect(job.runAfter.getTime()).toBeGreaterThan(Date.now() + 200); // backoff, not a busy loop
      const voucher = (await api.request('GET', `/api/vouchers/${id}`, { token })).body.voucher;
      expect(voucher.status).toBe('processing');
    } finally {
      await proxy.restore();
    }
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await runner.drain();
    const voucher = (await api.request('GET', `/api/vouchers/${id}`, { token })).body.voucher;
    expect(voucher.status).toBe('ready');
  }, 120_000);

  test('public images answer 503 while storage is away, not 500 or a broken body', async () => {
    const [voucher] = await env.container.repositories.vouchers.listForMonth(staff.villageA1, month);
    await proxy.cut();
    try {
      const res = await api.request('GET', `/api/vouchers/${voucher.id}/image?variant=original`, { token });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
    } finally {
      await proxy.restore();
    }
  }, 60_000);
});

async function rowsAndTemp(env: TestEnv) {
  const { models } = env.container;
  return {
    vouchers: await models.Voucher.count(),
    jobs: await models.Job.count(),
    audit: await models.AuditEvent.count(),
    tmpEntries: fs.existsSync(env.config.tmpDir) ? fs.readdirSync(env.config.tmpDir) : [],
  };
}
