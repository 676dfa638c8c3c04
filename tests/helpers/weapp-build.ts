/**
 * One WeChat build per test run, shared by every weapp test file, in a folder of its own
 * (test-output/weapp) so it never collides with `npm run build:weapp` writing miniprogram/dist.
 *
 * Jest runs test files in parallel workers, so the first worker to need the build takes a lock file and
 * builds; the others wait for it. A marker records what was built: within one jest run the build is
 * reused as is (rebuilding while another file reads it would pull files from under it); a later run
 * reuses it only when no source is newer and the build-time env is the same, like scripts/build-h5-if-stale.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

export const WEAPP_OUT = path.join(ROOT, 'test-output', 'weapp');
const MARKER = path.join(ROOT, 'test-output', 'weapp.built.json');
const LOCK = path.join(ROOT, 'test-output', 'weapp.lock');
const BUILD_TIMEOUT_MS = 150_000;

/** What the build reads; package-lock.json stands in for a toolchain upgrade. */
const SOURCES = [
  'miniprogram/src',
  'miniprogram/config',
  'miniprogram/babel.config.js',
  'miniprogram/package.json',
  'miniprogram/tsconfig.json',
  'miniprogram/project.config.json',
  'shared',
  'package-lock.json',
].map((p) => path.join(ROOT, p));

/** Build-time settings that change the output (see miniprogram/config/index.ts). */
const BUILD_ENV = {
  NODE_ENV: 'production',
  WEAPP_APPID: process.env.WEAPP_APPID ?? '',
  API_BASE_URL: process.env.API_BASE_URL ?? '',
};

interface Marker {
  runId: string;
  sourcesMtimeMs: number;
  env: typeof BUILD_ENV;
  buildMs: number;
  /** Set when the build failed: the other files of the same run report it instead of building again. */
  error?: string;
}

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

/** The jest process: parent of a forked worker, or this process when jest runs in band. Start time guards against pid reuse. */
function jestRunId(): string {
  const pid = typeof process.send === 'function' ? process.ppid : process.pid;
  let started = '';
  try {
    started = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
  } catch {
    // Not Linux: the pid alone.
  }
  return `${pid}:${started}`;
}

function readMarker(): Marker | null {
  try {
    return JSON.parse(fs.readFileSync(MARKER, 'utf8')) as Marker;
  } catch {
    return null;
  }
}

function isUsable(marker: Marker | null, runId: string): boolean {
  if (!marker || marker.error || !fs.existsSync(path.join(WEAPP_OUT, 'app.json'))) return false;
  if (marker.runId === runId) return true;
  return JSON.stringify(marker.env) === JSON.stringify(BUILD_ENV) && marker.sourcesMtimeMs >= Math.max(...SOURCES.map(newestMtime));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Exclusive lock by O_EXCL create; a lock left by a dead process is taken over. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS + 30_000;
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = 0;
      let ageMs = 0;
      try {
        holder = Number(fs.readFileSync(LOCK, 'utf8'));
        ageMs = Date.now() - fs.statSync(LOCK).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // An empty lock is one being written; if it stays empty its writer died.
      if (holder ? !pidAlive(holder) : ageMs > 5000) fs.rmSync(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`waited too long for ${LOCK} (held by pid ${holder})`);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

/** `npm run build:weapp` into WEAPP_OUT, in its own process group so a timeout takes Taro's processes down too. */
async function runBuild(): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '-s', 'build:weapp'], {
    cwd: ROOT,
    env: { ...process.env, ...BUILD_ENV, TARO_OUTPUT_ROOT: WEAPP_OUT },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, BUILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      output += `\n${err.stack ?? err}`;
      resolve(-1);
    });
    child.on('close', resolve); // after the output is all read
  });
  clearTimeout(timer);
  return { code, output };
}

let built: Promise<string> | undefined;

/** Builds the weapp into test-output/weapp unless this run (or an up-to-date earlier one) already did; resolves to that folder. */
export function buildWeapp(): Promise<string> {
  built ??= (async () => {
    fs.mkdirSync(path.dirname(WEAPP_OUT), { recursive: true });
    const runId = jestRunId();
    return withLock(async () => {
      const marker = readMarker();
      if (marker?.error && marker.runId === runId) throw new Error(marker.error);
      if (isUsable(marker, runId)) return WEAPP_OUT;
      fs.rmSync(MARKER, { force: true });
      // Sources edited while the build runs make the next run rebuild: take their time before starting.
      const sourcesMtimeMs = Math.max(...SOURCES.map(newestMtime));
      const started = Date.now();
      const { code, output } = await runBuild();
      const done: Marker = { runId, sourcesMtimeMs, env: BUILD_ENV, buildMs: Date.now() - started };
      if (code !== 0) done.error = `weapp build failed (exit ${code}${code === null ? ', killed after timeout' : ''}):\n${output.slice(-4000)}`;
      fs.writeFileSync(MARKER, JSON.stringify(done, null, 2));
      if (done.error) throw new Error(done.error);
      return WEAPP_OUT;
    });
  })();
  return built;
}

/** Generous enough for a cold build on a busy 2-core machine, plus waiting for another worker's build. */
export const BUILD_HOOK_TIMEOUT_MS = BUILD_TIMEOUT_MS * 2 + 30_000;

/** Pages of app.json, subpackage pages prefixed with their root. */
export function appPages(app: WeappAppJson): { page: string; root: string | null }[] {
  const subs = app.subPackages ?? app.subpackages ?? [];
  return [
    ...app.pages.map((page) => ({ page, root: null })),
    ...subs.flatMap((sub) => sub.pages.map((page) => ({ page: path.posix.join(sub.root, page), root: sub.root }))),
  ];
}

export interface WeappAppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[]; name?: string }[];
  subpackages?: { root: string; pages: string[]; name?: string }[];
  [key: string]: unknown;
}

export function readAppJson(out = WEAPP_OUT): WeappAppJson {
  return JSON.parse(fs.readFileSync(path.join(out, 'app.json'), 'utf8')) as WeappAppJson;
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}
