import { fenToCapitalYuan } from '../../../../shared/money';
import { findCapitalAmounts, parseCapitalAmount } from '../../../../server/pipeline/extract/capital-amount';

describe('parseCapitalAmount', () => {
  test.each([
    ['捌佰肆拾圆整', 84000],
    ['⊗贰仟捌佰零玖圆整', 280900],
    ['壹仟零柒拾陆元玖角整', 107690],
    ['叁拾伍元整', 3500],
    ['拾伍元', 1500],
    ['贰拾圆', 2000],
    ['壹万零伍元陆角柒分', 1000567],
    ['壹亿贰仟万元整', 12000000000],
    ['伍角', 50],
    ['壹元零伍分', 105],
    ['壹仟 陆佰玖拾 圆整', 169000],
    ['叁佰元正', 30000],
  ])('%s → %i fen', (text, fen) => {
    expect(parseCapitalAmount(text)).toBe(fen);
  });

  test.each(['', '整', '贰拾', '壹贰元', '佰仟元', '伍角伍角', '第二联'])('"%s" is not an amount', (text) => {
    expect(parseCapitalAmount(text)).toBeNull();
  });

  test('reads back every amount the money helpers write', () => {
    const samples = [1, 10, 99, 100, 101, 1000, 10005, 100000, 1000000, 10203040, 99999999, 123456789, 1000000001];
    for (let i = 0; i < 200; i++) samples.push(Math.floor(Math.abs(Math.sin(i + 1)) * 10 ** (2 + (i % 9))));
    for (const fen of samples) expect(parseCapitalAmount(fenToCapitalYuan(fen))).toBe(fen);
  });
});

describe('findCapitalAmounts', () => {
  test('finds the amount inside a labelled line, with its position', () => {
    const text = '人民币(大写) 捌佰肆拾圆整 ¥840.00';
    expect(findCapitalAmounts(text)).toEqual([{ fen: 84000, start: 8, end: 14 }]);
  });

  test('ignores ordinary text made of plain numerals', () => {
    expect(findCapitalAmounts('第二联 收据 二型客车 一路平安')).toEqual([]);
  });
});
