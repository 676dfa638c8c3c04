/**
 * The whole server ingesting the 30 sample vouchers: upload, durable job, OCR, derived images,
 * redaction. Prints vouchers per minute and the server process's peak memory (VmHWM), against
 * a baseline measured in the same run: the same images through the OCR pipeline alone
 * (`npm run -s cli -- ocr`, same engine, one at a time), so the rest of ingestion shows as overhead.
 *
 *   npm run -s bench -- ingest            # OCR_ENGINE=tesseract for the light engine
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures', 'vouchers');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakMemoryMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

export async function main() {
  const engine = process.env.OCR_ENGINE ?? 'paddle';
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.jpg')).sort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-ingest-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
    STORAGE_DIR: path.join(dir, 'files'),
    TMP_DIR: path.join(dir, 'tmp'),
    PORT: '0',
    OCR_ENGINE: engine,
    LOG_LEVEL: 'info',
    WEB_DIR: path.join(dir, 'none'),
  };

  // Baseline: OCR pipeline only, same images, same engine, one image at a time.
  let started = Date.now();
  const ocr = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', 'ocr', '--jsonl', '--engine', engine, ...files.map((f) => path.join(FIXTURES, f))], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ocrSeconds = (Date.now() - started) / 1000;
  if (ocr.status !== 0) console.log(`(the ocr command exited ${ocr.status}: ${ocr.stderr.slice(-500)})`);

  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  try {
    while (!/"url":"(http:[^"]+)"/.test(output)) {
      if (server.exitCode !== null) throw new Error(output);
      await sleep(50);
    }
    const url = /"url":"(http:[^"]+)\/"/.exec(output)![1];
    const password = /^\s+accountant\s+xinjie-01\s+(\S+)/m.exec(output)![1];
    const { token } = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'xinjie-01', password }) })).json()) as { token: string };
    const { towns } = (await (await fetch(`${url}/api/towns`)).json()) as { towns: Array<{ villages: Array<{ id: number }> }> };
    const village = towns[0].villages[0].id;

    started = Date.now();
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, f)))]), f);
    const upload = await fetch(`${url}/api/villages/${village}/months/2026-01/vouchers`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    if (upload.status !== 202) throw new Error(`upload answered ${upload.status}`);
    for (;;) {
      const { vouchers } = (await (await fetch(`${url}/api/villages/${village}/months/2026-01/vouchers`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { vouchers: Array<{ status: string }> };
      if (vouchers.every((v) => v.status !== 'processing')) break;
      await sleep(250);
    }
    const serverSeconds = (Date.now() - started) / 1000;
    const peak = peakMemoryMb(server.pid!);
    const perMinute = (n: number, s: number) => ((n / s) * 60).toFixed(1);
    console.log(`ingest benchmark, engine ${engine}, ${files.length} sample vouchers, ${os.cpus().length} cores`);
    console.log(`  baseline  OCR pipeline alone (cli ocr)   ${perMinute(files.length, ocrSeconds)} vouchers/min  (${ocrSeconds.toFixed(1)} s, incl. model load)`);
    console.log(`  server    upload → job → OCR → images    ${perMinute(files.length, serverSeconds)} vouchers/min  (${serverSeconds.toFixed(1)} s, ${(serverSeconds / ocrSeconds).toFixed(2)}x baseline time)`);
    console.log(`  server peak memory (VmHWM)               ${peak.toFixed(0)} MB  (target under 2048 MB)`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
