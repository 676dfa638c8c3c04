import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { systemToolAvailable } from './system-tools';

/** pdftotext, pdftoppm, pdffonts and pdfinfo come together in Debian's poppler-utils. */
export function popplerAvailable(): boolean {
  return ['pdftotext', 'pdftoppm', 'pdffonts', 'pdfinfo'].every((tool) => systemToolAvailable(tool, 'poppler-utils'));
}

function withPdfFile<T>(pdf: Buffer, use: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-pdf-'));
  try {
    const file = path.join(dir, 'in.pdf');
    fs.writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text poppler reads back, one string per page. */
export function pdfPages(pdf: Buffer): string[] {
  const text = withPdfFile(pdf, (file) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
  return text.split('\f').slice(0, -1);
}

/** `pdfinfo -isodates` as a map: Title, CreationDate, Pages, Page size, … */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = withPdfFile(pdf, (file) => execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' }));
  return Object.fromEntries(out.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

/** `pdffonts` rows: name, type, embedded, subset. */
export function pdfFonts(pdf: Buffer): { name: string; type: string; embedded: boolean; subset: boolean }[] {
  const out = withPdfFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((line) => {
      // name, type (may hold spaces), encoding, emb, sub, uni, object ID, generation
      const m = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(line.trim());
      if (!m) throw new Error(`unexpected pdffonts line: ${line}`);
      return { name: m[1], type: m[2], embedded: m[4] === 'yes', subset: m[5] === 'yes' };
    });
}

/** Rasterises one page as a printer would (`pdftoppm -png -r 150`) and reads the QR code on it. */
export async function decodeQrOnPage(pdf: Buffer, page = 1): Promise<string | null> {
  const png = withPdfFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-png', '-r', '150', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
    return fs.readFileSync(path.join(dir, 'page.png'));
  });
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  // Black on white paper: no need to try the inverted image too (that doubles the time).
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** A TrueType/OpenType file's PostScript name (name table, id 6), to match against a PDF's fonts. */
export function postscriptNameOf(font: Buffer): string {
  const tables = font.readUInt16BE(4);
  for (let t = 0; t < tables; t++) {
    const record = 12 + t * 16;
    if (font.toString('latin1', record, record + 4) !== 'name') continue;
    const base = font.readUInt32BE(record + 8);
    const count = font.readUInt16BE(base + 2);
    const strings = base + font.readUInt16BE(base + 4);
    for (let n = 0; n < count; n++) {
      const r = base + 6 + n * 12;
      const [platform, nameId, length, offset] = [font.readUInt16BE(r), font.readUInt16BE(r + 6), font.readUInt16BE(r + 8), font.readUInt16BE(r + 10)];
      if (nameId !== 6) continue;
      const bytes = font.subarray(strings + offset, strings + offset + length);
      // Windows names are UTF-16BE; Mac Roman is ASCII for PostScript names.
      return platform === 3 ? Buffer.from(bytes).swap16().toString('utf16le') : bytes.toString('latin1');
    }
  }
  throw new Error('no PostScript name in the font');
}
