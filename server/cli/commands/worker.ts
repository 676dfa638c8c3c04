import type { JobRunner } from '../../jobs/job-runner';
import type { Logger } from '../../logger';
import { UsageError, type Command } from '../command';

/**
 * Runs `runner` until SIGTERM or SIGINT, then stops it: jobs still running get `graceMs` to
 * finish, the rest are aborted and handed back to the queue without counting the attempt, so
 * another worker takes them at once instead of after their lease. Resolves once it has stopped.
 */
export async function runUntilSignalled(runner: JobRunner, logger: Logger, graceMs: number): Promise<void> {
  runner.start();
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal, graceMs }, '[worker:stopping]');
  await runner.stop(graceMs);
}

export const worker: Command = {
  name: 'worker',
  usage: 'worker [--concurrency N]',
  summary: 'run background jobs (OCR, thumbnails) until SIGTERM or SIGINT',
  options: { concurrency: { description: 'jobs at once (default WORKER_CONCURRENCY, 1)' } },
  async run(container, args) {
    const concurrency = args.concurrency === undefined ? undefined : Number(args.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64))
      throw new UsageError('--concurrency must be an integer from 1 to 64');
    await runUntilSignalled(container.createJobRunner({ concurrency }), container.logger, container.config.workerShutdownGraceMs);
  },
};
