/**
 * Debian's native `tesseract` CLI behind the OcrEngine interface, so the baseline runs through the
 * same `analyzeImage` path (same upright, scaled PNG) as the engines it is compared with.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { OcrEngine, OcrLine } from '../../server/ocr/ocr-engine';
import { sortReadingOrder } from '../../server/ocr/reading-order';
import { joinCjk, TESSERACT_DEFAULTS } from '../../server/ocr/tesseract-engine';

const run = promisify(execFile);
const TIME = '/usr/bin/time';

/** Peak memory and CPU of every CLI run, from GNU time (when installed). */
export interface NativeStats {
  peakKb: number;
  cpuMs: number;
  measured: boolean;
}

/** Why the baseline cannot run, or null when `tesseract` with chi_sim and eng is installed. */
export async function nativeTesseractMissing(): Promise<string | null> {
  try {
    const { stdout, stderr } = await run('tesseract', ['--list-langs']);
    const langs = `${stdout}\n${stderr}`;
    if (/^chi_sim$/m.test(langs) && /^eng$/m.test(langs)) return null;
    return 'native tesseract lacks chi_sim or eng';
  } catch {
    return 'native tesseract is not installed';
  }
}

/** TSV rows (level 5 = word) grouped into lines by block, paragraph and line number. */
export function linesFromTsv(tsv: string): OcrLine[] {
  const lines = new Map<string, { words: string[]; confs: number[]; x0: number; y0: number; x1: number; y1: number }>();
  for (const row of tsv.split('\n').slice(1)) {
    const [level, , block, par, line, , left, top, width, height, conf, ...text] = row.split('\t');
    const word = text.join('\t').trim();
    if (level !== '5' || !word) continue;
    const [x, y, w, h] = [left, top, width, height].map(Number);
    const key = `${block}/${par}/${line}`;
    const l = lines.get(key) ?? { words: [], confs: [], x0: x, y0: y, x1: x + w, y1: y + h };
    l.words.push(word);
    l.confs.push(Math.max(0, Number(conf)));
    Object.assign(l, { x0: Math.min(l.x0, x), y0: Math.min(l.y0, y), x1: Math.max(l.x1, x + w), y1: Math.max(l.y1, y + h) });
    lines.set(key, l);
  }
  return [...lines.values()].map((l) => ({
    text: joinCjk(l.words.join(' ')),
    box: [l.x0, l.y0, l.x1 - l.x0, l.y1 - l.y0],
    confidence: l.confs.reduce((a, b) => a + b, 0) / l.confs.length / 100,
  }));
}

export function createNativeTesseractEngine(psm: string, stats: NativeStats): OcrEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-native-tesseract-'));
  const timed = fs.existsSync(TIME);
  stats.measured = timed;
  let next = 0;
  return {
    name: 'tesseract',
    maxSide: TESSERACT_DEFAULTS.maxSide,
    async recognize(image) {
      const base = path.join(dir, String(next++));
      fs.writeFileSync(`${base}.png`, image);
      const cli = ['tesseract', `${base}.png`, 'stdout', '-l', 'chi_sim+eng', '--psm', psm, 'tsv'];
      const command = timed ? [TIME, '-f', '%M %U %S', '-o', `${base}.time`, ...cli] : cli;
      const { stdout } = await run(command[0], command.slice(1), { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 << 20 });
      if (timed) {
        const [kb, user, sys] = fs.readFileSync(`${base}.time`, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        stats.peakKb = Math.max(stats.peakKb, kb);
        stats.cpuMs += (user + sys) * 1000;
      }
      const { width, height } = await sharp(image).metadata();
      return { engine: 'tesseract', width: width!, height: height!, lines: sortReadingOrder(linesFromTsv(stdout)) };
    },
    async close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
