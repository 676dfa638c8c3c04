import { Op, Transaction, type Sequelize, type WhereOptions } from 'sequelize';
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

/** What a worker reports when its lease on a job was lost in the meantime. */
export const LEASE_LOST = 'lease_lost' as const;

/**
 * The durable queue. Claiming is atomic on both databases: MySQL/MariaDB lock the
 * candidate row with FOR UPDATE SKIP LOCKED so concurrent claimers pass over it; SQLite
 * takes the write lock up front (BEGIN IMMEDIATE), so claimers queue one at a time.
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
   * Takes the next due job (queued and due, or running with an expired lease) for `owner`.
   * A job whose lease expired after its last allowed attempt is marked failed instead.
   */
  async claim(owner: string, leaseMs: number, onGaveUp?: (job: Job) => Promise<void>): Promise<Job | null> {
    const isMysql = dialectOf(this.sequelize) === 'mysql';
    const due = (now: Date): WhereOptions => ({
      [Op.or]: [
        { status: 'queued', runAfter: { [Op.lte]: now } },
        { status: 'running', leaseExpiresAt: { [Op.lte]: now } },
      ],
    });
    for (;;) {
      // A plain read first: idle workers polling an empty queue never take a write lock.
      if (!(await this.models.Job.findOne({ attributes: ['id'], where: due(this.clock.now()) }))) return null;
      const outcome = await retryOnLockConflict(() =>
        this.sequelize.transaction(isMysql ? {} : { type: Transaction.TYPES.IMMEDIATE }, async (transaction) => {
          const now = this.clock.now();
          const row = await this.models.Job.findOne({
            where: due(now),
            order: [['runAfter', 'ASC'], ['id', 'ASC']],
            transaction,
            ...(isMysql ? { lock: transaction.LOCK.UPDATE, skipLocked: true } : {}),
          });
          if (!row) return { kind: 'none' as const };
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
          return { kind: 'claimed' as const, job: toJob(row) };
        }),
      );
      if (outcome.kind === 'none') return null;
      if (outcome.kind === 'claimed') return outcome.job;
      await onGaveUp?.(outcome.job);
    }
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
