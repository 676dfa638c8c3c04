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
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { monthInShanghai } from '../shared/month';
import { loadConfig } from '../server/config';
import { createContainer } from '../server/container';
import { openDatabase } from '../server/db/database';
import { ReceiptPainter } from '../server/demo/receipt-image';
import { createLogger } from '../server/logger';
import { PhaseRecorder, type PhaseFigures } from './lib/load-recorder';
import { drawUploads, LOAD_PASSWORD, seedLoadVillages, type LoadVillage, type UploadFile } from './lib/load-villages';
import { seedPublishedMonth } from './lib/published-month';

const ROOT = path.join(__dirname, '..');
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
const POLL_MS = 500;
const WARMUP_SECONDS = 5;
/** What Chrome sends; the server answers gzip. */
const BROWSER_ENCODING = 'gzip, deflate, br, zstd';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** A GET that leaves Content-Encoding alone (fetch would decode gzip). */
function httpGet(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), encoding: res.headers['content-encoding'] }));
      })
      .on('error', reject);
  });
}

/** `--name value` or `--name=value` after the benchmark's name; `fallback` when absent. */
function option<T extends string>(name: string, allowed: Record<string, T>, fallback: T): T {
  const args = process.argv.slice(3);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const value = args[at].includes('=') ? args[at].slice(args[at].indexOf('=') + 1) : args[at + 1];
  if (value in allowed) return allowed[value];
  throw new Error(`--${name} must be one of ${Object.keys(allowed).join(', ')}, got "${value}"`);
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] : 0;
}

function peakMemoryMb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Where the machine's CPU time went up to now: all cores (busy), the server, this process. */
interface CpuSnapshot {
  at: number;
  machine: number;
  server: number;
  bench: number;
}

function cpuSnapshot(serverPids: number[]): CpuSnapshot {
  // First line of /proc/stat: all cores, in USER_HZ (100 per second); idle and iowait are not busy.
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((a, b) => a + b, 0) - fields[3] - (fields[4] ?? 0);
  const own = process.cpuUsage();
  return { at: performance.now(), machine: busy / 100, server: serverPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0), bench: (own.user + own.system) / 1e6 };
}

/** Cores' worth of CPU each used between two snapshots (2.00 = both cores of a 2-core machine). */
function cpuBetween(from: CpuSnapshot, to: CpuSnapshot, serverLabel: string): string {
  const seconds = (to.at - from.at) / 1000;
  const cores = (v: number) => (v / seconds).toFixed(2);
  const server = to.server - from.server;
  const bench = to.bench - from.bench;
  const machine = to.machine - from.machine;
  return `${serverLabel} ${cores(server)}, readers+uploaders ${cores(bench)}, everything else ${cores(Math.max(0, machine - server - bench))} of ${os.cpus().length} cores`;
}

interface Accountant extends LoadVillage {
  token: string;
  files: UploadFile[];
}

interface IngestOutcome {
  attempted: number;
  accepted: number;
  uploadErrors: string[];
  uploadMs: number[];
  /** Seconds from the first upload sent. */
  lastAckAt: number;
  lastReadyAt: number;
  ready: number;
  failed: number;
  timedOut: boolean;
  engines: Set<string>;
}

/**
 * Every accountant uploads their files one per request, `UPLOADS_AT_ONCE` at a time, while a
 * poller lists each month's vouchers (as the app does, only more often) until all accepted
 * vouchers are ready or failed. `onUploaded` runs once the last upload is acknowledged.
 */
