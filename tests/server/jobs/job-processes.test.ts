import fs from 'node:fs';
import path from 'node:path';
import { databaseKinds } from '../../helpers/databases';
import { NODE_TS, spawnProcess, type Spawned } from '../../helpers/processes';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

const WORKER = path.join(__dirname, '../../helpers/processes/recording-worker.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exit code, or a failure naming the output when the process is still running `ms` after now. */
async function exitWithin(worker: Spawned, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${worker.output().slice(-3000)}`)), ms)));
  try {
    return await Promise.race([worker.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

function readRuns(file: string) {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  return lines.map((line) => {
    const [event, id, pid] = line.split(' ');
    return { event, id: Number(id), pid: Number(pid) };
  });
}

describe.each(databaseKinds())('job runners in separate processes on %s', (kind) => {
  let env: TestEnv;
  const workers: Spawned[] = [];
  beforeAll(async () => {
    env = await createTestEnv(kind);
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await env.close();
  });

  function startWorker(log: string, leaseMs = 5000, extra: Record<string, string> = {}): Spawned {
    const worker = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), WORKER], { DATABASE_URL: env.database.url, STORAGE_DIR: path.join(env.tmpDir, 'files'), RUN_LOG: log, LEASE_MS: String(leaseMs), ...extra });
    workers.push(worker);
    return worker;
  }

  test('two worker processes share 120 jobs and run each exactly once', async () => {
    const log = path.join(env.tmpDir, 'shared.log');
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) ids.push((await env.container.repositories.jobs.enqueue({ type: 'test.record', payload: { ms: 5 } })).id);
    const [a, b] = [startWorker(log), startWorker(log)];
    await Promise.all([a.waitForOutput(/ready/), b.waitForOutput(/ready/)]);
    const deadline = Date.now() + 60_000;
    while (readRuns(log).filter((r) => r.event === 'end').length < ids.length && Date.now() < deadline) await sleep(100);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const starts = readRuns(log).filter((r) => r.event === 'start');
    const perJob = new Map<number, number>();
    for (const s of starts) perJob.set(s.id, (perJob.get(s.id) ?? 0) + 1);
    expect(ids.map((id) => perJob.get(id))).toEqual(ids.map(() => 1));
    // Both processes really took part.
    expect(new Set(starts.map((s) => s.pid)).size).toBe(2);
    const stored = await env.container.repositories.jobs.list({ type: 'test.record' });
    expect(stored.filter((j) => ids.includes(j.id) && !(j.status === 'done' && j.attempts === 1))).toEqual([]);
  });

  test('when a worker is killed mid-job, the other finishes that job after the lease expires', async () => {
    const log = path.join(env.tmpDir, 'killed.log');
    const jobs = env.container.repositories.jobs;
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await jobs.enqueue({ type: 'test.record', payload: { ms: 700 } })).id);
    const victim = startWorker(log, 1000);
    await victim.waitForOutput(/ready/);
    // Wait until the victim is inside a job, then kill it without any chance to clean up.
    const deadline = Date.now() + 20_000;
    while (!readRuns(log).some((r) => r.event === 'start') && Date.now() < deadline) await sleep(20);
    victim.child.kill('SIGKILL');
    await victim.exited;
    // Jobs the victim had claimed (started or not) are still leased to it.
    const interrupted = (await jobs.list({ status: 'running' })).map((j) => j.id);
    expect(interrupted.length).toBeGreaterThan(0);

    const survivor = startWorker(log, 1000);
    await survivor.waitForOutput(/ready/);
    const until = Date.now() + 60_000;
    while ((await jobs.list({ type: 'test.record' })).some((j) => ids.includes(j.id) && j.status !== 'done') && Date.now() < until) await sleep(100);
    survivor.child.kill('SIGTERM');
    await survivor.exited;

    const runs = readRuns(log);
    for (const id of ids) {
      const ends = runs.filter((r) => r.event === 'end' && r.id === id);
      expect(ends).toHaveLength(1);
      const job = (await jobs.get(id))!;
      expect(job.status).toBe('done');
      // Interrupted jobs were attempted twice (once by the victim), the rest once.
      expect(job.attempts).toBe(interrupted.includes(id) ? 2 : 1);
    }
  });

  // Graceful shutdown as `cli worker` does it (runUntilSignalled), with a grace much shorter than the lease.
  const GRACE_MS = 1500;

  test('on SIGTERM a worker hands back a job that outlasts its grace, uncounted, exits, and another worker runs it once', async () => {
    const log = path.join(env.tmpDir, 'sigterm.log');
    const jobs = env.container.repositories.jobs;
    const job = await jobs.enqueue({ type: 'test.record', payload: { ms: 60_000 } });
    const first = startWorker(log, 5000, { WORKER_SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    await first.waitForOutput(/ready/);
    await until(() => readRuns(log).some((r) => r.event === 'start' && r.id === job.id));
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await exitWithin(first, GRACE_MS + 5000)).toBe(0);
    // It waited out the grace, then aborted the job and gave it back with its attempt not counted.
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(GRACE_MS - 100);
    expect(readRuns(log).map((r) => `${r.event} ${r.id}`)).toEqual([`start ${job.id}`, `abort ${job.id}`]);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null, leaseExpiresAt: null });

    // Queued and due at once, so the next worker takes it without waiting for any lease.
    const second = startWorker(log, 5000, { RECORD_MAX_MS: '50' });
    await second.waitForOutput(/ready/);
    await until(async () => (await jobs.get(job.id))!.status === 'done');
    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 10_000)).toBe(0);
    const runs = readRuns(log).filter((r) => r.id === job.id);
    expect(runs.map((r) => `${r.event} ${r.pid === first.child.pid ? 'first' : 'second'}`)).toEqual(['start first', 'abort first', 'start second', 'end second']);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'done', attempts: 1, lastError: null });
  });

  test('on SIGTERM a worker lets a job that ends within its grace finish, records it done, and exits', async () => {
    const log = path.join(env.tmpDir, 'sigterm-finish.log');
    const jobs = env.container.repositories.jobs;
    const job = await jobs.enqueue({ type: 'test.record', payload: { ms: 800 } });
    const worker = startWorker(log, 5000, { WORKER_SHUTDOWN_GRACE_MS: String(GRACE_MS * 4) });
    await worker.waitForOutput(/ready/);
    await until(() => readRuns(log).some((r) => r.event === 'start' && r.id === job.id));
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    expect(await exitWithin(worker, GRACE_MS * 4 + 5000)).toBe(0);
    // It left as soon as the job was done, not at the end of its grace.
    expect(Date.now() - signalled).toBeLessThan(GRACE_MS * 4);
    expect(readRuns(log).map((r) => `${r.event} ${r.id}`)).toEqual([`start ${job.id}`, `end ${job.id}`]);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'done', attempts: 1 });
  });
});
