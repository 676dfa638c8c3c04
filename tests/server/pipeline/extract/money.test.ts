import { findMoney, moneyToFen } from '../../../../server/pipeline/extract/money';

describe('moneyToFen', () => {
  test.each([
    ['1,900.00', 190000],
    ['1.900.00', 190000],
    ['840·00', 84000],
    ['38 .00', 3800],
    ['840,00', 84000],
    ['12', 1200],
    ['0.5', 50],
  ])('%s → %i', (text, fen) => expect(moneyToFen(text)).toBe(fen));

  test('rejects what is not an amount', () => {
    expect(moneyToFen('12.3.4')).toBeNull();
    expect(moneyToFen('1234567890123')).toBeNull();
  });
});

describe('findMoney', () => {
  test('reads ¥ and its OCR misreadings, and 元 after the number', () => {
    const tokens = findMoney('V2727.19 ¥2,809.00 Y81.81 10.00元');
    expect(tokens.map((t) => [t.fen, t.yuanSign, t.yuanSuffix])).toEqual([
      [272719, true, false],
      [280900, true, false],
      [8181, true, false],
      [1000, false, true],
    ]);
  });

  test('skips numbers glued to letters (codes, tax numbers)', () => {
    expect(findMoney('91341100MA1FG7LGTM')).toEqual([]);
  });

  test('a letter before a bare integer is not a yuan sign', () => {
    expect(findMoney('V12')[0].yuanSign).toBe(false);
  });
});
