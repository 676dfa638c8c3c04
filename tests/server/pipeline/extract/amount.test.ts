import { extractAmount } from '../../../../server/pipeline/extract/amount';
import { line } from '../../../helpers/ocr-lines';

/** A receipt: capital amount on the left, the figure in the ¥ box on the right. */
const receipt = (capital: string, figure: string) => [line('人民币（大写）', 180, 590), line(capital, 370, 590), line(figure, 1085, 600)];

describe('extractAmount', () => {
  test('VAT invoice: 小写 total confirmed by 大写 and by 金额 + 税额, with ¥ read as V', () => {
    const { reading, checks } = extractAmount([
      line('2417.48', 940, 515),
      line('V2727.19', 940, 673),
      line('V81.81', 1270, 673),
      line('（小写）', 930, 710),
      line('¥2,809.00', 1000, 705),
      line('价税合计（大写）', 90, 748),
      line('⊗贰仟捌佰零玖圆整', 330, 748),
    ]);
    expect(reading.value).toBe(280900);
    expect(reading.confidence).toBeGreaterThan(0.9);
    expect(checks).toEqual([]);
  });

  test('receipt: the ¥ amount matches the capital amount', () => {
    const { reading } = extractAmount(receipt('捌佰肆拾圆整', '840.00'));
    expect(reading).toEqual({ value: 84000, confidence: expect.any(Number) });
    expect(reading.confidence).toBeGreaterThan(0.9);
  });

  test('expense voucher: the total is the sum of the rows even without a readable 大写', () => {
    const { reading } = extractAmount([
      line('¥877.00', 1200, 470),
      line('¥390.00', 1200, 520),
      line('¥99.00', 1200, 570),
      line('合计人民币（大写）', 300, 650),
      line('¥1366.00', 1200, 650),
    ]);
    expect(reading.value).toBe(136600);
    expect(reading.confidence).toBeGreaterThan(0.85);
  });

  test('taxi ticket: 金额 rather than the unit price', () => {
    const { reading } = extractAmount([line('单价', 300, 900), line('1.60元', 420, 900), line('金额', 300, 1100), line('10.00元', 420, 1100)]);
    expect(reading.value).toBe(1000);
  });

  test('小写 and 大写 disagreeing lowers the confidence and asks for a check', () => {
    const { reading, checks } = extractAmount(receipt('捌佰肆拾圆整', '¥850.00'));
    expect(reading.value).toBe(85000);
    expect(reading.confidence).toBeLessThan(0.6);
    expect(checks).toEqual(['小写金额与大写金额不一致，请核对']);
  });

  test('only a capital amount (定额发票 with the figure unreadable)', () => {
    const { reading, checks } = extractAmount([line('贰拾圆', 500, 600)]);
    expect(reading.value).toBe(2000);
    expect(checks).toHaveLength(1);
  });

  test('nothing money-like: null and a request to fill it in', () => {
    expect(extractAmount([line('收据', 600, 100), line('No.9917103', 1100, 100)])).toEqual({
      reading: { value: null, confidence: 0 },
      checks: ['没有读到金额，请人工填写'],
    });
  });
});
