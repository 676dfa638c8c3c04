import type { Box } from '../../ocr/ocr-engine';

/**
 * Full-width ASCII (：（１２）￥) → half-width, ideographic space → space. One character in,
 * one character out, so positions found in the result are positions in the OCR text too.
 */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else if (ch === '￥') out += '¥';
    else out += ch;
  }
  return out;
}

/** Half-width and without any whitespace: for matching labels that OCR spaces out ("名 称", "日 期"). */
export function compact(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, '');
}

/** Letters OCR returns for digits in printed and handwritten numbers. */
const DIGIT_LOOKALIKES: Record<string, string> = {
  O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', i: '1', '|': '1', L: '1', Z: '2', z: '2',
  S: '5', s: '5', B: '8', b: '6', G: '6', g: '9', q: '9', T: '7',
};

const LOOKALIKE_CLASS = Object.keys(DIGIT_LOOKALIKES).join('').replace('|', '\\|');

/** Maps look-alike letters to digits, one for one (same length). */
export function lookalikesToDigits(text: string): string {
  let out = '';
  for (const ch of text) out += DIGIT_LOOKALIKES[ch] ?? ch;
  return out;
}

export interface DigitRun {
  /** The run with look-alike letters turned into digits (and a final X for ID check characters). */
  digits: string;
  /** Character range in the searched text. */
  start: number;
  end: number;
  /** Some characters were letters read for digits. */
  fixed: boolean;
}

/**
 * Runs of digits (and letters OCR reads for digits) that are mostly real digits. Runs separated
 * by a single space or hyphen are joined when `joinGaps` is set ("138 1234 5678").
 */
export function digitRuns(text: string, joinGaps = false): DigitRun[] {
  const runs: DigitRun[] = [];
  // Not glued to other letters or digits: "MA1FG7" is part of a code, not a number.
  // An ID number may end in X (its check character).
  const re = new RegExp(`(?<![A-Za-z0-9])[0-9${LOOKALIKE_CLASS}]+(?:[Xx×](?![A-Za-z0-9]))?(?![A-Za-z0-9])`, 'g');
  for (const m of text.matchAll(re)) {
    const realDigits = m[0].replace(/\D/g, '').length;
    if (realDigits === 0 || realDigits < m[0].length * 0.7) continue;
    const digits = lookalikesToDigits(m[0]).replace(/[x×]$/, 'X');
    const run = { digits, start: m.index!, end: m.index! + m[0].length, fixed: digits !== m[0].replace(/[x×]$/, 'X') };
    const prev = runs[runs.length - 1];
    if (joinGaps && prev && run.start - prev.end === 1 && /[ \-]/.test(text[prev.end]))
      runs[runs.length - 1] = { digits: prev.digits + digits, start: prev.start, end: run.end, fixed: prev.fixed || run.fixed };
    else runs.push(run);
  }
  return runs;
}

export const HAN = /\p{Script=Han}/u;

/**
 * Some engines (Tesseract) put a space between every Chinese character ("收 款 人 武 怀 林").
 * When most Chinese runs of the text are single characters, the spaces between them go;
 * `index[i]` is where character i of the result stands in the input.
 */
export function joinSpacedHan(input: string): { text: string; index: number[] } {
  const runs = input.match(/\p{Script=Han}+/gu) ?? [];
  const spaced = runs.length >= 3 && runs.filter((r) => r.length === 1).length >= runs.length * 0.7;
  const chars = [...input];
  let text = '';
  const index: number[] = [];
  chars.forEach((ch, i) => {
    if (spaced && /\s/.test(ch) && HAN.test(chars[i - 1] ?? '') && HAN.test(chars[i + 1] ?? '')) return;
    text += ch;
    index.push(i);
  });
  return { text, index };
}

/** Chinese characters (and other full-width glyphs) are about twice as wide as digits and Latin letters. */
function charUnits(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (HAN.test(ch) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xff00 && code <= 0xffef)) return 2;
  return 1;
}

/**
 * The part of a line's box that holds characters [start, end) of its text, estimated from
 * character widths, padded so a redaction covers the ink fully.
 */
export function subBox(text: string, box: Box, start: number, end: number, pad = 0.35): Box {
  const chars = [...text];
  const units = chars.map(charUnits);
  const total = units.reduce((a, b) => a + b, 0) || 1;
  const unitWidth = box[2] / total;
  const before = units.slice(0, start).reduce((a, b) => a + b, 0);
  const inside = units.slice(start, end).reduce((a, b) => a + b, 0);
  const padX = pad * 2 * unitWidth;
  const padY = box[3] * 0.1;
  const x = box[0] + before * unitWidth - padX;
  const w = inside * unitWidth + 2 * padX;
  return [Math.round(x), Math.round(box[1] - padY), Math.round(w), Math.round(box[3] + 2 * padY)];
}

/** Clamps a box to the image so a padded box never points outside it. */
export function clampBox([x, y, w, h]: Box, width: number, height: number): Box {
  const x0 = Math.max(0, Math.min(width, x));
  const y0 = Math.max(0, Math.min(height, y));
  const x1 = Math.max(x0, Math.min(width, x + w));
  const y1 = Math.max(y0, Math.min(height, y + h));
  return [x0, y0, x1 - x0, y1 - y0];
}

export function unionBox(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}
