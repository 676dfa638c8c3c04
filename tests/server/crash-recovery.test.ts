import fs from 'node:fs';
import path from 'node:path';
import { databaseKinds } from '../helpers/databases';
import { voucherFixture } from '../helpers/fixtures';
import { NODE_TS, ROOT, spawnProcess, type Spawned } from '../helpers/processes';
import { createStaffFixture, PASSWORD } from '../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../helpers/test-env';
import { filesForm } from '../helpers/upload';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// MariaDB when the suite has it (the production set-up), SQLite otherwise.
const kind = databaseKinds().includes('mariadb') ? 'mariadb' : 'sqlite';

describe(`a server killed while processing a batch (${kind})`, () => {
  let env: TestEnv;
  const servers: Spawned[] = [];

  beforeAll(async () => {
    env = await createTestEnv(kind);
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await env.close();
  });

  async function startServer(): Promise<{ server: Spawned; url: string }> {
    const server = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), 'server/main.ts'], {
      DATABASE_URL: env.database.url,
      STORAGE_DIR: env.config.storageDir,
      TMP_DIR: env.config.tmpDir,
      PORT: '0',
      DEMO_DATA: '0',
      JOB_LEASE_SECONDS: '3',
      JOB_POLL_MS: '100',
      WEB_DIR: path.join(env.tmpDir, 'no-web'),
    }, ROOT);
    servers.push(server);
    const [, url] = await server.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)\/"/, 60_000);
    return { server, url };
  }

  test('comes back and finishes every voucher exactly once, leaving no stray files', async () => {
    const staff = await createStaffFixture(env.container);
    const { vouchers } = env.container.repositories;
    let { server, url } = await startServer();
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'acct-a1', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const files = ['v001.jpg', 'v002.jpg', 'v003.jpg', 'v004.jpg', 'v005.jpg', 'v006.jpg', 'v010.jpg', 'v011.jpg'];
    const res = await fetch(`${url}/api/villages/${staff.villageA1}/months/2026-05/vouchers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: filesForm(files.map((f) => ({ name: f, data: voucherFixture(f) }))),
    });
    expect(res.status).toBe(202);
    const ids = ((await res.json()) as { results: Array<{ id: number }> }).results.map((r) => r.id);
    expect(ids).toHaveLength(files.length);

    // Kill it hard once some, but not all, vouchers are done.
    const states = async () => Promise.all(ids.map(async (id) => (await vouchers.findById(id))!.status));
    const deadline = Date.now() + 120_000;
    while (!(await states()).includes('ready') && Date.now() < deadline) await sleep(100);
    server.child.kill('SIGKILL');
    await server.exited;
    const atKill = await states();
    expect(atKill).toContain('processing');

    ({ server } = await startServer());
    const until = Date.now() + 180_000;
    while ((await states()).includes('processing') && Date.now() < until) await sleep(250);
    server.child.kill('SIGTERM');
    await server.exited;

    expect(await states()).toEqual(ids.map(() => 'ready'));
    // Exactly one "processed" record per voucher: none was filed twice.
    for (const id of ids) {
      const events = await env.container.repositories.audit.listForSubject('voucher', String(id));
      expect({ id, processed: events.filter((e) => e.action === 'voucher.processed').length }).toEqual({ id, processed: 1 });
    }
    // Every stored file belongs to a voucher, and nothing half-written is left.
    const keys = await env.container.storage.list('');
    const inUse = await vouchers.keysInUse(keys);
    expect(keys.filter((k) => !inUse.has(k))).toEqual([]);
    expect(fs.readdirSync(path.join(env.config.storageDir, '.tmp'))).toEqual([]);
    const jobs = await env.container.repositories.jobs.list({ type: 'voucher.process' });
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  }, 400_000);
});
