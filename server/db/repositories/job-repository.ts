import { IndexHints, Op, QueryTypes, Transaction, type IndexHint, type Order, type Sequelize } from 'sequelize';
import type { Clock } from '../../adapters/clock';
import { dialectOf } from '../database';
import { retryOnLockConflict } from '../retry';
import type { JobModel, JobStatus, Models } from '../models';

export interface Job {
  id: number;
  type: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  villageId: number | null;
  finishedAt: Date | null;
}

export interface NewJob {
  type: string;
  payload: unknown;
  villageId?: number | null;
  runAfter?: Date;
  maxAttempts?: number;
}

function toJob(row: JobModel): Job {
  return {
    id: row.id,
    type: row.type,
    payload: JSON.parse(row.payload),
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAfter: row.runAfter,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
    lastError: row.lastError,
    villageId: row.villageId,
    finishedAt: row.finishedAt,
  };
}

/**
 * A village's head job: the oldest due, read in the order of the index jobs_status_village_run_after.
 * MariaDB may prefer jobs_status_run_after for a big village, which would lock other villages' jobs
 * on the way to the first of this one; the hint keeps it on this index (SQLite ignores hints).
 */
const HEAD: { order: Order; indexHints: IndexHint[] } = {
  order: [['runAfter', 'ASC'], ['id', 'ASC']],
  indexHints: [{ type: IndexHints.FORCE, values: ['jobs_status_village_run_after'] }],
};
const before = (a: JobModel, b: JobModel) => (a.runAfter.getTime() - b.runAfter.getTime() || a.id - b.id) < 0;

/** A village with due jobs, as claim() reads it before taking one; `key` is its id, 0 for jobs without a village. */
interface DueVillage {
  key: number;
  /** It has a running job whose lease expired. */
  expired: boolean;
  /** Its row in job_village_turns exists. */
  hasTurn: boolean;
  /** When a claim last served it (ms), null if never. */
  servedAt: number | null;
}

/** What a worker reports when its lease on a job was lost in the meantime. */
export const LEASE_LOST = 'lease_lost' as const;

/**
 * The durable queue. Claiming is atomic on both databases: MySQL/MariaDB lock the village's
 * turn and the candidate row with FOR UPDATE SKIP LOCKED so concurrent claimers pass over them;
 * SQLite takes the write lock up front (BEGIN IMMEDIATE), so claimers queue one at a time.
 */
export class JobRepository {
  private readonly sequelize: Sequelize;

  /** Time is read when each statement runs, so waiting for a lock never eats into a lease. */
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {
    this.sequelize = models.Job.sequelize!;
  }

  async enqueue(job: NewJob, transaction?: Transaction): Promise<Job> {
    const now = this.clock.now();
    const row = await this.models.Job.create(
      {
        type: job.type,
        payload: JSON.stringify(job.payload ?? null),
        status: 'queued',
        attempts: 0,
        maxAttempts: job.maxAttempts ?? 5,
        runAfter: job.runAfter ?? now,
        villageId: job.villageId ?? null,
      },
      { transaction },
    );
    return toJob(row);
  }

  async get(id: number): Promise<Job | null> {
    const row = await this.models.Job.findByPk(id);
    return row && toJob(row);
  }

