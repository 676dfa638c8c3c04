/** Pure layout rules of the bulletin-board sheet: text fitting, titles, grouping. No pdfkit here. */

/** A4 in PDF points (1/72 inch). */
export const A4 = { width: 595.28, height: 841.89 } as const;

/** "2026-10" → "2026年10月". */
export function monthInChinese(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

/** "甲一村 2026年10月 小发票公开": the sheet's title, and what a villager looks for on the board. */
export function boardTitle(villageName: string, month: string): string {
  return `${villageName} ${monthInChinese(month)} 小发票公开`;
}

/** An instant as a day of China's calendar: "2026年11月3日". */
export function dayInChinese(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return `${shifted.getUTCFullYear()}年${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日`;
}

/** The digest's first `length` hex digits in groups of four, easy to read aloud and compare: "3f2a 9c01 7b4e 55d2". */
export function shortDigest(digest: string, length = 16): string {
  return (digest.slice(0, length).match(/.{1,4}/g) ?? []).join(' ');
}

const ELLIPSIS = '…';
/** Characters that belong to one word: a break inside them waits for a space when it can. */
const WORD_CHAR = /[A-Za-z0-9.,'’&-]/;

/**
 * Breaks text into at most `maxLines` lines no wider than `width` (by `measure`), breaking
 * anywhere in Chinese and at spaces inside Latin words and numbers; text that does not fit
 * ends with "…". Line breaks and runs of spaces in the text read as one space.
 */
export function fitLines(text: string, width: number, maxLines: number, measure: (s: string) => number): string[] {
  // A payee is at most a few dozen characters; the cap keeps a pasted essay from costing seconds.
  const chars = Array.from(text.replace(/\s+/g, ' ').trim()).slice(0, 500);
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length && lines.length < maxLines) {
    while (chars[start] === ' ') start++;
    let end = start;
    while (end < chars.length && measure(chars.slice(start, end + 1).join('')) <= width) end++;
    if (end === start) end = start + 1; // one glyph wider than the column still has to go somewhere
    if (end < chars.length && WORD_CHAR.test(chars[end]) && WORD_CHAR.test(chars[end - 1])) {
      const space = chars.lastIndexOf(' ', end - 1);
      if (space > start) end = space;
    }
    lines.push(chars.slice(start, end).join('').trimEnd());
    start = end;
  }
  while (chars[start] === ' ') start++;
  if (start < chars.length && lines.length) {
    let last = Array.from(lines[lines.length - 1]);
    while (last.length && measure(last.join('') + ELLIPSIS) > width) last = last.slice(0, -1);
    lines[lines.length - 1] = last.join('').trimEnd() + ELLIPSIS;
  }
  return lines;
}

/** The largest size of a `w`×`h` image that fits in a `boxW`×`boxH` box, keeping its shape. */
export function fitInside(w: number, h: number, boxW: number, boxH: number): { width: number; height: number } {
  const scale = Math.min(boxW / w, boxH / h);
  return { width: w * scale, height: h * scale };
}
