import path from 'node:path';
import sharp from 'sharp';
import { runCli } from '../../../server/cli/index';
import { boxToStoredOrientation } from '../../../server/cli/commands/ocr';
import type { Box } from '../../../server/ocr/ocr-engine';
import { FIXTURES_DIR } from '../../helpers/accuracy';

// A database URL that cannot be opened: the ocr command must not need one.
const NO_DATABASE = { DATABASE_URL: 'nosuchdb://nowhere', LOG_LEVEL: 'silent' };

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, NO_DATABASE);
  return { code, out, err: err.join('\n') };
}

describe('ocr command', () => {
  test('one JSON line per file, an error line for an unreadable file, exit 1 at the end; no database', async () => {
    const receipt = path.join(FIXTURES_DIR, 'vouchers', 'v002.jpg');
    const missing = path.join(FIXTURES_DIR, 'vouchers', 'no-such-file.jpg');
    const { code, out, err } = await cli('ocr', '--jsonl', missing, receipt);
    expect(code).toBe(1);
    expect(out).toHaveLength(2);
    expect(JSON.parse(out[0])).toEqual({ file: missing, error: expect.stringContaining('no such file') });
    const record = JSON.parse(out[1]);
    expect(record).toMatchObject({ file: receipt, amount: '200.00', date: '2022-02-20', invoiceCode: null, invoiceNumber: null });
    expect(record.sensitive).toEqual(expect.arrayContaining([{ type: 'name', bbox: expect.any(Array) }]));
    expect(err).toContain('[2/2]');
  }, 120_000);

  test.each([
    [['ocr', 'a.jpg'], '--jsonl is required'],
    [['ocr', '--jsonl'], 'give at least one image file'],
    [['ocr', '--jsonl', '--engine', 'easyocr', 'a.jpg'], '--engine must be one of'],
  ])('bad arguments %j exit with 2', async (argv, message) => {
    const { code, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('boxToStoredOrientation', () => {
  const STORED = { width: 60, height: 40 };
  const MARK: Box = [5, 8, 10, 6];

  /** Bounding box of the bright pixels of a grey image. */
  async function brightBox(image: Buffer): Promise<Box> {
    const { data, info } = await sharp(image).autoOrient().greyscale().raw().toBuffer({ resolveWithObject: true });
    let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
    for (let y = 0; y < info.height; y++)
      for (let x = 0; x < info.width; x++)
        if (data[y * info.width + x] > 128) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    return [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
  }

  test.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: a box found upright maps back onto the stored pixels', async (orientation) => {
    const pixels = Buffer.alloc(STORED.width * STORED.height);
    for (let y = MARK[1]; y < MARK[1] + MARK[3]; y++) pixels.fill(255, y * STORED.width + MARK[0], y * STORED.width + MARK[0] + MARK[2]);
    const stored = await sharp(pixels, { raw: { ...STORED, channels: 1 } })
      .png()
      .toBuffer()
      .then((png) => sharp(png).withMetadata({ orientation }).jpeg({ quality: 100 }).toBuffer());
    const upright = await brightBox(stored);
    const back = boxToStoredOrientation(upright, orientation, STORED);
    back.forEach((v, i) => expect(Math.abs(v - MARK[i])).toBeLessThanOrEqual(1));
  });
});
