import { JobRunner } from '../../../server/jobs/job-runner';
import { PermanentJobError, type JobHandlers } from '../../../server/jobs/job-handler';
import { createLogger } from '../../../server/logger';
import { databaseKinds } from '../../helpers/databases';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runner(env: TestEnv, handlers: JobHandlers, extra: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}) {
  return new JobRunner({
    jobs: env.container.repositories.jobs,
    handlers,
    logger,
    concurrency: 1,
    leaseMs: 2000,
    pollMs: 20,
    retryBaseMs: 10,
    ...extra,
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe.each(databaseKinds())('durable jobs on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
  });
  afterAll(async () => env.close());

  const enqueue = (type: string, payload: unknown, maxAttempts = 3) =>
    env.container.repositories.jobs.enqueue({ type, payload, maxAttempts });

  test('a queued job runs once and is marked done', async () => {
    const seen: unknown[] = [];
    const job = await enqueue('test.record', { n: 1 });
    const r = runner(env, { 'test.record': async (payload) => void seen.push(payload) });
    expect(await r.drain()).toBe(1);
    expect(seen).toEqual([{ n: 1 }]);
    const stored = await env.container.repositories.jobs.get(job.id);
    expect(stored).toMatchObject({ status: 'done', attempts: 1, leaseOwner: null, lastError: null });
    expect(stored!.finishedAt).toBeInstanceOf(Date);
  });

  test('a failing job is retried with backoff, then failed with its last reason', async () => {
    let calls = 0;
    const job = await enqueue('test.flaky', {}, 3);
    const r = runner(env, {
      'test.flaky': async () => {
        calls++;
        throw new Error(`disk full (call ${calls})`);
      },
    });
    r.start();
    await waitFor(async () => (await env.container.repositories.jobs.get(job.id))!.status === 'failed');
    await r.stop();
    const stored = (await env.container.repositories.jobs.get(job.id))!;
    expect(calls).toBe(3);
    expect(stored.attempts).toBe(3);
    expect(stored.lastError).toBe('disk full (call 3)');
  });

  test('a retried job waits for its backoff before running again', async () => {
    const job = await enqueue('test.once-fails', {}, 2);
    const r = runner(env, { 'test.once-fails': async () => { throw new Error('try later'); } }, { retryBaseMs: 60_000 });
    expect(await r.drain()).toBe(1);
    const stored = (await env.container.repositories.jobs.get(job.id))!;
    expect(stored.status).toBe('queued');
    expect(stored.runAfter.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(await r.drain()).toBe(0); // not due yet
  });

  test('a permanent error and an unknown job type fail at once without retries', async () => {
    const bad = await enqueue('test.permanent', {}, 5);
    const unknown = await enqueue('test.nobody-handles-this', {}, 5);
    const r = runner(env, { 'test.permanent': async () => { throw new PermanentJobError('voucher 99 does not exist'); } });
    await r.drain();
    expect(await env.container.repositories.jobs.get(bad.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'voucher 99 does not exist' });
    expect(await env.container.repositories.jobs.get(unknown.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await env.container.repositories.jobs.get(unknown.id))!.lastError).toContain('no handler');
  });

  test('a job whose worker died is taken again once its lease expires, and only then', async () => {
    const jobs = env.container.repositories.jobs;
    const job = await enqueue('test.after-crash', { id: 7 }, 3);
    // A worker claims it and dies: nobody completes or renews the lease.
    const claimed = await jobs.claim('dead-worker', 300);
    expect(claimed!.id).toBe(job.id);
    expect(await jobs.claim('other-worker', 300)).toBeNull();
    await sleep(350);
    const seen: number[] = [];
    const r = runner(env, { 'test.after-crash': async (p) => void seen.push((p as { id: number }).id) });
    expect(await r.drain()).toBe(1);
    expect(seen).toEqual([7]);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
    // The dead worker's late report is refused: it no longer holds the lease.
    expect(await jobs.complete(job.id, 'dead-worker')).toBe(false);
  });

  test('a job whose worker keeps dying is failed after its last attempt', async () => {
    const jobs = env.container.repositories.jobs;
    const job = await enqueue('test.crashes-worker', {}, 2);
    await jobs.claim('w1', 50);
    await sleep(60);
    await jobs.claim('w2', 50);
    await sleep(60);
    expect(await jobs.claim('w3', 50)).toBeNull();
    const stored = (await jobs.get(job.id))!;
    expect(stored.status).toBe('failed');
    expect(stored.lastError).toContain('stopped answering');
  });

  test('a long job keeps its lease by renewing it while it works', async () => {
    const jobs = env.container.repositories.jobs;
    const job = await enqueue('test.slow', {});
    const r = runner(env, { 'test.slow': async () => void (await sleep(900)) }, { leaseMs: 300 });
    const running = r.runOne();
    await sleep(600); // past the first lease: it must have been renewed
    expect(await jobs.claim('thief', 300)).toBeNull();
    await running;
    expect(await jobs.get(job.id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  test('runners sharing the database never run one job twice', async () => {
    const count = 60;
    const ids = new Set<number>();
    for (let i = 0; i < count; i++) ids.add((await enqueue('test.count', { i })).id);
    const runs = new Map<number, number>();
    const handler = async (_p: unknown, { job }: { job: { id: number } }) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await sleep(2);
    };
    const runners = [0, 1, 2].map(() => runner(env, { 'test.count': handler }, { concurrency: 3 }));
    runners.forEach((r) => r.start());
    await waitFor(async () => [...ids].every((id) => runs.has(id)));
    await Promise.all(runners.map((r) => r.stop()));
    expect([...ids].map((id) => runs.get(id))).toEqual(Array(count).fill(1));
    const stored = await env.container.repositories.jobs.list({ type: 'test.count' });
    expect(stored.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
  });

  test('stopping a runner hands an unfinished job back without counting the attempt', async () => {
    const jobs = env.container.repositories.jobs;
    const job = await enqueue('test.stuck', {});
    let started = false;
    const r = runner(env, {
      'test.stuck': (_p, { signal }) =>
        new Promise((_resolve, reject) => {
          started = true;
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    r.start();
    await waitFor(async () => started);
    await r.stop(100);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null });
  });
});
