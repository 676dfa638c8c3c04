/**
 * Both OCR engines on real models and data: rendered pages with known text positions, and
 * fixture photos through the same `analyzeImage` path as the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createOcrEngine } from '../../../server/ocr/create-engine';
import { OCR_ENGINES, type Box, type OcrEngine, type OcrEngineName, type OcrLine } from '../../../server/ocr/ocr-engine';
import { patchTraineddata } from '../../../server/ocr/tesseract-data';
import { analyzeImage } from '../../../server/pipeline/analyze';

const VOUCHERS = path.resolve(__dirname, '../../../../shared/fixtures/vouchers');

interface Rendered {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  rotate?: number;
}

/** A white 1200×600 page with 40 px Noto Sans CJK text, as a PNG. */
function renderPage(items: Rendered[]): Promise<Buffer> {
  const texts = items
    .map(({ text, x, y, rotate = 0 }) => `<text x="${x}" y="${y}" transform="rotate(${rotate} ${x} ${y})">${text}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="600"><rect width="100%" height="100%" fill="white"/><g font-family="Noto Sans CJK SC" font-size="40" fill="black">${texts}</g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const compact = (s: string) => s.replace(/\s/g, '');
const find = (lines: OcrLine[], text: string) => lines.findIndex((l) => compact(l.text).includes(text));
const centre = ([x, y, w, h]: Box) => [x + w / 2, y + h / 2];
const inside = ([x, y, w, h]: Box, width: number, height: number) => x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height;

function overlaps(a: Box, b: Box): boolean {
  return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

const PAGE: Rendered[] = [
  { text: '发票号码', x: 80, y: 120 },
  { text: '12345678', x: 600, y: 130 },
  { text: '金额', x: 80, y: 300 },
  { text: '1234.56', x: 600, y: 290 },
];

describe.each(OCR_ENGINES)('%s engine', (name: OcrEngineName) => {
  let engine: OcrEngine;
  beforeAll(async () => {
    engine = await createOcrEngine(name);
  }, 120_000);
  afterAll(() => engine?.close());

  test('reads a rendered page line by line, boxes in pixels of the given image, in reading order', async () => {
    const result = await engine.recognize(await renderPage(PAGE));
    expect(result).toMatchObject({ engine: name, width: 1200, height: 600 });
    const indexes = ['发票号码', '12345678', '金额', '1234.56'].map((text) => find(result.lines, text));
    expect(indexes.every((i) => i >= 0)).toBe(true);
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    const [x, y] = centre(result.lines[indexes[1]].box);
    expect(x).toBeGreaterThan(600);
    expect(x).toBeLessThan(800);
    expect(y).toBeGreaterThan(95);
    expect(y).toBeLessThan(130);
    for (const line of result.lines) {
      expect(inside(line.box, 1200, 600)).toBe(true);
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
  });

  test('reads the 8-digit invoice number 95941563 off the VAT invoice photo v003, boxes inside the photo', async () => {
    const analysis = await analyzeImage(fs.readFileSync(path.join(VOUCHERS, 'v003.jpg')), engine);
    expect(analysis.ocr.engine).toBe(name);
    expect(find(analysis.ocr.lines, '95941563')).toBeGreaterThanOrEqual(0);
    for (const line of analysis.ocr.lines) expect(inside(line.box, analysis.width, analysis.height)).toBe(true);
  });

  test('finds no lines on a blank page', async () => {
    const result = await engine.recognize(await renderPage([]));
    expect(result.lines).toEqual([]);
  });

  test('refuses work after close', async () => {
    const other = await createOcrEngine(name);
    await other.close();
    await expect(other.recognize(await renderPage(PAGE))).rejects.toThrow(/closed/);
  }, 60_000);
});

describe('paddle engine on the fixtures', () => {
  let engine: OcrEngine;
  beforeAll(async () => {
    engine = await createOcrEngine('paddle');
  }, 120_000);
  afterAll(() => engine?.close());

  test('reads the code, date and total of the VAT invoice v003 as printed', async () => {
    const analysis = await analyzeImage(fs.readFileSync(path.join(VOUCHERS, 'v003.jpg')), engine);
    const text = analysis.ocr.lines.map((l) => compact(l.text)).join('\n');
    expect(text).toContain('034002032304');
    expect(text).toContain('2022年03月09日');
    expect(text).toContain('2,809.00');
  });

  test('boxes the ID-card number of receipt v001 where the truth says it is written', async () => {
    const analysis = await analyzeImage(fs.readFileSync(path.join(VOUCHERS, 'v001.jpg')), engine);
    const line = analysis.ocr.lines[find(analysis.ocr.lines, '341102199606204752')];
    expect(line).toBeDefined();
    expect(overlaps(line.box, [404, 686, 333, 51])).toBe(true);
  });

  test('reads a line photographed 4° off horizontal', async () => {
    const result = await engine.recognize(await renderPage([{ text: '天长市华成办公用品经营部 2809.00', x: 100, y: 250, rotate: 4 }]));
    expect(result.lines.map((l) => compact(l.text))).toContain('天长市华成办公用品经营部2809.00');
  });

  test('serves concurrent calls one after another with the same results', async () => {
    const image = await renderPage(PAGE);
    const [a, b] = await Promise.all([engine.recognize(image), engine.recognize(image)]);
    expect(a.lines.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});

describe('tesseract language data', () => {
  test('comments out the chi_sim_vert sub-language that makes tesseract.js drop eng, keeping the file size', () => {
    const config = Buffer.from('tessedit_load_sublangs chi_sim_vert\n# Important configurations for CJK mode\n');
    const patched = patchTraineddata(config);
    expect(patched.length).toBe(config.length);
    expect(patched.toString()).toMatch(/^#essedit_load_sublangs chi_sim_vert\n# Important/);
    expect(patchTraineddata(patched)).toEqual(patched);
  });
});
