/**
 * A worker process for the multi-process job tests: the real JobRunner over the real
 * database, stopped on SIGTERM the way `cli worker` stops (runUntilSignalled, with the grace
 * of WORKER_SHUTDOWN_GRACE_MS), with one handler that writes "start"/"end" lines to RUN_LOG
 * (O_APPEND, so lines from several processes never interleave within a line), and "abort" when
 * the runner aborts it. It sleeps `payload.ms`, at most RECORD_MAX_MS.
 */
import fs from 'node:fs';
import { runUntilSignalled } from '../../../server/cli/commands/worker';
import { loadConfig } from '../../../server/config';
import { createContainer } from '../../../server/container';
import { JobRunner } from '../../../server/jobs/job-runner';
import { createLogger } from '../../../server/logger';

async function main() {
  const log = process.env.RUN_LOG!;
  const maxMs = Number(process.env.RECORD_MAX_MS ?? Infinity);
  const config = loadConfig();
  const logger = createLogger('silent');
  const container = await createContainer(config, logger);
  const runner = new JobRunner({
    jobs: container.repositories.jobs,
    logger,
    concurrency: Number(process.env.CONCURRENCY ?? 2),
    leaseMs: Number(process.env.LEASE_MS ?? 1000),
    pollMs: 10,
    handlers: {
      'test.record': async (payload, { job, signal }) => {
        fs.appendFileSync(log, `start ${job.id} ${process.pid}\n`);
        await new Promise<void>((resolve, reject) => {
          let slept = false;
          const timer = setTimeout(() => {
            slept = true;
            resolve();
          }, Math.min((payload as { ms: number }).ms, maxMs));
          // Like the real handlers, it stops when the runner aborts it (shutting down, lease lost).
          signal.addEventListener('abort', () => {
            if (slept) return;
            clearTimeout(timer);
            fs.appendFileSync(log, `abort ${job.id} ${process.pid}\n`);
            reject(signal.reason);
          });
        });
        fs.appendFileSync(log, `end ${job.id} ${process.pid}\n`);
      },
    },
  });
  const stopped = runUntilSignalled(runner, logger, config.workerShutdownGraceMs);
  process.stdout.write(`ready ${process.pid}\n`);
  await stopped;
  await container.close();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
