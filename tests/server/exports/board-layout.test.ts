import { boardTitle, dayInChinese, fitInside, fitLines, monthInChinese, shortDigest } from '../../../server/exports/board-layout';

/** Every character one unit wide: easy to reason about, like a monospaced sheet. */
const oneEach = (s: string) => Array.from(s).length;

describe('the board sheet layout rules', () => {
  test('the title names the village and the month the way people say it', () => {
    expect(monthInChinese('2026-03')).toBe('2026年3月');
    expect(boardTitle('甲一村', '2026-10')).toBe('甲一村 2026年10月 小发票公开');
  });

  test("the publication day is China's calendar day, even late in the UTC evening", () => {
    expect(dayInChinese('2026-10-31T17:00:00.000Z')).toBe('2026年11月1日');
    expect(dayInChinese('2026-10-31T15:59:59.000Z')).toBe('2026年10月31日');
  });

  test('the short digest is its first 16 hex digits in groups of four', () => {
    expect(shortDigest('3f2a9c017b4e55d2' + 'f'.repeat(48))).toBe('3f2a 9c01 7b4e 55d2');
  });

  test('Chinese text breaks anywhere and what does not fit ends with …', () => {
    expect(fitLines('县城关镇幸福路五金店', 4, 2, oneEach)).toEqual(['县城关镇', '幸福路…']);
    expect(fitLines('县城关镇', 4, 2, oneEach)).toEqual(['县城关镇']);
    expect(fitLines('县城关镇幸福路五', 4, 2, oneEach)).toEqual(['县城关镇', '幸福路五']);
  });

  test('Latin words and numbers break at a space when they can, and line breaks read as spaces', () => {
    expect(fitLines('Office supplies\nfor  the meeting', 16, 3, oneEach)).toEqual(['Office supplies', 'for the meeting']);
    // A word longer than the line still breaks inside.
    expect(fitLines('Supercalifragilistic', 8, 2, oneEach)).toEqual(['Supercal', 'ifragil…']);
  });

  test('empty text takes no lines; one glyph wider than the column still shows', () => {
    expect(fitLines('  ', 10, 2, oneEach)).toEqual([]);
    expect(fitLines('宽', 0.5, 1, oneEach)).toEqual(['宽']);
  });

  test('images keep their shape when fitted into a cell', () => {
    expect(fitInside(320, 240, 120, 150)).toEqual({ width: 120, height: 90 });
    expect(fitInside(240, 320, 120, 150)).toEqual({ width: 112.5, height: 150 });
  });
});
