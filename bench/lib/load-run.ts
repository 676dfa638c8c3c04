/**
 * Running bench/load and bench/scale: options, the benchmark's database, the real server and
 * `cli worker` processes as children, and the memory and CPU they use (from /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../server/db/database';

const ROOT = path.join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** A GET that leaves Content-Encoding alone (fetch would decode gzip). */
export function httpGet(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: Buffer; encoding: string | undefined }> {
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

/** `--name value` or `--name=value` after the benchmark's name ('' without a value), or undefined. */
function argument(name: string): string | undefined {
  const args = process.argv.slice(3);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  return args[at].includes('=') ? args[at].slice(args[at].indexOf('=') + 1) : (args[at + 1] ?? '');
}

/** `--name value` or `--name=value` after the benchmark's name; `fallback` when absent. */
export function option<T extends string>(name: string, allowed: Record<string, T>, fallback: T): T {
  const value = argument(name);
  if (value === undefined) return fallback;
  if (value in allowed) return allowed[value];
  throw new Error(`--${name} must be one of ${Object.keys(allowed).join(', ')}, got "${value}"`);
}

/** `--name N`, an integer from `min` to `max`; `fallback` when absent. */
export function intOption(name: string, fallback: number, min: number, max: number): number {
  const value = argument(name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] : 0;
}

/** SQLite in `dir`, or a database named `name` on the MariaDB of BENCH_MYSQL_URL, else TEST_MYSQL_URL, else mysql://root@127.0.0.1:3306. */
export function benchDatabaseUrl(db: 'sqlite' | 'mysql', dir: string, name: string): string {
  if (db === 'sqlite') return `sqlite:${path.join(dir, 'db.sqlite')}`;
  const url = new URL((process.env.BENCH_MYSQL_URL || process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test').replace(/^mariadb:/, 'mysql:'));
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropMysqlDatabase(databaseUrl: string, name: string): Promise<void> {
  const sequelize = await openDatabase(databaseUrl);
  await sequelize.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await sequelize.close();
}

/** Spawns `node --import tsx ARGS` in the repository, output to `logFile`, and waits until `ready()` holds. */
async function startChild(args: string[], env: NodeJS.ProcessEnv, logFile: string, ready: () => Promise<boolean>): Promise<ChildProcess> {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
  return child;
}

/** The real server (`server/main.ts`) on `env.PORT`, once /readyz answers. */
export function startServer(env: NodeJS.ProcessEnv, logFile: string): Promise<ChildProcess> {
  return startChild(['server/main.ts'], env, logFile, () => fetch(`http://127.0.0.1:${env.PORT}/readyz`).then((r) => r.ok, () => false));
}

/** `cli worker`, once its job runner has started. */
export function startWorker(env: NodeJS.ProcessEnv, logFile: string): Promise<ChildProcess> {
  return startChild(['server/cli/index.ts', 'worker'], env, logFile, async () => fs.readFileSync(logFile, 'utf8').includes('[jobs.runner:start]'));
}

/** SIGTERM each child still running, one after the other, waiting up to 15 s for each. */
export async function stopChildren(children: Array<ChildProcess | null>): Promise<void> {
  for (const child of children) {
    if (!child || child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
  }
}

export function peakMemoryMb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Where the machine's CPU time went up to now: all cores (busy), the server, this process. */
export interface CpuSnapshot {
  at: number;
  machine: number;
  server: number;
  bench: number;
}

export function cpuSnapshot(serverPids: number[]): CpuSnapshot {
  // First line of /proc/stat: all cores, in USER_HZ (100 per second); idle and iowait are not busy.
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((a, b) => a + b, 0) - fields[3] - (fields[4] ?? 0);
  const own = process.cpuUsage();
  return { at: performance.now(), machine: busy / 100, server: serverPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0), bench: (own.user + own.system) / 1e6 };
}

/** Cores' worth of CPU each used between two snapshots (2.00 = both cores of a 2-core machine). */
export function cpuBetween(from: CpuSnapshot, to: CpuSnapshot, serverLabel: string): string {
  const seconds = (to.at - from.at) / 1000;
  const cores = (v: number) => (v / seconds).toFixed(2);
  const server = to.server - from.server;
  const bench = to.bench - from.bench;
  const machine = to.machine - from.machine;
  return `${serverLabel} ${cores(server)}, readers+uploaders ${cores(bench)}, everything else ${cores(Math.max(0, machine - server - bench))} of ${os.cpus().length} cores`;
}
