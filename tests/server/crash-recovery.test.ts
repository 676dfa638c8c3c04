import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import {
  backdate,
  diedOfSigkill,
  kill,
  startHangingUpload,
  startServer,
  uploadFolders,
  uploadOne,
  type Installation,
  type RunningServer,
} from '../helpers/crash-server';
import { databaseKinds } from '../helpers/databases';
import { voucherFixture } from '../helpers/fixtures';
import { ROOT, spawnProcess } from '../helpers/processes';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../helpers/test-env';

/**
 * Issue 8: the real server, as a child process, is killed with SIGKILL while it receives
 * uploads, while it processes them and while it approves the month: at the crash points of
 * server/adapters/crash-points.ts (YYM_CRASH_AT) and by us from outside. It is started again
 * after each, and at the end every acknowledged voucher is processed exactly once, nothing an
 * unacknowledged upload stored is left, storage holds exactly what the database names, the
 * month is wholly published, and `verify` passes.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
// MariaDB when the suite has it (the production set-up), SQLite otherwise.
const kind = databaseKinds().includes('mariadb') ? 'mariadb' : 'sqlite';

const MONTH = '2026-05';
/** The month's vouchers: real photographed and scanned receipts, each its own image. */
const ACCEPTED = Array.from({ length: 20 }, (_, i) => `v${String(i + 1).padStart(3, '0')}.jpg`);
/** Its upload dies after the original is stored, before the row commits; never sent again. */
const ABANDONED_STORED = 'v021.jpg';
/** The server is killed while this body streams in; never sent again. */
const ABANDONED_MID_BODY = 'v022.jpg';

/** Short leases, so a job whose server died is taken again soon after the restart. */
const JOB_SETTINGS = { JOB_LEASE_SECONDS: '5', JOB_POLL_MS: '100' };
const NO_WORKERS = { ...JOB_SETTINGS, WORKERS_IN_PROCESS: '0' };
const WORKERS = { ...JOB_SETTINGS, WORKERS_IN_PROCESS: '1', WORKER_CONCURRENCY: '2' };

