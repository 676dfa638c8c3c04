/**
 * How fast villagers can read a published month, against a named baseline measured in the
 * same run: a minimal Node static server answering the same JSON bytes (bench/lib/static-server.ts).
 * Both run as their own process; autocannon drives each with the same load from this one.
 *
 *   npm run -s bench -- read                      # SQLite; BENCH_RECEIPTS=200 BENCH_SECONDS=10 BENCH_CONNECTIONS=200
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run -s bench -- read
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { loadConfig } from '../server/config';
import { createContainer } from '../server/container';
import { openDatabase } from '../server/db/database';
import { createLogger } from '../server/logger';
import { seedPublishedMonth } from './lib/published-month';

const ROOT = path.join(__dirname, '..');
const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Starts a child and resolves once `ready` matches its output; the match is returned. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => {
    // Keep only the head: the server logs a line per request once the load starts.
    if (output.length < 64 * 1024) output += d;
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  for (;;) {
    const match = ready.exec(output);
    if (match) return { child, match };
    if (child.exitCode !== null) throw new Error(`process exited ${child.exitCode}: ${output}`);
    await sleep(50);
  }
}

/** A GET that leaves Content-Encoding alone (fetch would decode gzip). */
function httpGet(url: string, headers: Record<string, string>): Promise<{ bytes: Buffer; etag: string; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ bytes: Buffer.concat(chunks), etag: String(res.headers.etag), encoding: res.headers['content-encoding'] }));
      })
      .on('error', reject);
  });
}

async function load(url: string, seconds: number, headers: Record<string, string>, connections: number) {
  return autocannon({ url, connections, duration: seconds, pipelining: 1, headers });
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(url: string, headers: Record<string, string>, connections: number): Promise<Figures> {
  await load(url, 2, headers, connections); // warm up: JIT, caches, connections
  const result = await load(url, SECONDS, headers, connections);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result['4xx'] + result['5xx'] };
}

export async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-read-'));
  let databaseUrl = `sqlite:${path.join(dir, 'db.sqlite')}`;
  let engine = 'SQLite';
  if (process.env.BENCH_MYSQL_URL) {
    const url = new URL(process.env.BENCH_MYSQL_URL);
    url.pathname = `/yym_bench_read_${process.pid}`;
    databaseUrl = url.toString();
    engine = 'MariaDB';
  }
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: path.join(dir, 'files'),
    TMP_DIR: path.join(dir, 'tmp'),
    WEB_DIR: path.join(dir, 'no-web'),
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DEMO_DATA: '0',
    WORKERS_IN_PROCESS: '0',
    // Production logs a line per request; BENCH_LOG_LEVEL=warn shows what that costs.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  const children: ChildProcess[] = [];
  try {
    const config = loadConfig(env);
    const container = await createContainer(config, createLogger('warn'));
    const { villageId, month } = await seedPublishedMonth(container, RECEIPTS);
    await container.close();

    const api = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
    children.push(api);
    const origin = `http://127.0.0.1:${env.PORT}`;
    while (!(await fetch(`${origin}/readyz`).then((r) => r.ok, () => false))) {
      if (api.exitCode !== null) throw new Error(`the server exited ${api.exitCode}`);
      await sleep(100);
    }
    const apiUrl = `${origin}/api/villages/${villageId}/months/${month}`;
    const plain = await httpGet(apiUrl, {});
    if (plain.encoding) throw new Error('the API encoded the month without being asked');
    const gzip = await httpGet(apiUrl, { 'Accept-Encoding': 'gzip' });
    if (gzip.encoding !== 'gzip') throw new Error('the API did not gzip the month');
    fs.writeFileSync(path.join(dir, 'month.json'), plain.bytes);
    fs.writeFileSync(path.join(dir, 'month.json.gz'), gzip.bytes);

    const stat = await startProcess(['--import', 'tsx', 'bench/lib/static-server.ts', path.join(dir, 'month.json'), plain.etag, path.join(dir, 'month.json.gz'), gzip.etag], env, /(http:\/\/\S+)/);
    children.push(stat.child);
    const staticUrl = stat.match[1];
    if (!(await httpGet(staticUrl, {})).bytes.equals(plain.bytes) || !(await httpGet(staticUrl, { 'Accept-Encoding': 'gzip' })).bytes.equals(gzip.bytes))
      throw new Error('the static server does not answer the same bytes');

    const row = (label: string, f: Figures) =>
      `  ${label.padEnd(40)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   errors ${f.errors}`;
    console.log(`read benchmark: GET /api/villages/:id/months/:month, ${RECEIPTS} receipts, ${SECONDS} s per run, ${os.cpus().length} cores, ${engine}`);
    const scenarios: Array<[string, Record<string, string>, number]> = [
      [`gzip (what WeChat and browsers ask for), ${(gzip.bytes.length / 1024).toFixed(1)} KB per answer`, { 'Accept-Encoding': 'gzip' }, CONNECTIONS],
      [`identity (no Accept-Encoding), ${(plain.bytes.length / 1024).toFixed(1)} KB per answer`, {}, CONNECTIONS],
      ['revalidation: If-None-Match with the current tag, 304 answers', { 'Accept-Encoding': 'gzip', 'If-None-Match': gzip.etag }, CONNECTIONS],
      ['gzip, light load', { 'Accept-Encoding': 'gzip' }, 10],
    ];
    for (const [label, headers, connections] of scenarios) {
      const baseline = await measure(staticUrl, headers, connections);
      const measured = await measure(apiUrl, headers, connections);
      const ratio = measured.rps / baseline.rps;
      console.log(`${label}, ${connections} connections:`);
      console.log(row('baseline  static Node server, same bytes', baseline));
      console.log(row(`api       Koa + ${engine}`, measured));
      console.log(`  ratio     ${ratio.toFixed(2)}x the static server's throughput (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'}); api p99 ${measured.p99} ms (target < 20 ms: ${measured.p99 < 20 ? 'met' : 'NOT met'})`);
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(300);
    if (process.env.BENCH_MYSQL_URL) {
      const sequelize = await openDatabase(databaseUrl);
      await sequelize.query(`DROP DATABASE IF EXISTS \`yym_bench_read_${process.pid}\``);
      await sequelize.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
