import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { uploadOne } from '../helpers/crash-server';
import { databaseKinds } from '../helpers/databases';
import { REAL_INVOICES_DIR, VOUCHERS_DIR } from '../helpers/fixtures';
import { NODE_TS, ROOT, spawnProcess, type Spawned } from '../helpers/processes';
import { bucketContents, s3TestServer, type S3TestSettings } from '../helpers/s3-server';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../helpers/staff-fixture';
import { createTestEnv, envOf, type TestEnv } from '../helpers/test-env';
import { storageKeysOf, type VoucherRecord } from '../../server/domain/voucher';

/**
 * Scale-out: the production shape with real processes. Two API processes (`server/main.ts`,
 * no in-process jobs) and two job workers (`cli worker`) share one MariaDB database and one
 * S3 bucket. 40 real receipt photos go in through both APIs for two villages of one town; one
 * worker is killed with SIGKILL in the middle of a voucher, and the other finishes its work.
 * Then every voucher has been processed exactly once, both months are approved through the
 * APIs, both APIs answer the published data byte for byte alike, `verify` passes against the
 * bucket, the bucket holds exactly what the database names, and everything stops cleanly.
 */

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Needs MariaDB and an S3 server; under CI=true both helpers throw when either is missing. */
const available = databaseKinds().includes('mariadb') && s3TestServer() !== null;

const MONTH = '2026-10';
/**
 * 40 distinct images: the 30 photographed village vouchers, and 10 of the real-world invoices
 * (leaving out r02, a 12-megapixel photo, r09 and r10, deliberately unreadable, and r15, a
 * sheet of ten tickets: each would only be slower, not different).
 */
const FILES = [
  ...Array.from({ length: 30 }, (_, i) => path.join(VOUCHERS_DIR, `v${String(i + 1).padStart(3, '0')}.jpg`)),
  ...['r01.jpg', 'r03.png', 'r04.png', 'r05.png', 'r06.png', 'r07.jpg', 'r08.jpg', 'r11.jpg', 'r12.jpg', 'r14.jpg'].map((f) => path.join(REAL_INVOICES_DIR, f)),
];
/** Short leases, so the killed worker's job is taken again within seconds; quick polling. */
const JOBS = { JOB_LEASE_SECONDS: '4', JOB_POLL_MS: '200' };

interface Api {
  process: Spawned;
  url: string;
}

