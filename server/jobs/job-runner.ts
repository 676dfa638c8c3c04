import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import { LEASE_LOST, type Job, type JobRepository } from '../db/repositories/job-repository';
import { definitionOf, PermanentJobError, type JobHandlers } from './job-handler';

export interface JobRunnerOptions {
  jobs: JobRepository;
  handlers: JobHandlers;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  /** First retry delay; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  owner?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Claims due jobs from the database and runs their handlers, renewing each lease while the
 * handler works. Any number of runners, in any number of processes, can share one database.
 */
export class JobRunner {
  readonly owner: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly active = new Map<number, { controller: AbortController; done: Promise<void> }>();
  private wake: (() => void) | null = null;
  private shuttingDown = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.owner = options.owner ?? newWorkerId();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.options.logger.info({ owner: this.owner, concurrency: this.options.concurrency }, '[jobs.runner:start]');
    this.loop = this.claimLoop();
  }

  /** Wakes an idle runner at once (after an enqueue in the same process). */
  poke(): void {
    this.wake?.();
  }

  /**
   * Stops claiming, lets running jobs finish for up to `graceMs`, then aborts the rest and
   * hands them back to the queue without counting the attempt.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    const inFlight = () => Promise.all([...this.active.values()].map((a) => a.done));
    const finished = await Promise.race([inFlight().then(() => true), sleep(graceMs).then(() => false)]);
    if (!finished) {
      // Handlers see the abort and return; execute() then hands their jobs back.
      this.shuttingDown = true;
      for (const { controller } of this.active.values()) controller.abort(new Error('worker shutting down'));
      await Promise.race([inFlight(), sleep(5000)]);
      // A handler that ignores its signal: give its job back anyway; its late report will find no lease.
      for (const id of this.active.keys()) {
        const released = await this.options.jobs.release(id, this.owner);
        this.options.logger.warn({ job: id, released }, '[jobs.runner:released-on-shutdown]');
      }
    }
    this.options.logger.info({ owner: this.owner }, '[jobs.runner:stopped]');
  }

  /** Claims and runs one due job; false when none was due. For the CLI and tests. */
  async runOne(): Promise<boolean> {
    const job = await this.options.jobs.claim(this.owner, this.options.leaseMs, this.gaveUp);
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  /** Runs jobs until none is due. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count++;
    return count;
  }

  private async claimLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (this.active.size >= this.options.concurrency) {
        await this.idle(this.options.pollMs);
        continue;
      }
      let job: Job | null = null;
      try {
        job = await this.options.jobs.claim(this.owner, this.options.leaseMs, this.gaveUp);
        failures = 0;
      } catch (error) {
        failures++;
        this.options.logger.error({ err: error }, '[jobs.runner:claim-failed]');
        await this.idle(Math.min(this.options.pollMs * 2 ** failures, 30_000));
        continue;
      }
      if (!job) {
        await this.idle(this.options.pollMs);
        continue;
      }
      const controller = new AbortController();
      const done = this.execute(job, controller).finally(() => {
        this.active.delete(job.id);
        this.poke();
      });
      this.active.set(job.id, { controller, done });
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Tells the job's owner it will not be tried again; its errors are logged, never thrown. */
  private readonly gaveUp = async (job: Job): Promise<void> => {
    const onGiveUp = definitionOf(this.options.handlers[job.type])?.onGiveUp;
    try {
      await onGiveUp?.(job.payload, job.lastError ?? 'unknown error');
    } catch (error) {
      this.options.logger.error({ err: error, job: job.id }, '[jobs.runner:give-up-handler-failed]');
    }
  };

  private async execute(job: Job, controller = new AbortController()): Promise<void> {
    const { jobs, handlers, leaseMs } = this.options;
    const log = this.options.logger.child({ job: job.id, type: job.type, attempt: job.attempts });
    const started = Date.now();
    const heartbeat = setInterval(() => {
      jobs
        .renew(job.id, this.owner, leaseMs)
        .then((held) => {
          if (!held) controller.abort(new Error('lease lost'));
        })
        .catch((error) => log.warn({ err: error }, '[jobs.runner:renew-failed]'));
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    let handlerError: unknown = null;
    try {
      const definition = definitionOf(handlers[job.type]);
      if (!definition) throw new PermanentJobError(`no handler for job type "${job.type}"`);
      await definition.run(job.payload, { job, signal: controller.signal, log });
      if (controller.signal.aborted) throw controller.signal.reason;
    } catch (error) {
      handlerError = error ?? new Error('handler failed');
    }
    try {
      if (!handlerError) {
        // A failure to record success is not a failure of the work: the lease runs out and the
        // (idempotent) job is done again, rather than being counted as a failed attempt.
        const recorded = await jobs.complete(job.id, this.owner);
        log.info({ ms: Date.now() - started, recorded }, recorded ? '[jobs.runner:done]' : '[jobs.runner:done-but-lease-lost]');
        return;
      }
      if (this.shuttingDown && controller.signal.aborted) {
        const released = await jobs.release(job.id, this.owner);
        log.warn({ released }, '[jobs.runner:released-on-shutdown]');
        return;
      }
      const message = handlerError instanceof Error ? handlerError.message : String(handlerError);
      const permanent = handlerError instanceof PermanentJobError;
      const delay = Math.min((this.options.retryBaseMs ?? 1000) * 2 ** (job.attempts - 1), this.options.retryMaxMs ?? 10 * 60_000);
      const outcome = await jobs.fail(job.id, this.owner, message, delay, permanent);
      const line = outcome === LEASE_LOST ? '[jobs.runner:failed-after-lease-lost]' : `[jobs.runner:${outcome}]`;
      log.warn({ err: handlerError, ms: Date.now() - started, retryInMs: outcome === 'retry' ? delay : undefined }, line);
      if (outcome === 'failed') await this.gaveUp({ ...job, lastError: message });
    } catch (recordError) {
      log.error({ err: recordError, handlerError }, '[jobs.runner:record-failed]');
    } finally {
      clearInterval(heartbeat);
    }
  }
}
