import { capitalText, yuanNumber, yuanText } from '../../../miniprogram/src/lib/money-format';
import { addMonths, dayLabel, monthLabel, monthsEndingAt, newestFirst, shortTimeLabel } from '../../../miniprogram/src/lib/months';
import { MIN_VISIBLE_PERCENT, monthBars } from '../../../miniprogram/src/lib/month-bars';
import { shortDigest, imageSha256 } from '../../../miniprogram/src/lib/digest-format';
import { idParam, monthPath, monthShortLink, receiptPath, searchPath, villagePath } from '../../../miniprogram/src/lib/links';

describe('money for villagers', () => {
  test('yuan with thousands separators, from integer fen', () => {
    expect(yuanText(0)).toBe('0.00 元');
    expect(yuanText(5)).toBe('0.05 元');
    expect(yuanText(123456)).toBe('1,234.56 元');
    expect(yuanText(123456789)).toBe('1,234,567.89 元');
    expect(yuanNumber(-100000)).toBe('-1,000.00');
    expect(yuanText(null)).toBe('金额未填');
  });

  test('大写 comes from shared/money', () => {
    expect(capitalText(123456)).toBe('壹仟贰佰叁拾肆元伍角陆分');
    expect(capitalText(100)).toBe('壹元整');
    expect(capitalText(null)).toBe('');
  });
});

describe('months', () => {
  test('labels and arithmetic', () => {
    expect(monthLabel('2026-03')).toBe('2026年3月');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(monthsEndingAt('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(() => monthLabel('2026-13')).toThrow(RangeError);
  });

  test('newest first', () => {
    expect(newestFirst([{ month: '2025-12' }, { month: '2026-02' }, { month: '2026-01' }]).map((m) => m.month)).toEqual(['2026-02', '2026-01', '2025-12']);
  });

  test('days in China time', () => {
    expect(dayLabel('2026-10-05')).toBe('2026年10月5日');
    expect(dayLabel('2026-10-31T17:00:00.000Z')).toBe('2026年11月1日');
    expect(dayLabel(null)).toBe('');
    expect(dayLabel('nonsense')).toBe('');
    expect(shortTimeLabel(Date.parse('2026-11-03T02:05:00Z'))).toBe('11月3日 10:05');
  });
});

describe('the twelve-month bar chart', () => {
  test('twelve bars ending at the newest published month, scaled to the largest, gaps marked 未公开', () => {
    const bars = monthBars([
      { month: '2026-10', totalFen: 200000, count: 3 },
      { month: '2026-08', totalFen: 50000, count: 1 },
      { month: '2025-11', totalFen: 100, count: 1 },
      { month: '2025-10', totalFen: 999999, count: 9 }, // 13 months back: outside the window
    ]);
    expect(bars).toHaveLength(12);
    expect(bars[0].month).toBe('2025-11');
    expect(bars[11].month).toBe('2026-10');
    expect(bars[11].percent).toBe(100);
    expect(bars.find((b) => b.month === '2026-08')!.percent).toBe(25);
    expect(bars[0].percent).toBe(MIN_VISIBLE_PERCENT);
    const gap = bars.find((b) => b.month === '2026-09')!;
    expect(gap).toMatchObject({ published: false, percent: 0, valueText: '未公开' });
    expect(bars[11].valueText).toBe('2,000.00 元');
  });

  test('no months, no bars; an all-zero year draws empty bars', () => {
    expect(monthBars([])).toEqual([]);
    const zero = monthBars([{ month: '2026-01', totalFen: 0, count: 0 }]);
    expect(zero[11]).toMatchObject({ published: true, percent: 0, valueText: '0.00 元' });
  });
});

describe('addresses', () => {
  test('the month page route the QR short link redirects to', () => {
    expect(monthPath(7, '2026-10')).toBe('/pages/month/index?villageId=7&month=2026-10');
    expect(monthShortLink('http://127.0.0.1:3000/', 7, '2026-10')).toBe('http://127.0.0.1:3000/m/7/2026-10');
    expect(villagePath(3)).toBe('/pages/village/index?villageId=3');
    expect(receiptPath(12, 7, '2026-10')).toBe('/pages/receipt/index?id=12&villageId=7&month=2026-10');
    expect(receiptPath(12)).toBe('/pages/receipt/index?id=12');
    expect(searchPath(7, 2)).toBe('/pages/search/index?villageId=7&townId=2');
  });

  test('ids from page parameters', () => {
    expect(idParam('12')).toBe(12);
    for (const bad of [undefined, '', '0', '-1', '1.5', 'abc', '99999999999']) expect(idParam(bad)).toBeNull();
  });

  test('核对码 and image content addresses', () => {
    const digest = 'a'.repeat(4) + 'b'.repeat(4) + 'c'.repeat(4) + 'd'.repeat(4) + 'e'.repeat(48);
    expect(shortDigest(digest)).toBe('aaaa bbbb cccc dddd');
    expect(imageSha256(`/api/images/${'f'.repeat(64)}.jpg`)).toBe('f'.repeat(64));
    expect(imageSha256('/api/images/nothing.jpg')).toBeNull();
  });
});