describe(`a server killed with SIGKILL while uploading, processing and approving (${kind})`, () => {
  let env: TestEnv;
  let installation: Installation;
  let staff: StaffFixture;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    installation = { databaseUrl: env.database.url, storageDir: env.config.storageDir, tmpDir: env.config.tmpDir, webDir: path.join(env.tmpDir, 'no-web') };
    staff = await createStaffFixture(env.container);
  });
  afterAll(async () => {
    for (const s of servers) await kill(s);
    await env?.close();
  });

  async function start(settings: Record<string, string>): Promise<RunningServer> {
    const server = await startServer(installation, settings);
    servers.push(server);
    return server;
  }

  async function login(server: RunningServer, username: string): Promise<string> {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function call(server: RunningServer, method: string, url: string, token: string, json?: unknown): Promise<{ status: number; body: any } | null> {
    try {
      const res = await fetch(server.url + url, {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    } catch {
      return null; // the server died before answering
    }
  }

  /** Job id → the workers that died holding it: each such death costs the job one attempt. */
  const diedHolding = new Map<number, Set<string>>();
  async function noteInterruptedJobs(): Promise<void> {
    for (const job of await env.container.repositories.jobs.list({ status: 'running' })) {
      if (!diedHolding.has(job.id)) diedHolding.set(job.id, new Set());
      diedHolding.get(job.id)!.add(job.leaseOwner!);
    }
  }
  async function crashed(server: RunningServer, point: string, timeoutMs: number): Promise<void> {
    await diedOfSigkill(server, timeoutMs);
    expect(server.process.output()).toContain(`[crash-point] ${point}`);
    await noteInterruptedJobs();
  }

  const vouchersOf = (file: string) => env.container.models.Voucher.findAll({ where: { sha256: sha256(voucherFixture(file)) } });
  async function statuses(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const v of await env.container.repositories.vouchers.listForMonth(staff.villageA1, MONTH)) counts[v.status] = (counts[v.status] ?? 0) + 1;
    return counts;
  }
  async function referencedKeys(keys: string[]): Promise<Set<string>> {
    const { vouchers, chain } = env.container.repositories;
    return new Set([...(await vouchers.keysInUse(keys)), ...(await chain.publishedKeys(keys))]);
  }
  async function unreferencedKeys(): Promise<string[]> {
    const keys = await env.container.storage.list('');
    const used = await referencedKeys(keys);
    return keys.filter((k) => !used.has(k));
  }
  /** Where the month stands in each place publishing writes to. */
  async function monthState() {
    const { publications, chain, audit } = env.container.repositories;
    const indexed = await env.container.sequelize.query<{ id: number | string }>('SELECT voucher_id AS id FROM public_search WHERE village_id = ? AND month = ?', {
      replacements: [staff.villageA1, MONTH],
      type: QueryTypes.SELECT,
    });
    const approvals = (await audit.listForSubject('month', `${staff.villageA1}/${MONTH}`)).filter((e) => e.action === 'month.approved');
    return {
      status: (await publications.find(staff.villageA1, MONTH))?.status,
      chainEntries: (await chain.listForMonth(staff.villageA1, MONTH)).map((e) => e.kind),
      indexed: indexed.map((r) => Number(r.id)).sort((a, b) => a - b),
      approvals: approvals.length,
    };
  }

  test('comes back each time, and ends with every acknowledged voucher processed once, nothing stray and the month whole', async () => {
    const began = Date.now();
    const { jobs, audit, vouchers } = env.container.repositories;
    const target = { villageId: staff.villageA1, month: MONTH, tmpDir: installation.tmpDir };
    /** File → the voucher the server acknowledged for it. */
    const accepted = new Map<string, number>();
    const upload = async (server: RunningServer, token: string, file: string) => {
      const answer = await uploadOne(server.url, token, staff.villageA1, MONTH, file, voucherFixture(file));
      expect({ file, status: answer?.status }).toEqual({ file, status: 202 });
      accepted.set(file, answer!.body.results![0].id!);
    };

    // (a) Receiving uploads, one file per request as the staff app sends them; no worker runs yet.
    // 1. Killed after the third file's original is stored, before its row commits: never acknowledged.
    let server = await start({ ...NO_WORKERS, YYM_CRASH_AT: 'upload.stored@3' });
    const token = await login(server, 'acct-a1');
    await upload(server, token, 'v001.jpg');
    await upload(server, token, 'v002.jpg');
    expect(await uploadOne(server.url, token, staff.villageA1, MONTH, ABANDONED_STORED, voucherFixture(ABANDONED_STORED))).toBeNull();
    await crashed(server, 'upload.stored', 30_000);
    expect(await vouchersOf(ABANDONED_STORED)).toHaveLength(0);
    const strayOriginal = `originals/${sha256(voucherFixture(ABANDONED_STORED))}`;
    expect(await env.container.storage.exists(strayOriginal)).toBe(true); // for the sweep, at the end

    // 2. Killed after the row, its job and its upload record commit, before the 202 goes out.
    server = await start({ ...NO_WORKERS, YYM_CRASH_AT: 'upload.committed@2' });
    await upload(server, token, 'v003.jpg');
    expect(await uploadOne(server.url, token, staff.villageA1, MONTH, 'v004.jpg', voucherFixture('v004.jpg'))).toBeNull();
    await crashed(server, 'upload.committed', 30_000);
    const [committed] = await vouchersOf('v004.jpg');
    expect(committed.status).toBe('processing');
    expect((await audit.listForSubject('voucher', String(committed.id))).map((e) => e.action)).toEqual(['voucher.uploaded']);
    expect((await jobs.list({ type: 'voucher.process' })).filter((j) => (j.payload as { voucherId: number }).voucherId === committed.id)).toHaveLength(1);

    // 3. The client sends v004 again and is told which voucher it already is; the rest go in; then
    //    we kill the server while a body is streaming in.
    server = await start(NO_WORKERS);
    const again = await uploadOne(server.url, token, staff.villageA1, MONTH, 'v004.jpg', voucherFixture('v004.jpg'));
    expect(again?.status).toBe(409);
    expect(again?.body.results?.[0].error).toMatchObject({ code: 'conflict', existingVoucherId: committed.id });
    accepted.set('v004.jpg', committed.id);
    for (const file of ACCEPTED.slice(4)) await upload(server, token, file);
    const hanging = await startHangingUpload(server.url, token, target, ABANDONED_MID_BODY, voucherFixture(ABANDONED_MID_BODY));
    await kill(server);
    hanging.abandon();
    expect(await vouchersOf(ABANDONED_MID_BODY)).toHaveLength(0);
    expect(await env.container.storage.exists(`originals/${sha256(voucherFixture(ABANDONED_MID_BODY))}`)).toBe(false);
    // Each request the server died in left its upload folder: two crash points and the half-received body.
    expect(uploadFolders(installation.tmpDir)).toHaveLength(3);
    expect([...accepted.keys()].sort()).toEqual(ACCEPTED);
    const ids = ACCEPTED.map((f) => accepted.get(f)!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const file of ACCEPTED) expect({ file, rows: (await vouchersOf(file)).length }).toEqual({ file, rows: 1 });
    const uploadedAt = Date.now();

    // (b) Processing, two jobs at a time in the server.
    // 4. Killed when a job has stored its derived images but not saved the voucher naming them.
    server = await start({ ...WORKERS, YYM_CRASH_AT: 'process.derived@2' });
    await crashed(server, 'process.derived', 180_000);
    const strayDerived = (await unreferencedKeys()).filter((k) => k.startsWith('images/'));
    expect(strayDerived.length).toBeGreaterThan(0);

    // 5. Killed when a job has committed its voucher as ready, before marking the job done.
    server = await start({ ...WORKERS, YYM_CRASH_AT: 'process.saved@2' });
    await crashed(server, 'process.saved', 180_000);
    const heldByDead = await jobs.list({ status: 'running' });
    const savedButRunning = [];
    for (const job of heldByDead) if ((await vouchers.findById((job.payload as { voucherId: number }).voucherId))!.status === 'ready') savedButRunning.push(job.id);
    expect(savedButRunning.length).toBeGreaterThan(0);

    // 6. Killed by us once more vouchers are done and one of its jobs is in the middle of one.
    server = await start(WORKERS);
    const [, owner] = await server.process.waitForOutput(/"owner":"([^"]+)".*\[jobs\.runner:start\]/, 30_000);
    const readyBefore = (await statuses()).ready ?? 0;
    for (const until = Date.now() + 180_000; ; ) {
      const running = (await jobs.list({ status: 'running' })).filter((j) => j.leaseOwner === owner);
      const busy = await Promise.all(running.map(async (j) => (await vouchers.findById((j.payload as { voucherId: number }).voucherId))!.status === 'processing'));
      if (((await statuses()).ready ?? 0) > readyBefore && busy.includes(true)) break;
      if (Date.now() > until) throw new Error(`no moment to kill at: ${JSON.stringify(await statuses())}`);
      await sleep(50);
    }
    await kill(server);
    await noteInterruptedJobs();
    expect((await statuses()).processing).toBeGreaterThan(0);

    // 7. Left to finish.
    server = await start(WORKERS);
    for (const until = Date.now() + 300_000; (await statuses()).processing; ) {
      if (Date.now() > until) throw new Error(`processing did not finish: ${JSON.stringify(await statuses())}`);
      await sleep(250);
    }
    const processedAt = Date.now();

    // Exactly once: each voucher saved once (version 1 → 2), with one upload and one processing record,
    // and one job, done, whose attempts are its first plus one per worker that died holding it.
    const list = await vouchers.listForMonth(staff.villageA1, MONTH);
    expect(list.map((v) => v.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    const processJobs = await jobs.list({ type: 'voucher.process' });
    for (const v of list) {
      const actions = (await audit.listForSubject('voucher', String(v.id))).map((e) => e.action);
      const own = processJobs.filter((j) => (j.payload as { voucherId: number }).voucherId === v.id);
      expect({ id: v.id, status: v.status, version: v.version, actions, jobs: own.length }).toEqual({
        id: v.id,
        status: 'ready',
        version: 2,
        actions: ['voucher.uploaded', 'voucher.processed'],
        jobs: 1,
      });
      const [job] = own;
      expect({ id: v.id, status: job.status, finished: job.finishedAt !== null, lastError: job.lastError, attempts: job.attempts }).toEqual({
        id: v.id,
        status: 'done',
        finished: true,
        lastError: null,
        attempts: 1 + (diedHolding.get(job.id)?.size ?? 0),
      });
    }
    expect(processJobs.length).toBe(ACCEPTED.length);
    expect(processJobs.some((j) => j.attempts > 1)).toBe(true);

    // (c) Approval. The accountant confirms the flags and submits.
    for (const v of list) {
      const open = [...new Set(v.flags.filter((f) => !f.acknowledged).map((f) => f.type))];
      if (open.length) expect((await call(server, 'PATCH', `/api/vouchers/${v.id}`, token, { version: v.version, acknowledgeFlags: open }))?.status).toBe(200);
    }
    expect((await call(server, 'POST', `/api/villages/${staff.villageA1}/months/${MONTH}/submit`, token))?.status).toBe(200);
    const officialToken = await login(server, 'official-a');
    await kill(server);
    const approve = (s: RunningServer) =>
      call(s, 'POST', `/api/villages/${staff.villageA1}/months/${MONTH}/approve`, officialToken, { overrideReason: '崩溃恢复测试：遮挡已人工核对' });
    const sortedIds = [...ids].sort((a, b) => a - b);

    // 8. Killed inside the approval's transaction, everything written but not committed: nothing of it stays.
    server = await start({ ...WORKERS, YYM_CRASH_AT: 'approve.uncommitted' });
    expect(await approve(server)).toBeNull();
    await crashed(server, 'approve.uncommitted', 60_000);
    expect(await monthState()).toEqual({ status: 'submitted', chainEntries: [], indexed: [], approvals: 0 });

    // 9. Killed after the commit, before the answer: all of it stays.
    server = await start({ ...WORKERS, YYM_CRASH_AT: 'approve.committed' });
    expect(await approve(server)).toBeNull();
    await crashed(server, 'approve.committed', 60_000);
    expect(await monthState()).toEqual({ status: 'published', chainEntries: ['publication'], indexed: sortedIds, approvals: 1 });

    // What the crashes left: the abandoned original, derived copies of jobs that died before saving
    // (unless their rerun made the same bytes, and so adopted them), and the half-received body.
    const leftovers = await unreferencedKeys();
    expect(leftovers).toContain(strayOriginal);
    expect(leftovers.filter((k) => k !== strayOriginal && !k.startsWith('images/'))).toEqual([]);
    const unfinishedWrites = fs.readdirSync(path.join(installation.storageDir, '.tmp')).length;

    // 10. Two hours later (every file's time set back), the server starts and sweeps them.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    backdate(installation.storageDir, twoHoursAgo);
    backdate(installation.tmpDir, twoHoursAgo);
    server = await start(WORKERS);
    const [swept] = await server.process.waitForOutput(/\{[^\n]*\[leftovers:swept\][^\n]*\}/, 60_000);
    expect(JSON.parse(swept)).toMatchObject({ deleted: leftovers.length, abandonedWrites: unfinishedWrites, uploadFolders: 3 });

    // The official, who never got an answer, approves again and is told it is done.
    const repeated = await approve(server);
    expect(repeated).toMatchObject({ status: 409, body: { error: { code: 'conflict', state: 'published' } } });
    const head = await env.container.repositories.chain.headOfMonth(staff.villageA1, MONTH);
    const page = await call(server, 'GET', `/api/villages/${staff.villageA1}/months/${MONTH}`, '');
    expect(page?.status).toBe(200);
    expect({ count: page!.body.count, digest: page!.body.digest, ids: page!.body.vouchers.map((v: { id: number }) => v.id).sort((a: number, b: number) => a - b) }).toEqual({
      count: ACCEPTED.length,
      digest: head!.digest,
      ids: sortedIds,
    });
    server.process.child.kill('SIGTERM');
    expect(await server.process.exited).toBe(0);
    expect(await monthState()).toEqual({ status: 'published', chainEntries: ['publication'], indexed: sortedIds, approvals: 1 });

    // Storage holds exactly what the database names, each file once: an original and one set of
    // copies per voucher; nothing half-written, no upload folder, nothing of the abandoned uploads.
    const keys = await env.container.storage.list('');
    const named = new Set(list.flatMap((v) => [v.originalKey, v.displayKey!, v.thumbKey!, v.publicDisplayKey!, v.publicThumbKey!]));
    expect(keys).toEqual([...named].sort());
    expect(await unreferencedKeys()).toEqual([]);
    expect(fs.readdirSync(path.join(installation.storageDir, '.tmp'))).toEqual([]);
    expect(uploadFolders(installation.tmpDir)).toEqual([]);
    expect(await vouchersOf(ABANDONED_STORED)).toHaveLength(0);
    expect(await vouchersOf(ABANDONED_MID_BODY)).toHaveLength(0);

    // And the command line's own check of chain, database and stored bytes agrees.
    const verify = spawnProcess('npm', ['run', '-s', 'cli', '--', 'verify'], { DATABASE_URL: installation.databaseUrl, STORAGE_DIR: installation.storageDir, LOG_LEVEL: 'silent' }, ROOT);
    const verified = await verify.exited;
    expect({ code: verified, output: verify.output() }).toEqual({ code: 0, output: expect.stringContaining('verify: everything matches') });

    const seconds = (ms: number) => Math.round(ms / 1000);
    console.log(
      `crash recovery (${kind}): uploads ${seconds(uploadedAt - began)} s, processing ${seconds(processedAt - uploadedAt)} s, ` +
        `approval and checks ${seconds(Date.now() - processedAt)} s; ${strayDerived.length} derived file(s) stray after the processing crash, ` +
        `${leftovers.length} file(s) swept, job attempts ${JSON.stringify(processJobs.filter((j) => j.attempts > 1).map((j) => [j.id, j.attempts]))}`,
    );
  }, 480_000);
});
