/**
 * A worker process for the multi-process job tests: the real JobRunner over the real
 * database, with one handler that writes "start"/"end" lines to RUN_LOG (O_APPEND, so
 * lines from several processes never interleave within a line).
 */
import fs from 'node:fs';
import { loadConfig } from '../../../server/config';
import { createContainer } from '../../../server/container';
import { JobRunner } from '../../../server/jobs/job-runner';
import { createLogger } from '../../../server/logger';

async function main() {
  const log = process.env.RUN_LOG!;
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
      'test.record': async (payload, { job }) => {
        fs.appendFileSync(log, `start ${job.id} ${process.pid}\n`);
        await new Promise((r) => setTimeout(r, (payload as { ms: number }).ms));
        fs.appendFileSync(log, `end ${job.id} ${process.pid}\n`);
      },
    },
  });
  runner.start();
  process.stdout.write(`ready ${process.pid}\n`);
  process.once('SIGTERM', async () => {
    await runner.stop();
    await container.close();
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
