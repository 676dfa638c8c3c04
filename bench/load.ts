/**
 * Villagers reading while accountants upload. One real server (in-process job runner, the OCR
 * engine it uses by default) serves 200 concurrent readers of public month pages for the whole
 * run; while 5 accountants each upload 10 distinct receipt photos (one file per request, 2 at
 * a time, as the mini-program's upload queue does) and the runner reads them, the readers'
 * figures are compared with a baseline measured in the same run on the same server: the same
 * readers with nothing being ingested, before the uploads and again after the last voucher is
 * ready. Prints read req/s, p50/p99 latency and errors per phase, when the last upload was
 * acknowledged and the last voucher was ready, upload errors, and the CPU the server, this
 * process and everything else on the machine used (others' work skews the figures). No figure
 * is asserted.
 *
 *   npm run -s bench -- load                  # SQLite (the default)
 *   npm run -s bench -- load --db mysql       # MariaDB: BENCH_MYSQL_URL, else TEST_MYSQL_URL, else mysql://root@127.0.0.1:3306/test
 *   npm run -s bench -- load --worker process # jobs in `cli worker` beside the server, for comparison
 *
 * BENCH_CONNECTIONS=200 readers, BENCH_SECONDS=15 per baseline, BENCH_MAX_SECONDS=600 for the
 * ingest, BENCH_ACCOUNTANTS=5, BENCH_UPLOADS_EACH=10, BENCH_RECEIPTS=200 in the big month,
 * OCR_ENGINE (the server's default, paddle, when unset), BENCH_LOG_LEVEL (info, as production).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { loadConfig } from '../server/config';
import { createContainer } from '../server/container';
import { ReceiptPainter } from '../server/demo/receipt-image';
import { createLogger } from '../server/logger';
import { ingest, loginAccountant, POLL_MS, processingTimes, type Accountant } from './lib/load-ingest';
import { gzipSizes, PhaseRecorder, startReaders, type PhaseFigures } from './lib/load-recorder';
import { benchDatabaseUrl, cpuBetween, cpuSnapshot, dropMysqlDatabase, freePort, option, peakMemoryMb, percentile, startServer, startWorker, stopChildren, type CpuSnapshot } from './lib/load-run';
import { drawUploads, loadMonths, seedLoadVillages, type UploadFile } from './lib/load-villages';
import { seedPublishedMonth } from './lib/published-month';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const BASELINE_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_INGEST_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 600);
const ACCOUNTANTS = Number(process.env.BENCH_ACCOUNTANTS ?? 5);
const UPLOADS_EACH = Number(process.env.BENCH_UPLOADS_EACH ?? 10);
const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 200);
/** Receipts in each uploading village's published month. */
const VILLAGE_RECEIPTS = 30;
/** The mini-program's upload queue sends this many files at once (miniprogram/src/lib/staff/upload-queue.ts). */
const UPLOADS_AT_ONCE = 2;
const WARMUP_SECONDS = 5;

