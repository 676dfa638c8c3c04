import http from 'node:http';
import { loadConfig } from './config';
import { createContainer } from './container';
import { createApp } from './app';
import { removeStaleUploadFolders } from './http/upload-folders';
import { createLogger } from './logger';
import type { DemoCredential } from './services/demo-seed-service';

function printDemoCredentials(credentials: DemoCredential[]): void {
  // Straight to the terminal, never into the log: these passwords are shown once and stored only as hashes.
  const lines = [
    '',
    '=== 一眼明 demo accounts (shown once; only password hashes are stored) ===',
    ...credentials.map((c) => `  ${c.role.padEnd(10)} ${c.username.padEnd(18)} ${c.password}   ${c.displayName} · ${c.scope}`),
    '========================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * What a killed process leaves behind (an original stored just before its upload's commit, copies
 * a job stored just before it died, half-received uploads, unfinished writes) is swept at start and
 * then hourly, once it is older than any upload or job can take.
 */
const LEFTOVER_GRACE_MS = 60 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const container = await createContainer(config, logger);

  if (config.demoData) {
    const credentials = await container.services.demoSeed.seedIfEmpty();
    if (credentials) printDemoCredentials(credentials);
  }

  const runner = config.workersInProcess ? container.createJobRunner() : null;
  runner?.start();

  const app = createApp(container);
  const server = http.createServer(app.callback());
  server.requestTimeout = 5 * 60_000; // big uploads on slow village connections
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://${config.host}:${port}/`, database: config.databaseUrl.split(':')[0], workersInProcess: Boolean(runner) }, '[server:listening]');

  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = (async () => {
      const before = new Date(Date.now() - LEFTOVER_GRACE_MS);
      const storage = await container.services.janitor.sweep(before);
      const uploadFolders = await removeStaleUploadFolders(config.tmpDir, before);
      logger.info({ checked: storage.checked, deleted: storage.deleted.length, abandonedWrites: storage.abandonedWrites, uploadFolders }, '[leftovers:swept]');
    })().catch((error) => logger.error({ err: error }, '[leftovers:sweep-failed]'));
  };
  sweep();
  const sweeps = setInterval(sweep, SWEEP_EVERY_MS).unref();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, '[server:stopping]');
    const forced = setTimeout(() => process.exit(1), 30_000).unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runner?.stop();
    clearInterval(sweeps);
    await sweeping;
    await container.close();
    clearTimeout(forced);
    logger.info('[server:stopped]');
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  // Start-up failures (bad configuration, database down) are for the operator, in plain words.
  process.stderr.write(`yiyanming could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
