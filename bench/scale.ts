/**
 * How ingest grows from 1 to 2 OCR worker processes, and what villagers reading meanwhile see.
 * One real API server (WORKERS_IN_PROCESS=0) serves 50 concurrent readers of published month
 * pages for the whole run. Then, in round N (N = 1, then 2), N `cli worker` processes start and
 * 5 accountants of fresh villages upload the same 40 distinct receipt photos as fast as the API
 * takes them (4 requests at a time each); the round ends when the last voucher is ready. Per
 * round: vouchers per minute from the first upload sent to the last voucher ready, OCR and
 * processing time per voucher (p50, from the workers' logs), each worker's peak memory, the CPU
 * workers, API, this process and everything else used, and the readers' req/s, p50, p99 and
 * errors. The baselines come from the same run: the same readers on the same API with no ingest
 * (before round 1 and after round 2), and round 1 for round 2. No figure is asserted.
 *
 *   npm run -s bench -- scale                   # MariaDB; S3 when TEST_S3_ENDPOINT is set, else local disk
 *   npm run -s bench -- scale --db sqlite --storage local --vouchers 20
 *
 * MariaDB: BENCH_MYSQL_URL, else TEST_MYSQL_URL, else mysql://root@127.0.0.1:3306 (a fresh database,
 * dropped after). S3: TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY (a fresh
 * bucket, deleted after; `eval "$(bash scripts/radosgw.sh env)"`). BENCH_CONNECTIONS=50 readers,
 * BENCH_SECONDS=15 per idle baseline, BENCH_MAX_SECONDS=600 per round, OCR_ENGINE (paddle when unset).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type autocannon from 'autocannon';
import { loadConfig } from '../server/config';
import { createContainer } from '../server/container';
import { ReceiptPainter } from '../server/demo/receipt-image';
import { createLogger } from '../server/logger';
import { PADDLE_DEFAULTS } from '../server/ocr/paddle-engine';
import { createTestBucket, type TestBucket } from '../tests/helpers/s3-server';
import { ingest, loginAccountant, processingTimes, type Accountant, type IngestOutcome } from './lib/load-ingest';
import { gzipSizes, PhaseRecorder, startReaders, type PhaseFigures } from './lib/load-recorder';
import { benchDatabaseUrl, cpuSnapshot, dropMysqlDatabase, freePort, intOption, option, peakMemoryMb, percentile, processCpuSeconds, startServer, startWorker, stopChildren, type CpuSnapshot } from './lib/load-run';
import { drawUploads, loadMonths, seedLoadVillages, type UploadFile } from './lib/load-villages';
import { seedPublishedMonth } from './lib/published-month';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BASELINE_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_ROUND_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 600);
const WORKERS = [1, 2];
/** Accountants (fresh villages) per round; each round's villages are new, so rounds do the same work. */
const ACCOUNTANTS = 5;
const UPLOADS_AT_ONCE = 4;
const RECEIPTS = 200;
const VILLAGE_RECEIPTS = 10;
const WARMUP_SECONDS = 5;

interface Usage {
  cpu: CpuSnapshot;
  /** CPU seconds of the workers so far (they are part of `cpu.server`, with the API). */
  workers: number;
}

interface Round {
  workers: number;
  outcome: IngestOutcome;
  reads: PhaseFigures;
  cores: Cores;
  peakMb: number[];
  ocrMs: number[];
  ms: number[];
  retries: number;
}

interface Cores {
  workers: number;
  api: number;
  bench: number;
  rest: number;
}

function usage(apiPid: number, workerPids: number[]): Usage {
  return { cpu: cpuSnapshot([apiPid, ...workerPids]), workers: workerPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0) };
}