export async function main() {
  const db = option('db', { sqlite: 'sqlite', mysql: 'mysql', mariadb: 'mysql' }, 'sqlite');
  // Jobs run in the server process, as `npm start` does; `--worker process` runs them in `cli worker` beside it.
  const workerMode = option('worker', { 'in-process': 'in-process', process: 'process' }, 'in-process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-load-'));
  const databaseName = `yym_bench_load_${process.pid}`;
  const databaseUrl = benchDatabaseUrl(db, dir, databaseName);
  const engineName = db === 'mysql' ? 'MariaDB' : 'SQLite';
  const logFile = path.join(dir, 'server.log');
  const workerLogFile = path.join(dir, 'worker.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: path.join(dir, 'files'),
    TMP_DIR: path.join(dir, 'tmp'),
    WEB_DIR: path.join(dir, 'no-web'),
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DEMO_DATA: '0',
    // The job runner's concurrency and the OCR engine stay at the server's defaults (OCR_ENGINE may pick one).
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  delete env.WORKERS_IN_PROCESS;
  if (workerMode === 'process') env.WORKERS_IN_PROCESS = '0';
  delete env.WORKER_CONCURRENCY;
  const config = loadConfig(env);
  let server: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  let readers: autocannon.Instance | null = null;
  let databaseCreated = false;
  try {
    const { currentMonth, publishedMonth, today } = loadMonths();

    console.log(`load benchmark: seeding (${engineName}) and drawing ${ACCOUNTANTS * UPLOADS_EACH} receipt photos…`);
    databaseCreated = true;
    const container = await createContainer(config, createLogger('warn'));
    const big = await seedPublishedMonth(container, RECEIPTS);
    const villages = await seedLoadVillages(container, ACCOUNTANTS, VILLAGE_RECEIPTS, publishedMonth);
    await container.close();
    const painter = new ReceiptPainter();
    const files = new Map<number, UploadFile[]>();
    for (const v of villages) files.set(v.villageId, await drawUploads(painter, v, currentMonth, today, UPLOADS_EACH));
    const uploadBytes = [...files.values()].flat().reduce((sum, f) => sum + f.bytes.length, 0);

    server = await startServer(env, logFile);
    const origin = `http://127.0.0.1:${env.PORT}`;
    if (workerMode === 'process') worker = await startWorker(env, workerLogFile);
    const jobPids = [server.pid!, ...(worker ? [worker.pid!] : [])];

    const accountants: Accountant[] = [];
    for (const v of villages) accountants.push(await loginAccountant(origin, v, files.get(v.villageId)!));

    const paths = [`/api/villages/${big.villageId}/months/${big.month}`, ...villages.map((v) => `/api/villages/${v.villageId}/months/${publishedMonth}`)];
    const sizes = await gzipSizes(origin, paths);

    const recorder = new PhaseRecorder();
    const maxTotal = WARMUP_SECONDS + 2 * BASELINE_SECONDS + MAX_INGEST_SECONDS + 30;
    const { instance, done: readersDone } = startReaders(origin, paths, CONNECTIONS, maxTotal, recorder);
    readers = instance;

    console.log(
      `  ${CONNECTIONS} readers cycle through ${paths.length} published months (gzip ${sizes.map((s) => (s / 1024).toFixed(1)).join(', ')} KB; the first has ${RECEIPTS} receipts, the others ${VILLAGE_RECEIPTS})`,
    );
    console.log(
      `  ${ACCOUNTANTS} accountants upload ${UPLOADS_EACH} photos each (${(uploadBytes / ACCOUNTANTS / UPLOADS_EACH / 1024).toFixed(0)} KB average, 1600 px), one per request, ${UPLOADS_AT_ONCE} at a time; ` +
        `job runner ${workerMode === 'process' ? 'in a `cli worker` process beside the server' : 'in the server process'}, concurrency ${config.workerConcurrency}, OCR ${config.ocrEngine}`,
    );
    const loadBefore = os.loadavg();
    await sleep(WARMUP_SECONDS * 1000);

    const cpu: CpuSnapshot[] = [cpuSnapshot(jobPids)];
    recorder.phase('before');
    await sleep(BASELINE_SECONDS * 1000);

    cpu.push(cpuSnapshot(jobPids));
    const ingestStarted = performance.now();
    recorder.phase('uploading');
    const outcome = await ingest(origin, currentMonth, accountants, UPLOADS_AT_ONCE, ingestStarted + MAX_INGEST_SECONDS * 1000, () => recorder.phase('processing'));

    cpu.push(cpuSnapshot(jobPids));
    recorder.phase('after');
    await sleep(BASELINE_SECONDS * 1000);
    recorder.phase(null);
    cpu.push(cpuSnapshot(jobPids));
    const loadAfter = os.loadavg();
    instance.stop();
    const whole = await readersDone;
    const peak = peakMemoryMb(server.pid!);
    const workerPeak = worker ? peakMemoryMb(worker.pid!) : null;

    const row = (f: PhaseFigures) =>
      `  ${f.name.padEnd(44)} ${f.rps.toFixed(0).padStart(6)} req/s (worst second ${(Number.isNaN(f.minSecondRps) ? '-' : String(f.minSecondRps)).padStart(5)})   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(7)} ms   max ${f.max.toFixed(0).padStart(5)} ms   errors ${f.errors}   (${f.seconds.toFixed(1)} s)`;
    const before = recorder.figures('baseline  readers alone, before ingest', 'before');
    const during = recorder.figures('during ingest (upload → last voucher ready)', 'uploading', 'processing');
    const after = recorder.figures('baseline  readers alone, after ingest', 'after');
    const times = processingTimes([logFile, workerLogFile]);

    console.log(
      `load benchmark: GET month pages at ${CONNECTIONS} connections while ${ACCOUNTANTS * UPLOADS_EACH} vouchers are ingested; ${engineName}, ${os.cpus().length} cores, ` +
        `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} at the end`,
    );
    const label = worker ? 'server+worker' : 'server';
    console.log(`CPU used, in cores: before ingest ${cpuBetween(cpu[0], cpu[1], label)}; during ${cpuBetween(cpu[1], cpu[2], label)}; after ${cpuBetween(cpu[2], cpu[3], label)}`);
    console.log('reads:');
    console.log(row(before));
    console.log(row(during));
    console.log(row(recorder.figures('  of which uploading (to last upload answered)', 'uploading')));
    console.log(row(recorder.figures('  of which processing only', 'processing')));
    console.log(row(after));
    console.log(
      `  during ingest: ${((100 * during.rps) / before.rps).toFixed(0)}% of the before-baseline's req/s (${((100 * during.rps) / after.rps).toFixed(0)}% of after), ` +
        `p99 ${(during.p99 / Math.max(0.1, before.p99)).toFixed(1)}x baseline; autocannon over the whole run: ${whole.requests.total} requests, errors ${whole.errors}, timeouts ${whole.timeouts}, non-2xx ${whole.non2xx}`,
    );
    console.log('ingest:');
    console.log(`  uploads       ${outcome.accepted}/${outcome.attempted} acknowledged (202), upload errors ${outcome.uploadErrors.length}; per upload p50 ${percentile(outcome.uploadMs, 0.5).toFixed(0)} ms, max ${Math.max(0, ...outcome.uploadMs).toFixed(0)} ms`);
    for (const e of outcome.uploadErrors.slice(0, 5)) console.log(`    ${e}`);
    console.log(`  last upload acknowledged  ${outcome.lastAckAt.toFixed(1)} s after the first was sent`);
    console.log(
      `  last voucher ready        ${outcome.lastReadyAt.toFixed(1)} s after the first upload (polled every ${POLL_MS / 1000} s)${outcome.timedOut ? `  — STOPPED at the ${MAX_INGEST_SECONDS} s bound` : ''}; ` +
        `${outcome.ready} ready, ${outcome.failed} failed, ${outcome.accepted - outcome.ready - outcome.failed} unfinished; engine ${[...outcome.engines].join(', ') || '?'}`,
    );
    console.log(
      `  per voucher in the server: processing p50 ${percentile(times.ms, 0.5)} ms, max ${Math.max(0, ...times.ms)} ms (OCR p50 ${percentile(times.ocrMs, 0.5)} ms; the first includes loading the models); job retries ${times.retries}`,
    );
    console.log(
      `  server peak memory (VmHWM) ${peak.toFixed(0)} MB${workerPeak === null ? '' : `, worker ${workerPeak.toFixed(0)} MB`}`,
    );
  } finally {
    readers?.stop();
    await stopChildren([worker, server]);
    if (db === 'mysql' && databaseCreated) await dropMysqlDatabase(databaseUrl, databaseName);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
