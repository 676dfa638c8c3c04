import type { Logger } from '../logger';
import type { Job } from '../db/repositories/job-repository';

export interface JobContext {
  job: Job;
  /** Aborted when the lease is lost or the worker shuts down; long handlers should check it. */
  signal: AbortSignal;
  log: Logger;
}

/** Handlers must be idempotent: a job whose worker died is run again from the start. */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** Thrown by a handler when retrying cannot help (bad payload, missing record). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
