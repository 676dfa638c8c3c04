import { fenToCapitalYuan, fenToYuanString, parseYuanToFen } from '../../shared/money';

describe('money is an integer count of fen', () => {
  test('fen are shown as yuan with two decimals', () => {
    expect(fenToYuanString(0)).toBe('0.00');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(123456)).toBe('1234.56');
    expect(fenToYuanString(-1050)).toBe('-10.50');
  });

  test('fractions of a fen are refused, not rounded', () => {
    expect(() => fenToYuanString(1.5)).toThrow(TypeError);
    expect(() => fenToCapitalYuan(Number.NaN)).toThrow(TypeError);
  });

  test('amounts typed or read as yuan become fen without floating-point drift', () => {
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('¥1,234.5')).toBe(123450);
    expect(parseYuanToFen('１２')).toBeNull();
    expect(parseYuanToFen('12元')).toBe(1200);
    expect(parseYuanToFen('12.345')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
  });

  test.each([
    [0, '零元整'],
    [100, '壹元整'],
    [1050, '壹拾元伍角'],
    [1005, '壹拾元零伍分'],
    [123456, '壹仟贰佰叁拾肆元伍角陆分'],
    [10000000, '壹拾万元整'],
    [100100, '壹仟零壹元整'],
    [1000100, '壹万零壹元整'],
    [10010000, '壹拾万零壹佰元整'],
    [300000000000, '叁拾亿元整'],
    [120003, '壹仟贰佰元零叁分'],
  ])('%i fen in capital numerals is %s', (fen, expected) => {
    expect(fenToCapitalYuan(fen)).toBe(expected);
  });
});
