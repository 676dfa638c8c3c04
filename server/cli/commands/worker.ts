import { UsageError, type Command } from '../command';

export const worker: Command = {
  name: 'worker',
  usage: 'worker [--concurrency N]',
  summary: 'run background jobs (OCR, thumbnails) until SIGTERM or SIGINT',
  options: { concurrency: { description: 'jobs at once (default WORKER_CONCURRENCY, 1)' } },
  async run(container, args) {
    const concurrency = args.concurrency === undefined ? undefined : Number(args.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64))
      throw new UsageError('--concurrency must be an integer from 1 to 64');
    const runner = container.createJobRunner({ concurrency });
    runner.start();
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        container.logger.info({ signal }, '[worker:stopping]');
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await runner.stop(container.config.jobLeaseSeconds * 1000);
  },
};
