/**
 * OCR engines on the sample vouchers: throughput, CPU, peak memory, and how often the true
 * amount, date, invoice number and payee (a) appear in the raw OCR text and (b) come out of the
 * project's field extractor — against Debian's native `tesseract` CLI as the baseline.
 *
 * Each engine runs in its own child process (so peak memory is its own) over the same images,
 * through the same `analyzeImage` path, with the same number of images in flight.
 *
 *   npm run -s bench -- ocr
 *   BENCH_FIXTURES=../shared/fixtures/real-invoices BENCH_PARALLEL=2 npm run -s bench -- ocr
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OcrRecord } from '../server/cli/commands/ocr';
import { analyzeFile } from '../server/cli/commands/ocr';
import { createOcrEngine } from '../server/ocr/create-engine';
import type { OcrEngine, OcrEngineName } from '../server/ocr/ocr-engine';
import { analyzeImage } from '../server/pipeline/analyze';
import { scoreFixtures } from '../tests/helpers/accuracy';
import { readTruth } from '../tests/helpers/fixtures';
import { main as ingestBenchmark } from './ingest';
import { createNativeTesseractEngine, nativeTesseractMissing, type NativeStats } from './ocr/native-tesseract';
import { appearsInText, FIELDS, type Field } from './ocr/raw-text';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.resolve(ROOT, process.env.BENCH_FIXTURES ?? '../shared/fixtures/vouchers');
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 1);
const NATIVE_PSM = process.env.BENCH_NATIVE_PSM ?? '6';

type Contender = OcrEngineName | 'native';
const LABELS: Record<Contender, string> = { native: 'native tesseract (baseline)', paddle: 'paddle (PP-OCRv4, onnx)', tesseract: 'tesseract.js (wasm)' };

interface ChildResult {
  images: number;
  initMs: number;
  wallMs: number;
  cpuMs: number;
  peakMb: number;
  /** Per field: [images whose true value is in the raw text, images with a true value]. */
  raw: Record<Field, [number, number]>;
  predictions: OcrRecord[];
}

/** Child process: one engine over all images, PARALLEL at a time; prints a ChildResult as JSON. */
async function runChild(contender: Contender): Promise<void> {
  const truths = readTruth(FIXTURES);
  const native: NativeStats = { peakKb: 0, cpuMs: 0, measured: false };
  let started = Date.now();
  const engine: OcrEngine =
    contender === 'native' ? createNativeTesseractEngine(NATIVE_PSM, native) : await createOcrEngine(contender, { workers: PARALLEL });
  const initMs = Date.now() - started;
  const raw = Object.fromEntries(FIELDS.map((f) => [f, [0, 0]])) as Record<Field, [number, number]>;
  const predictions: OcrRecord[] = [];
  const cpu = process.cpuUsage();
  started = Date.now();
  let next = 0;
  async function lane() {
    while (next < truths.length) {
      const truth = truths[next++];
      let lines: string[] = [];
      const record = await analyzeFile(path.join(FIXTURES, truth.file), async (image) => {
        const analysis = await analyzeImage(image, engine);
        lines = analysis.ocr.lines.map((l) => l.text);
        return analysis;
      });
      predictions.push({ ...record, file: truth.file });
      for (const field of FIELDS) {
        const value = truth[field];
        if (!value) continue;
        raw[field][1]++;
        if (appearsInText(field, value, lines)) raw[field][0]++;
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  const wallMs = Date.now() - started;
  const used = process.cpuUsage(cpu);
  await engine.close();
  const hwmKb = Number(fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)![1]);
  const result: ChildResult = {
    images: truths.length,
    initMs,
    wallMs,
    // For the CLI, its own CPU and peak matter (measured by GNU time), plus this process's share.
    cpuMs: (used.user + used.system) / 1000 + native.cpuMs,
    peakMb: (contender === 'native' ? (native.measured ? native.peakKb : NaN) : hwmKb) / 1024,
    raw,
    predictions,
  };
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

async function runContender(contender: Contender): Promise<ChildResult> {
  const args = ['--import', 'tsx', path.join(__dirname, 'ocr.ts'), '--child', contender];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 64 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function ratio(value: number, base: number | undefined): string {
  return base === undefined || !Number.isFinite(base) || base === 0 || !Number.isFinite(value) ? '' : ` (${(value / base).toFixed(2)}x)`;
}

function report(contender: Contender, r: ChildResult, base: ChildResult | undefined): string {
  const perMin = (r.images / r.wallMs) * 60_000;
  const basePerMin = base && (base.images / base.wallMs) * 60_000;
  const truths = readTruth(FIXTURES);
  const scored = scoreFixtures(truths, r.predictions);
  const hits = FIELDS.map((f) => `${f} ${r.raw[f][0]}/${r.raw[f][1]}${ratio(r.raw[f][0], base?.raw[f][0])}`).join(', ');
  const extracted = FIELDS.map((f) => `${f} ${scored.fields[f].correct}/${scored.fields[f].total}`).join(', ');
  return [
    `${LABELS[contender]}`,
    `  speed     ${pad(perMin.toFixed(1), 6)} vouchers/min${ratio(perMin, basePerMin)}, ${(r.wallMs / r.images / 1000).toFixed(2)} s/image wall, ${(r.cpuMs / r.images / 1000).toFixed(2)} s/image CPU${ratio(r.cpuMs, base?.cpuMs)}, start ${(r.initMs / 1000).toFixed(1)} s`,
    `  memory    peak ${Number.isFinite(r.peakMb) ? `${r.peakMb.toFixed(0)} MB` : 'not measured (no /usr/bin/time)'}${ratio(r.peakMb, base?.peakMb)}${contender === 'native' ? ' per CLI process' : ' (VmHWM of the OCR process)'}`,
    `  raw text  ${hits}`,
    `  extracted ${extracted}`,
  ].join('\n');
}

export async function main(): Promise<void> {
  const contenders: Contender[] = ['native', 'paddle', 'tesseract'];
  const missing = await nativeTesseractMissing();
  if (missing) {
    console.log(`${missing}: no baseline. Install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim`);
    contenders.shift();
  }
  const images = readTruth(FIXTURES).length;
  console.log(`OCR benchmark: ${images} images from ${path.relative(ROOT, FIXTURES)}, ${PARALLEL} image(s) in flight per engine, ${os.cpus().length} cores`);
  console.log(
    `  native: tesseract 5 CLI --psm ${NATIVE_PSM} -l chi_sim+eng, OMP_THREAD_LIMIT=1, one process per image in flight; ` +
      `paddle: 2 onnxruntime threads, one image at a time inside the engine; tesseract.js: ${PARALLEL} wasm worker(s)`,
  );
  console.log('  raw text = the true value appears in the OCR lines; extracted = extractFields output scored as in tests/helpers/accuracy.ts\n');
  let base: ChildResult | undefined;
  for (const contender of contenders) {
    const result = await runContender(contender);
    if (contender === 'native') base = result;
    console.log(`${report(contender, result, base)}\n`);
  }
  // The server's own peak memory while it ingests the same images (bench/ingest.ts, OCR_ENGINE or paddle).
  if (!process.env.BENCH_SKIP_INGEST) await ingestBenchmark();
}

if (process.argv[2] === '--child') {
  runChild(process.argv[3] as Contender).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
