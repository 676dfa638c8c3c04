import { JobRunner } from '../../../server/jobs/job-runner';
import { createLogger } from '../../../server/logger';
import type { Job } from '../../../server/db/repositories/job-repository';
import { databaseKinds } from '../../helpers/databases';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Villages take turns: one village's big upload must not hold back another's few jobs queued after it. */
describe.each(databaseKinds())('fair job claims by village on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
  });
  afterAll(async () => env.close());

  const jobs = () => env.container.repositories.jobs;
  /** Jobs of type `type` for `villageId` (jobs.village_id has no foreign key, so any number does). */
  async function enqueue(type: string, villageId: number | null, count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push((await jobs().enqueue({ type, payload: { villageId, i }, villageId })).id);
    return ids;
  }
  /** Claims and completes one job at a time until none is due, in the order they were handed out. */
  async function claimAll(): Promise<Job[]> {
    const claimed: Job[] = [];
    for (let job = await jobs().claim('t', 60_000); job; job = await jobs().claim('t', 60_000)) {
      claimed.push(job);
      expect(await jobs().complete(job.id, 't')).toBe(true);
    }
    return claimed;
  }

  test('a village queued behind another one\'s 100 jobs is served within the first claims; each village\'s jobs go in id order', async () => {
    const a = await enqueue('test.fair', 1, 100);
    const b = await enqueue('test.fair', 2, 5);
    const claimed = await claimAll();
    expect(claimed.map((j) => j.id).sort((x, y) => x - y)).toEqual([...a, ...b]);
    const positionsOfB = claimed.flatMap((j, i) => (j.villageId === 2 ? [i] : []));
    expect(positionsOfB).toHaveLength(5);
    expect(Math.max(...positionsOfB)).toBeLessThan(11);
    expect(claimed.filter((j) => j.villageId === 1).map((j) => j.id)).toEqual(a);
    expect(claimed.filter((j) => j.villageId === 2).map((j) => j.id)).toEqual(b);
  });

  test('three villages interleave round-robin, the first to enqueue first', async () => {
    const ids = [...(await enqueue('test.fair', 3, 4)), ...(await enqueue('test.fair', 4, 4)), ...(await enqueue('test.fair', 5, 4))];
    const claimed = await claimAll();
    expect(claimed.map((j) => j.villageId)).toEqual([3, 4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 5]);
    expect(claimed.map((j) => j.id).sort((x, y) => x - y)).toEqual(ids);
  });

  test('jobs without a village take their turn like one more village', async () => {
    await enqueue('test.fair', null, 3);
    await enqueue('test.fair', 6, 3);
    expect((await claimAll()).map((j) => j.villageId)).toEqual([null, 6, null, 6, null, 6]);
  });

  test('the village that has waited longest goes first, whatever its jobs\' age', async () => {
    // Neither served yet: the older job's village first.
    await enqueue('test.fair', 8, 1);
    await enqueue('test.fair', 7, 1);
    expect((await claimAll()).map((j) => j.villageId)).toEqual([8, 7]);
    // Village 8 was served before 7, so its turn comes first although its job is the newer one.
    const [older] = await enqueue('test.fair', 7, 1);
    const [newer] = await enqueue('test.fair', 8, 1);
    expect((await claimAll()).map((j) => j.id)).toEqual([newer, older]);
  });

  test('two runners of concurrency 2 finish a small village\'s batch long before a big one\'s, running every job once', async () => {
    const a = await enqueue('test.fair-run', 10, 100);
    const b = await enqueue('test.fair-run', 11, 5);
    const runs = new Map<number, number>();
    const finished: number[] = [];
    const handler = async (_payload: unknown, { job }: { job: { id: number } }) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await sleep(10);
      finished.push(job.id);
    };
    const runners = [0, 1].map(
      () => new JobRunner({ jobs: jobs(), handlers: { 'test.fair-run': handler }, logger, concurrency: 2, leaseMs: 5000, pollMs: 20, retryBaseMs: 10 }),
    );
    runners.forEach((r) => r.start());
    const deadline = Date.now() + 60_000;
    while (finished.length < a.length + b.length && Date.now() < deadline) await sleep(25);
    await Promise.all(runners.map((r) => r.stop()));

    expect([...a, ...b].map((id) => runs.get(id))).toEqual([...a, ...b].map(() => 1));
    // B's 5 jobs were all done before A's 100th; in fact before A's 20th.
    const lastOfB = Math.max(...b.map((id) => finished.indexOf(id)));
    const doneOfABefore = finished.slice(0, lastOfB).filter((id) => a.includes(id)).length;
    expect(finished.indexOf(a[a.length - 1])).toBeGreaterThan(lastOfB);
    expect(doneOfABefore).toBeLessThan(20);
    const stored = await jobs().list({ type: 'test.fair-run' });
    expect(stored.filter((j) => !(j.status === 'done' && j.attempts === 1))).toEqual([]);
  });

  if (kind === 'mariadb')
    test('on MariaDB a village whose turn another claimer holds is passed over, not waited for', async () => {
      const [held] = await enqueue('test.fair', 12, 1);
      const [free] = await enqueue('test.fair', 13, 1);
      const { sequelize, models } = env.container;
      // Another claimer mid-claim on village 12 (claim() makes the turn row first).
      await models.JobVillageTurn.bulkCreate([{ villageId: 12, lastServedAt: null }], { ignoreDuplicates: true });
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = sequelize.transaction(async (transaction) => {
        await models.JobVillageTurn.findOne({ where: { villageId: 12 }, transaction, lock: transaction.LOCK.UPDATE });
        locked();
        await holding;
      });
      await isLocked;
      try {
        const started = Date.now();
        expect((await jobs().claim('t', 60_000))?.id).toBe(free);
        expect(Date.now() - started).toBeLessThan(1000);
      } finally {
        release();
        await holder;
      }
      expect((await jobs().claim('t', 60_000))?.id).toBe(held);
      for (const id of [held, free]) await jobs().complete(id, 't');
    });
});
