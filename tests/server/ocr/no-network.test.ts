/**
 * OCR is fully offline: each engine runs in a child process whose network entry points (sockets,
 * DNS, http/https, tls, fetch) record the attempt and throw, in every thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, spawnProcess } from '../../helpers/processes';

const PRELOAD = path.join(ROOT, 'tests/helpers/processes/deny-network.cjs');
const SCRIPT = path.join(ROOT, 'tests/helpers/processes/ocr-offline.ts');
const IMAGE = path.resolve(__dirname, '../../../../shared/fixtures/vouchers/v003.jpg');

interface Run {
  exitCode: number | null;
  output: string;
  attempts: string[];
  /** Guarded worker threads. */
  workers: number;
}

async function runGuarded(args: string[]): Promise<Run> {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yym-net-')), 'network.log');
  const child = spawnProcess(process.execPath, ['--require', PRELOAD, ...args], { NETWORK_LOG: log });
  const exitCode = await child.exited;
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [];
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
  expect(lines).toContainEqual(expect.stringMatching(/^guard main /));
  return {
    exitCode,
    output: child.output(),
    attempts: lines.filter((l) => l.startsWith('attempt')),
    workers: lines.filter((l) => l.startsWith('guard worker')).length,
  };
}

async function runOcr(engine: string): Promise<Run & { text: string }> {
  const run = await runGuarded(['--import', 'tsx', SCRIPT, IMAGE, engine]);
  const result = run.output.split('\n').find((l) => l.startsWith('{"engine"'));
  return { ...run, text: result ? (JSON.parse(result) as { text: string }).text : '' };
}

describe('OCR without network', () => {
  test('the guard records and blocks a fetch, in the main thread and in worker threads', async () => {
    const script = `
      const { Worker } = require('node:worker_threads');
      fetch('http://example.com/').catch(() => {});
      new Worker("require('node:https').get('https://example.com/')", { eval: true }).on('error', () => {});`;
    const run = await runGuarded(['-e', script]);
    expect(run.attempts).toEqual([expect.stringMatching(/^attempt fetch "http:\/\/example.com\/"/), expect.stringMatching(/^attempt https.get/)]);
    expect(run.workers).toBe(1);
  }, 30_000);

  test('paddle and tesseract read the VAT invoice with zero network attempts, tesseract’s wasm worker guarded too', async () => {
    const paddle = await runOcr('paddle');
    expect(paddle.exitCode).toBe(0);
    expect(paddle.attempts).toEqual([]);
    expect(paddle.text).toContain('95941563');

    const tesseract = await runOcr('tesseract');
    expect(tesseract.exitCode).toBe(0);
    expect(tesseract.attempts).toEqual([]);
    expect(tesseract.text).toContain('95941563');
    // Same loader threads as the paddle run, plus the tesseract.js worker.
    expect(tesseract.workers).toBe(paddle.workers + 1);
  }, 120_000);
});
