import { extractDate, toIsoDate } from '../../../../server/pipeline/extract/date';
import { line } from '../../../helpers/ocr-lines';

describe('toIsoDate', () => {
  test('accepts real days only', () => {
    expect(toIsoDate('2022', '3', '9')).toBe('2022-03-09');
    expect(toIsoDate('2024', '2', '29')).toBe('2024-02-29');
    expect(toIsoDate('2023', '2', '29')).toBeNull();
    expect(toIsoDate('2023', '13', '1')).toBeNull();
    expect(toIsoDate('2023', '4', '31')).toBeNull();
    expect(toIsoDate('1899', '1', '1')).toBeNull();
  });
});

describe('extractDate', () => {
  test.each([
    ['开票日期：2022年03月09日'],
    ['日期 2022-03-09'],
    ['时间：2022-03-09 18:50:28'],
    ['2022.3.9'],
    ['日期：20220309'],
    ['日期：2022年0309日'],
    ['时间：2022-03-0918:50:28'],
    ['2022 2年3月9日'],
  ])('%s', (text) => {
    expect(extractDate([line(text, 100, 100)]).reading.value).toBe('2022-03-09');
  });

  test('a date written in separate boxes on one row (handwritten receipts)', () => {
    const lines = [line('2022', 460, 290), line('年', 550, 290), line('10', 600, 290), line('月', 650, 290), line('23', 700, 290), line('日', 760, 290)];
    expect(extractDate(lines).reading.value).toBe('2022-10-23');
  });

  test('a bare 8-digit number is a date only beside a 日期 label', () => {
    expect(extractDate([line('20220309', 100, 100)]).reading.value).toBeNull();
  });

  test('an impossible date is not read', () => {
    expect(extractDate([line('2023年2月30日', 100, 100)])).toEqual({
      reading: { value: null, confidence: 0 },
      checks: ['没有读到日期，请人工填写'],
    });
  });

  test('two different dates: the labelled one, flagged for checking', () => {
    const { reading, checks } = extractDate([line('2021年5月1日', 100, 100), line('开票日期：2022年03月09日', 100, 300)]);
    expect(reading.value).toBe('2022-03-09');
    expect(checks).toEqual(['票据上有几个不同的日期，请核对']);
  });
});