interface Worker {
  process: Spawned;
  /** Its lease owner in the jobs table: `<host>:<pid>:<random>`. */
  owner: string;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET whose body comes back exactly as sent (no transparent decompression). */
function getRaw(url: string, encoding: 'identity' | 'gzip' = 'identity'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The JSON log lines of a process (pino writes one object per line). */
function logLines(process: Spawned): Array<Record<string, unknown>> {
  return process
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** Resolves with the exit code, or rejects when the process is still running after `ms`. */
async function exitWithin(process: Spawned, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${process.output().slice(-3000)}`)), ms)));
  try {
    return await Promise.race([process.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

(available ? describe : describe.skip)('two APIs and two workers on one MariaDB database and one S3 bucket', () => {
  let env: TestEnv;
  let s3: S3TestSettings;
  let staff: StaffFixture;
  let apis: Api[] = [];
  let workers: Worker[] = [];
  /** Every child process, recorded as it is spawned, so afterAll ends each one whatever failed. */
  const spawned: Spawned[] = [];

  beforeAll(async () => {
    // A fresh MariaDB database (migrated) and a fresh bucket, and the staff fixture in it.
    env = await createTestEnv('mariadb', {}, { storage: 's3' });
    s3 = s3TestServer()!;
    staff = await createStaffFixture(env.container);
    const shared = { ...envOf(env), ...JOBS, LOG_LEVEL: 'info' };
    const spawn = (script: string[], extra: Record<string, string>) => {
      const child = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), ...script], { ...shared, ...extra }, ROOT);
      spawned.push(child);
      return child;
    };

    // The real server, as tests/helpers/crash-server.ts starts it, on a free port; each API has
    // its own TMP_DIR for uploads being received, as on separate machines.
    const startApi = async (n: number): Promise<Api> => {
      const tmpDir = path.join(env.tmpDir, `api-${n}`);
      const process = spawn(['server/main.ts'], { PORT: '0', TMP_DIR: tmpDir, WEB_DIR: path.join(tmpDir, 'no-web'), WORKERS_IN_PROCESS: '0', DEMO_DATA: '0' });
      const [, url] = await process.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)\/"/, 90_000);
      return { process, url };
    };
    // What `npm run -s cli -- worker` runs, without npm in between so signals reach it directly.
    const startWorker = async (n: number): Promise<Worker> => {
      const process = spawn(['server/cli/index.ts', 'worker'], { TMP_DIR: path.join(env.tmpDir, `worker-${n}`) });
      const [, owner] = await process.waitForOutput(/"owner":"([^"]+)"[^\n]*\[jobs\.runner:start\]/, 90_000);
      return { process, owner };
    };
    [apis, workers] = await Promise.all([Promise.all([startApi(1), startApi(2)]), Promise.all([startWorker(1), startWorker(2)])]);
  }, 180_000);

  afterAll(async () => {
    for (const p of spawned) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
    await env?.close(); // drops the database, empties and removes the bucket, removes the scratch folder
  }, 120_000);

  async function login(api: Api, username: string): Promise<string> {
    const res = await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function call(api: Api, method: string, url: string, token: string, json?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(api.url + url, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  test('share the work, survive a killed worker, publish the same bytes from both APIs, and stop cleanly', async () => {
    const { vouchers, jobs, audit } = env.container.repositories;
    const [api1, api2] = apis;
    const [victim, survivor] = workers;
    const villages = [staff.villageA1, staff.villageA2];
    // Tokens are issued by one API and used on both: the signing secret is kept in the shared database.
    const accountant = { [staff.villageA1]: await login(api1, 'acct-a1'), [staff.villageA2]: await login(api2, 'acct-a2') };
    const official = await login(api2, 'official-a');

    // 1. Uploads: one file per request, as the staff app sends them; consecutive files alternate
    //    between the APIs, and pairs of them between the two villages of one town.
    const began = Date.now();
    const uploaded: Array<{ file: string; id: number; villageId: number; sha256: string }> = [];
    for (const [i, file] of FILES.entries()) {
      const api = apis[i % 2];
      const villageId = villages[Math.floor(i / 2) % 2];
      const data = fs.readFileSync(file);
      const answer = await uploadOne(api.url, accountant[villageId], villageId, MONTH, path.basename(file), data);
      expect({ file, status: answer?.status }).toEqual({ file, status: 202 });
      uploaded.push({ file, id: answer!.body.results![0].id!, villageId, sha256: sha256(data) });
    }
    const ids = uploaded.map((u) => u.id).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(FILES.length);
    expect(new Set(uploaded.map((u) => u.sha256)).size).toBe(FILES.length);
    const uploadedAt = Date.now();

    const counts = async () => {
      const all = (await Promise.all(villages.map((v) => vouchers.listForMonth(v, MONTH)))).flat();
      return { ready: all.filter((v) => v.status === 'ready').length, processing: all.filter((v) => v.status === 'processing').length, failed: all.filter((v) => v.status === 'failed').length };
    };

    // Who finished which voucher, from the workers' own logs.
    const doneLines = (w: { process: Spawned }) => logLines(w.process).filter((l) => l.msg === '[vouchers.process:done]');
    const finishedBy = (w: { process: Spawned }) => doneLines(w).map((l) => l.voucher as number);

    // 2. Once both workers have finished a few vouchers each, the victim is killed without any
    //    chance to clean up, just after it claimed its next job: the job is leased to it (its
    //    owner names the victim's pid) and its voucher is still processing.
    expect(victim.owner).toContain(`:${victim.process.child.pid}:`);
    const seen = new Set<number>();
    const justClaimed = async (): Promise<{ jobId: number; voucherId: number } | null> => {
      const sharing = finishedBy(victim).length >= 3 && finishedBy(survivor).length >= 3;
      let found: { jobId: number; voucherId: number } | null = null;
      for (const job of (await jobs.list({ status: 'running' })).filter((j) => j.leaseOwner === victim.owner)) {
        const voucherId = (job.payload as { voucherId: number }).voucherId;
        if (sharing && !seen.has(job.id) && (await vouchers.findById(voucherId))?.status === 'processing') found = { jobId: job.id, voucherId };
        seen.add(job.id);
      }
      return found;
    };
    let interrupted = await justClaimed();
    for (const until = Date.now() + 300_000; !interrupted; interrupted = await justClaimed()) {
      if (Date.now() > until) throw new Error(`no moment to kill the worker at: ${JSON.stringify(await counts())}`);
      await sleep(20);
    }
    victim.process.child.kill('SIGKILL');
    await victim.process.exited;
    expect(victim.process.child.signalCode).toBe('SIGKILL');
    const killedAt = Date.now();
    const heldByVictim = (await jobs.list({ status: 'running' })).filter((j) => j.leaseOwner === victim.owner);
    expect(heldByVictim.map((j) => j.id)).toEqual([interrupted.jobId]);
    expect((await vouchers.findById(interrupted.voucherId))!.status).toBe('processing');

    // 3. The survivor takes the job once its lease runs out, and finishes everything.
    for (const until = Date.now() + 600_000; ; ) {
      const now = await counts();
      if (now.ready === FILES.length) break;
      if (now.failed || Date.now() > until) throw new Error(`processing did not finish: ${JSON.stringify(now)}\n${survivor.process.output().slice(-3000)}`);
      await sleep(250);
    }
    const processedAt = Date.now();

    // Exactly once: each voucher saved once (version 1 → 2) with one upload and one processing
    // record, and one job, done; only the interrupted job took a second attempt.
    const list = (await Promise.all(villages.map((v) => vouchers.listForMonth(v, MONTH)))).flat();
    expect(list.map((v) => v.id).sort((a, b) => a - b)).toEqual(ids);
    const processJobs = await jobs.list({ type: 'voucher.process' });
    expect(processJobs).toHaveLength(FILES.length);
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
      expect({ id: v.id, status: own[0].status, finished: own[0].finishedAt !== null, lastError: own[0].lastError, attempts: own[0].attempts }).toEqual({
        id: v.id,
        status: 'done',
        finished: true,
        lastError: null,
        attempts: v.id === interrupted.voucherId ? 2 : 1,
      });
    }

    // Each voucher was finished by exactly one worker, both took part, and the interrupted
    // voucher was finished by the survivor, on the job's second attempt.
    const byVictim = finishedBy(victim);
    const bySurvivor = finishedBy(survivor);
    expect([...byVictim, ...bySurvivor].sort((a, b) => a - b)).toEqual(ids);
    expect(byVictim.length).toBeGreaterThanOrEqual(3);
    expect(bySurvivor).toContain(interrupted.voucherId);
    expect(byVictim).not.toContain(interrupted.voucherId);
    expect(logLines(survivor.process).filter((l) => l.msg === '[jobs.runner:done]' && l.job === interrupted.jobId).map((l) => l.attempt)).toEqual([2]);

    // 4. Review through both APIs: the accountants confirm every flag and submit, the town's
    //    official approves each village's month (a different API for each).
    for (const [i, v] of list.entries()) {
      const open = [...new Set(v.flags.filter((f) => !f.acknowledged).map((f) => f.type))];
      if (open.length) expect((await call(apis[i % 2], 'PATCH', `/api/vouchers/${v.id}`, accountant[v.villageId], { version: v.version, acknowledgeFlags: open })).status).toBe(200);
    }
    const digests: Record<number, string> = {};
    for (const [i, villageId] of villages.entries()) {
      const submitted = await call(apis[i], 'POST', `/api/villages/${villageId}/months/${MONTH}/submit`, accountant[villageId]);
      expect({ villageId, status: submitted.status, state: submitted.body?.status }).toEqual({ villageId, status: 200, state: 'submitted' });
      const approved = await call(apis[1 - i], 'POST', `/api/villages/${villageId}/months/${MONTH}/approve`, official, { overrideReason: '扩展测试：遮挡已人工核对' });
      expect({ villageId, status: approved.status, state: approved.body?.status }).toEqual({ villageId, status: 200, state: 'published' });
      digests[villageId] = approved.body.digest;
    }

    // 5. Both APIs answer the published data with the same bytes and the same ETags: each month
    //    (plain and gzip), its CSV, every receipt's public JSON, and every public image.
    const same = async (url: string, encoding: 'identity' | 'gzip' = 'identity') => {
      const [a, b] = await Promise.all([getRaw(api1.url + url, encoding), getRaw(api2.url + url, encoding)]);
      expect({ url, status: a.status }).toEqual({ url, status: 200 });
      expect({ url, status: b.status, etag: b.headers.etag, type: b.headers['content-type'] }).toEqual({ url, status: 200, etag: a.headers.etag, type: a.headers['content-type'] });
      expect({ url, same: a.body.equals(b.body) }).toEqual({ url, same: true });
      return a;
    };
    for (const villageId of villages) {
      const monthUrl = `/api/villages/${villageId}/months/${MONTH}`;
      const page = await same(monthUrl);
      expect(page.headers.etag).toMatch(/^"[^"]+"$/);
      await same(monthUrl, 'gzip');
      const month = JSON.parse(page.body.toString('utf8'));
      const own = uploaded.filter((u) => u.villageId === villageId).map((u) => u.id);
      expect({ digest: month.digest, count: month.count, ids: month.vouchers.map((v: { id: number }) => v.id).sort((a: number, b: number) => a - b) }).toEqual({
        digest: digests[villageId],
        count: own.length,
        ids: own.sort((a, b) => a - b),
      });
      const csv = await same(`${monthUrl}/export.csv`);
      expect(csv.body.toString('utf8')).toContain(digests[villageId]);
      for (const v of month.vouchers as Array<{ id: number; imageUrl: string; thumbUrl: string }>) {
        expect((await same(`/api/vouchers/${v.id}/public`)).headers.etag).toMatch(/^"[^"]+"$/);
        for (const image of [v.imageUrl, v.thumbUrl]) {
          const bytes = await same(image);
          expect({ image, sha256: sha256(bytes.body) }).toEqual({ image, sha256: path.basename(image).replace(/\.\w+$/, '') });
          expect(bytes.headers.etag).toBe(`"${sha256(bytes.body)}"`);
        }
      }
    }

    // 6. The command line's own check of chains, database and the bytes in the bucket agrees.
    const verify = spawnProcess('npm', ['run', '-s', 'cli', '--', 'verify'], envOf(env), ROOT);
    const verified = await verify.exited;
    expect({ code: verified, output: verify.output() }).toEqual({ code: 0, output: expect.stringContaining('verify: everything matches') });

    // 7. The bucket holds exactly what the database names, each object under the sha256 of its
    //    bytes. The killed worker may have stored copies before it died: unless the rerun made the
    //    same bytes (and so adopted them), they are images no row names, which the storage sweep
    //    removes once they are older than its grace period (a cut-off in the future: as if it had
    //    passed). Each voucher names five keys; one with nothing to black out shares its copies
    //    with their public twins.
    for (const v of list) expect({ id: v.id, keys: storageKeysOf(v).length }).toEqual({ id: v.id, keys: 5 });
    const named = new Set(list.flatMap((v: VoucherRecord) => storageKeysOf(v)));
    for (const u of uploaded) expect(named.has(`originals/${u.sha256}`)).toBe(true);
    let contents = await bucketContents(s3, env.config.s3!.bucket);
    for (const [key, digest] of contents) expect({ key, digest }).toEqual({ key, digest: path.basename(key).replace(/\.\w+$/, '') });
    const leftovers = [...contents.keys()].filter((k) => !named.has(k));
    expect(leftovers.filter((k) => !k.startsWith('images/'))).toEqual([]);
    const swept = await env.container.services.janitor.sweep(new Date(Date.now() + 60_000));
    expect({ deleted: [...swept.deleted].sort(), abandonedWrites: swept.abandonedWrites }).toEqual({ deleted: leftovers.sort(), abandonedWrites: 0 });
    contents = await bucketContents(s3, env.config.s3!.bucket);
    expect([...contents.keys()].sort()).toEqual([...named].sort());

    // 8. SIGTERM: every process still running stops by itself, with exit code 0.
    const running = [api1.process, api2.process, survivor.process];
    for (const p of running) p.child.kill('SIGTERM');
    const codes = await Promise.all(running.map((p) => exitWithin(p, 15_000)));
    expect(codes).toEqual([0, 0, 0]);
    expect(survivor.process.output()).toContain('[jobs.runner:stopped]');
    // And none of them logged an error on the way (pino level 50 and above).
    for (const [name, p] of [['api 1', api1.process], ['api 2', api2.process], ['victim', victim.process], ['survivor', survivor.process]] as const)
      expect({ name, errors: logLines(p).filter((l) => (l.level as number) >= 50) }).toEqual({ name, errors: [] });

    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      `scale-out (mariadb + s3): ${FILES.length} uploads through 2 APIs in ${seconds(uploadedAt - began)} s, all ready ${seconds(processedAt - began)} s after the first ` +
        `(worker killed at ${seconds(killedAt - began)} s, having finished ${byVictim.length} while the other finished ${doneLines(survivor).filter((l) => Date.parse(l.time as string) < killedAt).length}; ` +
        `the survivor finished ${bySurvivor.length} in all); ` +
        `${leftovers.length} stray derived file(s) swept; review, reads and checks ${seconds(Date.now() - processedAt)} s`,
    );
  }, 900_000);
});