/** Cores' worth of CPU used between two snapshots (2.00 = both cores of a 2-core machine). */
function coresBetween(from: Usage, to: Usage): Cores {
  const seconds = (to.cpu.at - from.cpu.at) / 1000;
  const workers = to.workers - from.workers;
  const api = to.cpu.server - from.cpu.server - workers;
  const bench = to.cpu.bench - from.cpu.bench;
  const rest = Math.max(0, to.cpu.machine - from.cpu.machine - workers - api - bench);
  return { workers: workers / seconds, api: api / seconds, bench: bench / seconds, rest: rest / seconds };
}

export async function main() {
  const db = option('db', { sqlite: 'sqlite', mysql: 'mysql', mariadb: 'mysql' }, 'mysql');
  const storage = option('storage', { local: 'local', s3: 's3' }, process.env.TEST_S3_ENDPOINT ? 's3' : 'local');
  const vouchers = intOption('vouchers', 40, ACCOUNTANTS, 90);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-scale-'));
  const databaseName = `yym_bench_scale_${process.pid}`;
  const databaseUrl = benchDatabaseUrl(db, dir, databaseName);
  const engineName = db === 'mysql' ? 'MariaDB' : 'SQLite';
  const logFile = path.join(dir, 'server.log');
  let bucket: TestBucket | null = null;
  let server: ChildProcess | null = null;
  let workers: ChildProcess[] = [];
  let readers: autocannon.Instance | null = null;
  let databaseCreated = false;
  try {
    if (storage === 's3') bucket = await createTestBucket('yym-bench-scale');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      STORAGE_DRIVER: 'local',
      STORAGE_DIR: path.join(dir, 'files'),
      ...bucket?.env,
      TMP_DIR: path.join(dir, 'tmp'),
      WEB_DIR: path.join(dir, 'no-web'),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      DEMO_DATA: '0',
      WORKERS_IN_PROCESS: '0',
      // Uploads as fast as the API takes them: the per-user upload limit must not pace them.
      RATE_LIMIT_UPLOAD_PER_MINUTE: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    };
    // Each worker runs the default 1 job at a time; JOB_POLL_MS and OCR_ENGINE stay as set (or the defaults).
    delete env.WORKER_CONCURRENCY;
    const config = loadConfig(env);
    const storageName = bucket ? `S3 (bucket ${bucket.name} on ${bucket.settings.endpoint}, deleted after)` : `local disk (${env.STORAGE_DIR})`;
    const { currentMonth, publishedMonth, today } = loadMonths();

    console.log(`scale benchmark: seeding (${engineName}, ${storageName}) and drawing ${vouchers} receipt photos…`);
    databaseCreated = true;
    const container = await createContainer(config, createLogger('warn'));
    const big = await seedPublishedMonth(container, RECEIPTS);
    const villages = await seedLoadVillages(container, ACCOUNTANTS * WORKERS.length, VILLAGE_RECEIPTS, publishedMonth);
    await container.close();
    // One batch of photos, drawn for the first round's villages; every round uploads the same bytes into its own villages.
    const painter = new ReceiptPainter();
    const batch: UploadFile[][] = [];
    for (let i = 0; i < ACCOUNTANTS; i++) batch.push(await drawUploads(painter, villages[i], currentMonth, today, Math.floor(vouchers / ACCOUNTANTS) + (i < vouchers % ACCOUNTANTS ? 1 : 0)));
    const uploadBytes = batch.flat().reduce((sum, f) => sum + f.bytes.length, 0);

    server = await startServer(env, logFile);
    const origin = `http://127.0.0.1:${env.PORT}`;
    const paths = [`/api/villages/${big.villageId}/months/${big.month}`, ...villages.map((v) => `/api/villages/${v.villageId}/months/${publishedMonth}`)];
    const sizes = await gzipSizes(origin, paths);

    const recorder = new PhaseRecorder();
    const { instance, done: readersDone } = startReaders(origin, paths, CONNECTIONS, WARMUP_SECONDS + 2 * BASELINE_SECONDS + WORKERS.length * (MAX_ROUND_SECONDS + 60), recorder);
    readers = instance;
    console.log(
      `  ${CONNECTIONS} readers cycle through ${paths.length} published months (gzip ${(sizes[0] / 1024).toFixed(1)} KB with ${RECEIPTS} receipts, the others ${(sizes[1] / 1024).toFixed(1)} KB with ${VILLAGE_RECEIPTS}); ` +
        `each round ${ACCOUNTANTS} new accountants upload the same ${vouchers} photos (${(uploadBytes / vouchers / 1024).toFixed(0)} KB average, 1600 px), one per request, ${UPLOADS_AT_ONCE} at a time each`,
    );
    const loadBefore = os.loadavg();
    await sleep(WARMUP_SECONDS * 1000);

    const idle = async (phase: string): Promise<Cores> => {
      const from = usage(server!.pid!, []);
      recorder.phase(phase);
      await sleep(BASELINE_SECONDS * 1000);
      recorder.phase(null);
      return coresBetween(from, usage(server!.pid!, []));
    };
    const idleBefore = await idle('idle-before');

    const rounds: Round[] = [];
    for (const [r, n] of WORKERS.entries()) {
      const logs = Array.from({ length: n }, (_, i) => path.join(dir, `worker-${n}-${i + 1}.log`));
      for (const log of logs) workers.push(await startWorker(env, log));
      const accountants: Accountant[] = [];
      for (let i = 0; i < ACCOUNTANTS; i++) accountants.push(await loginAccountant(origin, villages[r * ACCOUNTANTS + i], batch[i]));
      console.log(`  round ${r + 1}: ${n} worker${n > 1 ? 's' : ''} started, uploading…`);
      const pids = workers.map((w) => w.pid!);
      const from = usage(server.pid!, pids);
      recorder.phase(`round-${n}`);
      const outcome = await ingest(origin, currentMonth, accountants, UPLOADS_AT_ONCE, performance.now() + MAX_ROUND_SECONDS * 1000, () => undefined);
      recorder.phase(null);
      const cores = coresBetween(from, usage(server.pid!, pids));
      const peakMb = pids.map(peakMemoryMb);
      await stopChildren(workers);
      workers = [];
      const times = processingTimes(logs);
      rounds.push({ workers: n, outcome, reads: recorder.figures(`${n}`, `round-${n}`), cores, peakMb, ...times });
    }

    const idleAfter = await idle('idle-after');
    const loadAfter = os.loadavg();
    instance.stop();
    const whole = await readersDone;

    const columns: Array<[string, number]> = [
      ['', 24], ['vouchers/min', 13], ['last ready', 11], ['OCR p50', 9], ['proc. p50', 10], ['worker peak RSS', 17],
      ['CPU: workers', 13], ['API', 6], ['bench', 6], ['rest', 6], ['read req/s', 11], ['p50', 10], ['p99', 10], ['errors', 7],
    ];
    const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(columns[i][1]) : c.padStart(columns[i][1]))).join(' '));
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const readCells = (f: PhaseFigures) => [f.rps.toFixed(0), ms(f.p50), ms(f.p99), String(f.errors)];
    const cpuCells = (c: Cores, withWorkers: boolean) => [withWorkers ? c.workers.toFixed(2) : '-', c.api.toFixed(2), c.bench.toFixed(2), c.rest.toFixed(2)];
    const perMinute = (o: IngestOutcome) => (o.ready / o.lastReadyAt) * 60;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

    console.log(
      `scale benchmark: ${vouchers} vouchers ingested by 1, then 2 \`cli worker\` processes while ${CONNECTIONS} connections read published months; ${engineName}, ${storageName}, ` +
        `OCR ${config.ocrEngine}, ${os.cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} at the end`,
    );
    line(columns.map(([head]) => head));
    const idleRow = (label: string, cores: Cores, f: PhaseFigures) => line([label, '-', '-', '-', '-', '-', ...cpuCells(cores, false), ...readCells(f)]);
    idleRow('idle, before (no ingest)', idleBefore, recorder.figures('', 'idle-before'));
    for (const round of rounds) {
      line([
        `${round.workers} worker${round.workers > 1 ? 's' : ''}`, perMinute(round.outcome).toFixed(1), `${round.outcome.lastReadyAt.toFixed(1)} s`,
        `${percentile(round.ocrMs, 0.5)} ms`, `${percentile(round.ms, 0.5)} ms`, round.peakMb.map((m) => m.toFixed(0)).join('+') + ' MB',
        ...cpuCells(round.cores, true), ...readCells(round.reads),
      ]);
    }
    idleRow('idle, after (no ingest)', idleAfter, recorder.figures('', 'idle-after'));
    const [one, two] = rounds;
    line([
      '2 workers / 1 worker', ratio(perMinute(two.outcome), perMinute(one.outcome)), ratio(two.outcome.lastReadyAt, one.outcome.lastReadyAt),
      ratio(percentile(two.ocrMs, 0.5), percentile(one.ocrMs, 0.5)), ratio(percentile(two.ms, 0.5), percentile(one.ms, 0.5)), '', ratio(two.cores.workers, one.cores.workers), '', '', '',
      ratio(two.reads.rps, one.reads.rps), ratio(two.reads.p50, one.reads.p50), ratio(two.reads.p99, one.reads.p99), '',
    ]);

    const idleP99 = recorder.figures('', 'idle-before', 'idle-after').p99;
    console.log('notes:');
    console.log(
      `  speed-up with 2 workers: ${ratio(perMinute(two.outcome), perMinute(one.outcome))} the vouchers per minute of 1 worker; read p99 ${ratio(one.reads.p99, idleP99)} idle with 1 worker, ${ratio(two.reads.p99, idleP99)} with 2 (idle p99 ${ms(idleP99)}, both idle phases)`,
    );
    if (config.ocrEngine === 'paddle')
      console.log(
        `  PP-OCR (server/ocr/paddle-engine.ts PADDLE_DEFAULTS): onnxruntime intra-op threads ${config.ocrThreads} per session (OCR_THREADS), inter-op 1, spinning ${PADDLE_DEFAULTS.spinning ? 'on' : 'off'}; ` +
          `so 1 worker reads with ${config.ocrThreads} thread(s), and 2 workers run ${2 * config.ocrThreads} inference threads on ${os.cpus().length} cores (sharp/libvips adds its own threads for the image copies)`,
      );
    console.log(
      `  vouchers/min: ready vouchers over the time from the first upload sent to the last voucher seen ready (polled every 0.5 s), including each worker loading its OCR models on its first job; ` +
        `OCR and processing p50 from the workers' [vouchers.process:done] log lines; CPU in cores (workers, API, this process's readers and uploaders, everything else on the machine) over the same time`,
    );
    for (const round of rounds) {
      const o = round.outcome;
      console.log(
        `  ${round.workers} worker${round.workers > 1 ? 's' : ''}: ${o.accepted}/${o.attempted} uploads acknowledged (last after ${o.lastAckAt.toFixed(1)} s, p50 ${percentile(o.uploadMs, 0.5).toFixed(0)} ms), upload errors ${o.uploadErrors.length}; ` +
          `${o.ready} ready, ${o.failed} failed, ${o.accepted - o.ready - o.failed} unfinished${o.timedOut ? ` (STOPPED at the ${MAX_ROUND_SECONDS} s bound)` : ''}; job retries ${round.retries}; engine ${[...o.engines].join(', ') || '?'}`,
      );
      for (const e of o.uploadErrors.slice(0, 5)) console.log(`    ${e}`);
    }
    console.log(`  autocannon over the whole run: ${whole.requests.total} requests, errors ${whole.errors}, timeouts ${whole.timeouts}, non-2xx ${whole.non2xx}`);
  } finally {
    readers?.stop();
    await stopChildren([...workers, server]);
    if (db === 'mysql' && databaseCreated) await dropMysqlDatabase(databaseUrl, databaseName);
    await bucket?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
