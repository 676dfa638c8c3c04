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

export interface JobDefinition {
  run: JobHandler;
  /** Called once when the job is failed for good (last attempt used, or its worker kept dying). */
  onGiveUp?: (payload: unknown, reason: string) => Promise<void>;
}

export type JobHandlers = Readonly<Record<string, JobHandler | JobDefinition>>;

export function definitionOf(entry: JobHandler | JobDefinition | undefined): JobDefinition | undefined {
  return typeof entry === 'function' ? { run: entry } : entry;
}

/** Thrown by a handler when retrying cannot help (bad payload, missing record). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