async function ingest(origin: string, month: string, accountants: Accountant[], deadline: number, onUploaded: () => void): Promise<IngestOutcome> {
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const out: IngestOutcome = { attempted: 0, accepted: 0, uploadErrors: [], uploadMs: [], lastAckAt: 0, lastReadyAt: 0, ready: 0, failed: 0, timedOut: false, engines: new Set() };
  const abort = new AbortController();
  const deadlineTimer = setTimeout(() => abort.abort(new Error('bench deadline')), Math.max(0, deadline - performance.now()));
  const pending = new Map<number, Set<number>>(accountants.map((a) => [a.villageId, new Set<number>()]));

  const uploadOne = async (a: Accountant, file: UploadFile) => {
    out.attempted++;
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(file.bytes)], { type: 'image/jpeg' }), file.name);
    const sent = performance.now();
    try {
      const res = await fetch(`${origin}/api/villages/${a.villageId}/months/${month}/vouchers`, { method: 'POST', headers: { Authorization: `Bearer ${a.token}` }, body: form, signal: abort.signal });
      const body = (await res.json().catch(() => null)) as { results?: Array<{ id?: number; error?: { code: string; message: string } }> } | null;
      const result = body?.results?.[0];
      if (res.status === 202 && result?.id !== undefined) {
        out.accepted++;
        out.uploadMs.push(performance.now() - sent);
        out.lastAckAt = Math.max(out.lastAckAt, since());
        pending.get(a.villageId)!.add(result.id);
      } else out.uploadErrors.push(`${a.username} ${file.name}: HTTP ${res.status} ${result?.error?.code ?? ''} ${result?.error?.message ?? ''}`.trim());
    } catch (error) {
      out.uploadErrors.push(`${a.username} ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  let uploading = true;
  const uploads = Promise.all(
    accountants.map(async (a) => {
      const queue = [...a.files];
      await Promise.all(
        Array.from({ length: UPLOADS_AT_ONCE }, async () => {
          for (let file = queue.shift(); file; file = queue.shift()) await uploadOne(a, file);
        }),
      );
    }),
  ).then(() => {
    uploading = false;
    onUploaded();
  });

  const poll = async () => {
    while (uploading || [...pending.values()].some((ids) => ids.size > 0)) {
      if (abort.signal.aborted) {
        out.timedOut = true;
        return;
      }
      await Promise.all(
        accountants.map(async (a) => {
          const ids = pending.get(a.villageId)!;
          if (ids.size === 0) return;
          try {
            const res = await fetch(`${origin}/api/villages/${a.villageId}/months/${month}/vouchers`, { headers: { Authorization: `Bearer ${a.token}` }, signal: abort.signal });
            if (!res.ok) return;
            const { vouchers } = (await res.json()) as { vouchers: Array<{ id: number; status: string; ocrEngine: string | null }> };
            for (const v of vouchers) {
              if (!ids.has(v.id) || v.status === 'processing') continue;
              ids.delete(v.id);
              if (v.status === 'ready') out.ready++;
              else out.failed++;
              if (v.ocrEngine) out.engines.add(v.ocrEngine);
              out.lastReadyAt = Math.max(out.lastReadyAt, since());
            }
          } catch {
            // The deadline aborted it, or a dropped connection: the next round asks again.
          }
        }),
      );
      await sleep(POLL_MS);
    }
  };
  await Promise.all([uploads, poll()]);
  clearTimeout(deadlineTimer);
  return out;
}

/** `[vouchers.process:done]` lines of the server's log: per-voucher processing and OCR times. */
function processingTimes(logFiles: string[]): { ms: number[]; ocrMs: number[]; retries: number } {
  const ms: number[] = [];
  const ocrMs: number[] = [];
  let retries = 0;
  const text = logFiles.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('\n');
  for (const line of text.split('\n')) {
    if (line.includes('[vouchers.process:done]')) {
      const entry = JSON.parse(line) as { ms: number; ocrMs: number };
      ms.push(entry.ms);
      ocrMs.push(entry.ocrMs);
    } else if (line.includes('[jobs.runner:retry]') || line.includes('[jobs.runner:failed]')) retries++;
  }
  return { ms, ocrMs, retries };
}

export async function main() {
  const db = option('db', { sqlite: 'sqlite', mysql: 'mysql', mariadb: 'mysql' }, 'sqlite');
  // Jobs run in the server process, as `npm start` does; `--worker process` runs them in `cli worker` beside it.
  const workerMode = option('worker', { 'in-process': 'in-process', process: 'process' }, 'in-process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-load-'));
  const databaseName = `yym_bench_load_${process.pid}`;
  let databaseUrl = `sqlite:${path.join(dir, 'db.sqlite')}`;
  if (db === 'mysql') {
    const url = new URL((process.env.BENCH_MYSQL_URL || process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test').replace(/^mariadb:/, 'mysql:'));
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
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
    const currentMonth = monthInShanghai(new Date());
    const previous = new Date(`${currentMonth}-15T00:00:00Z`);
    previous.setUTCMonth(previous.getUTCMonth() - 1);
    const publishedMonth = previous.toISOString().slice(0, 7);
    const today = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(8, 10));

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

    const log = fs.openSync(logFile, 'w');
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const origin = `http://127.0.0.1:${env.PORT}`;
    while (!(await fetch(`${origin}/readyz`).then((r) => r.ok, () => false))) {
      if (server.exitCode !== null) throw new Error(`the server exited ${server.exitCode}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
      await sleep(100);
    }

    if (workerMode === 'process') {
      const workerLog = fs.openSync(workerLogFile, 'w');
      worker = spawn(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', 'worker'], { cwd: ROOT, env, stdio: ['ignore', workerLog, workerLog] });
      fs.closeSync(workerLog);
      while (!fs.readFileSync(workerLogFile, 'utf8').includes('[jobs.runner:start]')) {
        if (worker.exitCode !== null) throw new Error(`the worker exited ${worker.exitCode}: ${fs.readFileSync(workerLogFile, 'utf8').slice(-2000)}`);
        await sleep(100);
      }
    }
    const jobPids = [server.pid!, ...(worker ? [worker.pid!] : [])];

    const accountants: Accountant[] = [];
    for (const v of villages) {
      const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: v.username, password: LOAD_PASSWORD }) });
      if (!res.ok) throw new Error(`login of ${v.username} answered ${res.status}`);
      accountants.push({ ...v, token: ((await res.json()) as { token: string }).token, files: files.get(v.villageId)! });
    }

    const paths = [`/api/villages/${big.villageId}/months/${big.month}`, ...villages.map((v) => `/api/villages/${v.villageId}/months/${publishedMonth}`)];
    const sizes: number[] = [];
    for (const p of paths) {
      const answer = await httpGet(origin + p, { 'Accept-Encoding': BROWSER_ENCODING });
      if (answer.status !== 200 || answer.encoding !== 'gzip') throw new Error(`${p} answered ${answer.status} ${answer.encoding ?? 'identity'}`);
      sizes.push(answer.bytes.length);
    }

    const recorder = new PhaseRecorder();
    const maxTotal = WARMUP_SECONDS + 2 * BASELINE_SECONDS + MAX_INGEST_SECONDS + 30;
    let finish: (error: unknown, result?: autocannon.Result) => void = () => undefined;
    const readersDone = new Promise<autocannon.Result>((resolve, reject) => {
      finish = (error, result) => (error ? reject(error) : resolve(result!));
    });
    const instance = autocannon(
      { url: origin, connections: CONNECTIONS, pipelining: 1, duration: maxTotal, headers: { 'Accept-Encoding': BROWSER_ENCODING }, requests: paths.map((p) => ({ method: 'GET', path: p })) },
      (error, result) => finish(error, result),
    );
    readers = instance;
    instance.on('response', (_client, statusCode, _bytes, ms) => recorder.response(statusCode, ms));
    instance.on('reqError', () => recorder.error());

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
    const outcome = await ingest(origin, currentMonth, accountants, ingestStarted + MAX_INGEST_SECONDS * 1000, () => recorder.phase('processing'));

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
    for (const child of [worker, server]) {
      if (!child || child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }
    if (db === 'mysql' && databaseCreated) {
      const sequelize = await openDatabase(databaseUrl);
      await sequelize.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
      await sequelize.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