  async list(where: { status?: JobStatus; type?: string } = {}): Promise<Job[]> {
    return (await this.models.Job.findAll({ where, order: [['id', 'ASC']] })).map(toJob);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    const rows = (await this.models.Job.findAll({
      attributes: ['status', [this.sequelize.fn('COUNT', this.sequelize.col('id')), 'n']],
      group: ['status'],
      raw: true,
    })) as unknown as Array<{ status: JobStatus; n: number | string }>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /**
   * Takes the next due job (queued and due, or running with an expired lease) for `owner`,
   * sharing work between villages round-robin: the village served longest ago (or never) goes
   * first, so one village's 500-voucher upload does not hold back another's 5 queued after it.
   * Within a village jobs go oldest first (runAfter, id). Jobs without a village share turn 0.
   * A job whose lease expired after its last allowed attempt is marked failed instead.
   */
  async claim(owner: string, leaseMs: number, onGaveUp?: (job: Job) => Promise<void>): Promise<Job | null> {
    const isMysql = dialectOf(this.sequelize) === 'mysql';
    for (let busy = 0; ; ) {
      // A plain read first, which is also the cheap check for idle pollers: with nothing due
      // it returns no row and no write lock is ever taken.
      const villages = await this.dueVillages(this.clock.now());
      if (!villages.length) return null;
      const missing = villages.filter((v) => !v.hasTurn).map((v) => ({ villageId: v.key, lastServedAt: null }));
      // Outside the claim transaction: on MariaDB an INSERT IGNORE meeting an existing row waits
      // for its lock, which would defeat SKIP LOCKED below. Once per village, ever.
      if (missing.length) await retryOnLockConflict(() => this.models.JobVillageTurn.bulkCreate(missing, { ignoreDuplicates: true }));
      const outcome = await retryOnLockConflict(() =>
        this.sequelize.transaction(isMysql ? {} : { type: Transaction.TYPES.IMMEDIATE }, async (transaction) => {
          const now = this.clock.now();
          // SQLite: BEGIN IMMEDIATE already lets one claimer in at a time. MariaDB: claimers run
          // side by side, each holding the turn of the village it serves; SKIP LOCKED makes the
          // others pass over that village (and over any job row another transaction holds).
          const lock = isMysql ? { transaction, lock: transaction.LOCK.UPDATE, skipLocked: true } : { transaction };
          let skipped = false;
          for (const village of villages) {
            const turn = await this.models.JobVillageTurn.findOne({ where: { villageId: village.key }, ...lock });
            // Held by another claimer, or served since the read above: its turn is over for now.
            if (!turn || (turn.lastServedAt?.getTime() ?? null) !== village.servedAt) {
              skipped = true;
              continue;
            }
            const villageId = village.key === 0 ? null : village.key;
            // Index-ordered reads (jobs_status_village_run_after) rather than one with OR: each stops
            // at its first row, so nothing is sorted and no other job of the village is locked. The
            // rare expired lease is looked for only where the read above saw one.
            const queued = await this.models.Job.findOne({ where: { status: 'queued', villageId, runAfter: { [Op.lte]: now } }, ...HEAD, ...lock });
            const expired = village.expired
              ? await this.models.Job.findOne({ where: { status: 'running', villageId, leaseExpiresAt: { [Op.lte]: now } }, ...HEAD, ...lock })
              : null;
            const row = queued && expired ? (before(expired, queued) ? expired : queued) : (queued ?? expired);
            if (!row) continue;
            if (row.status === 'running' && row.attempts >= row.maxAttempts) {
              await row.update(
                {
                  status: 'failed',
                  finishedAt: now,
                  leaseOwner: null,
                  leaseExpiresAt: null,
                  lastError: `worker ${row.leaseOwner} stopped answering during the last allowed attempt (${row.attempts}/${row.maxAttempts})`,
                },
                { transaction },
              );
              return { kind: 'expired' as const, job: toJob(row) };
            }
            await row.update(
              { status: 'running', leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs), attempts: row.attempts + 1 },
              { transaction },
            );
            // Strictly after every turn just read, so claims within one millisecond still alternate.
            const newest = Math.max(...villages.map((v) => v.servedAt ?? 0));
            await turn.update({ lastServedAt: new Date(Math.max(now.getTime(), newest + 1)) }, { transaction });
            return { kind: 'claimed' as const, job: toJob(row) };
          }
          return { kind: skipped ? ('busy' as const) : ('none' as const) };
        }),
      );
      if (outcome.kind === 'claimed') return outcome.job;
      if (outcome.kind === 'expired') await onGaveUp?.(outcome.job);
      else if (outcome.kind === 'none' || ++busy > 20) return null;
      // Due jobs were there but other claimers held them: read again once they have moved on.
      else await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * busy));
    }
  }

  /**
   * The villages with due jobs, in the order they should be served: longest since last served
   * first (never served, NULL, sorts first on both engines), then by their oldest due job.
   */
  private async dueVillages(now: Date): Promise<DueVillage[]> {
    // One row per village and kind of due job; MIN(id) only breaks ties of run_after. Both halves
    // read index ranges (queued by village, running by lease), never the done jobs.
    // Sequelize drops the milliseconds of a Date replacement on MySQL: write it as the models do.
    const queryGenerator = (this.sequelize.getQueryInterface() as unknown as { queryGenerator: { escape(value: unknown, field: unknown): string } }).queryGenerator;
    const at = queryGenerator.escape(now, this.models.Job.getAttributes().runAfter);
    const rows = await this.sequelize.query<{ village_key: number; expired: number; turn_key: number | null; last_served_at: Date | string | null }>(
      `SELECT d.village_key, d.expired, t.village_id AS turn_key, t.last_served_at FROM (
         SELECT COALESCE(village_id, 0) AS village_key, 0 AS expired, MIN(run_after) AS run_after, MIN(id) AS id
           FROM jobs WHERE status = 'queued' AND run_after <= ${at} GROUP BY village_id
         UNION ALL
         SELECT COALESCE(village_id, 0), 1, MIN(run_after), MIN(id)
           FROM jobs WHERE status = 'running' AND lease_expires_at <= ${at} GROUP BY village_id
       ) d LEFT JOIN job_village_turns t ON t.village_id = d.village_key
       ORDER BY t.last_served_at, d.run_after, d.id`,
      { type: QueryTypes.SELECT },
    );
    const villages = new Map<number, DueVillage>();
    for (const row of rows) {
      const key = Number(row.village_key);
      // SQLite hands back the stored text ('2025-01-02 03:04:05.678 +00:00'), MariaDB a Date.
      const village = villages.get(key) ?? { key, expired: false, hasTurn: row.turn_key !== null, servedAt: row.last_served_at === null ? null : new Date(row.last_served_at).getTime() };
      village.expired ||= Number(row.expired) === 1;
      villages.set(key, village);
    }
    return [...villages.values()];
  }

  /** Extends the lease; false when another worker has taken the job meanwhile. */
  async renew(id: number, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    const [affected] = await retryOnLockConflict(() =>
      this.models.Job.update({ leaseExpiresAt: new Date(now.getTime() + leaseMs) }, { where: { id, leaseOwner: owner, status: 'running' } }),
    );
    return affected === 1;
  }

  /** Records success only if `owner` still holds the lease. */
  async complete(id: number, owner: string): Promise<boolean> {
    const now = this.clock.now();
    const [affected] = await retryOnLockConflict(() =>
      this.models.Job.update(
        { status: 'done', finishedAt: now, leaseOwner: null, leaseExpiresAt: null, lastError: null },
        { where: { id, leaseOwner: owner, status: 'running' } },
      ),
    );
    return affected === 1;
  }

  /** Puts the job back with a delay, or fails it for good after its last attempt (or when `permanent`). */
  async fail(
    id: number,
    owner: string,
    error: string,
    retryDelayMs: number,
    permanent = false,
  ): Promise<'retry' | 'failed' | typeof LEASE_LOST> {
    const row = await this.models.Job.findOne({ where: { id, leaseOwner: owner, status: 'running' } });
    if (!row) return LEASE_LOST;
    const now = this.clock.now();
    const lastError = error.slice(0, 4000);
    const finalAttempt = permanent || row.attempts >= row.maxAttempts;
    const changes = finalAttempt
      ? { status: 'failed', finishedAt: now, leaseOwner: null, leaseExpiresAt: null, lastError }
      : { status: 'queued', runAfter: new Date(now.getTime() + retryDelayMs), leaseOwner: null, leaseExpiresAt: null, lastError };
    const [affected] = await retryOnLockConflict(() => this.models.Job.update(changes, { where: { id, leaseOwner: owner, status: 'running' } }));
    if (affected !== 1) return LEASE_LOST;
    return finalAttempt ? 'failed' : 'retry';
  }

  /** Hands a job back untouched (graceful shutdown): the attempt does not count. */
  async release(id: number, owner: string): Promise<boolean> {
    const now = this.clock.now();
    const [affected] = await retryOnLockConflict(() =>
      this.models.Job.update(
        { status: 'queued', runAfter: now, leaseOwner: null, leaseExpiresAt: null, attempts: this.sequelize.literal('attempts - 1') },
        { where: { id, leaseOwner: owner, status: 'running' } },
      ),
    );
    return affected === 1;
  }
}
