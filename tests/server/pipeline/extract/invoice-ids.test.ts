import { countInvoiceIds, extractInvoiceIds } from '../../../../server/pipeline/extract/invoice-ids';
import { line } from '../../../helpers/ocr-lines';

describe('extractInvoiceIds', () => {
  test('labels with their values to the right (VAT invoice corner)', () => {
    const ids = extractInvoiceIds(
      [line('No95941563', 960, 200), line('发票代码：', 950, 254), line('034002032304', 1160, 254), line('发票号码：', 950, 300), line('95941563', 1160, 300)],
      true,
    );
    expect(ids.invoiceCode.value).toBe('034002032304');
    expect(ids.invoiceNumber.value).toBe('95941563');
    expect(ids.invoiceCode.confidence).toBeGreaterThan(0.9);
  });

  test('label and value in one line; look-alike letters read as digits at lower confidence', () => {
    const ids = extractInvoiceIds([line('发票代码134001210007', 200, 300), line('发票号码 933745O6', 200, 360)], true);
    expect(ids.invoiceCode.value).toBe('134001210007');
    expect(ids.invoiceNumber.value).toBe('93374506');
    expect(ids.invoiceNumber.confidence).toBeLessThan(ids.invoiceCode.confidence);
  });

  test('a label printed on two lines ("发票" above "代码")', () => {
    const ids = extractInvoiceIds([line('发票', 400, 100), line('代码', 400, 140), line('221021325353', 500, 130), line('号码', 400, 190), line('10283819', 500, 190)], true);
    expect(ids.invoiceCode.value).toBe('221021325353');
    expect(ids.invoiceNumber.value).toBe('10283819');
  });

  test('a 20-digit number of a fully digital invoice', () => {
    const ids = extractInvoiceIds([line('发票号码：24112000000012345678', 900, 100)], true);
    expect(ids.invoiceNumber.value).toBe('24112000000012345678');
  });

  test('the code without its label (old VAT invoice printing it twice)', () => {
    const ids = extractInvoiceIds([line('5100191160', 600, 560), line('No 00472703', 2700, 540), line('5100191160', 3400, 560)], true);
    expect(ids.invoiceCode).toEqual({ value: '5100191160', confidence: 0.7 });
    expect(ids.invoiceNumber.value).toBe('00472703');
  });

  test('a number glued to the code is read where it is printed again, just below', () => {
    const ids = extractInvoiceIds([line('No 004727035100191160', 2700, 530), line('00472703', 2900, 590)], true);
    expect(ids.invoiceNumber.value).toBe('00472703');
  });

  test('labels unreadable: the number just below the code, unsure', () => {
    const ids = extractInvoiceIds([line('专用发票', 400, 260), line('wwe 134001210007', 253, 338), line('yume 93374566', 256, 389)], true);
    expect(ids.invoiceCode).toEqual({ value: '134001210007', confidence: 0.5 });
    expect(ids.invoiceNumber).toEqual({ value: '93374566', confidence: 0.5 });
  });

  test('a machine number is not the code', () => {
    const ids = extractInvoiceIds([line('机器编号：', 200, 340), line('661018448220', 410, 340)], true);
    expect(ids.invoiceCode.value).toBeNull();
  });

  test('receipts have no invoice number, whatever their serial number', () => {
    const ids = extractInvoiceIds([line('收据', 600, 100), line('NO.99171035', 1100, 100)], false);
    expect(ids.invoiceNumber.value).toBeNull();
    expect(ids.invoiceCode.value).toBeNull();
  });
});

describe('countInvoiceIds', () => {
  test('counts the different numbers on a sheet of tickets', () => {
    const lines = [line('代码：135022322881', 200, 70), line('号码：03136445', 200, 110), line('代码：135022022881', 500, 170), line('号码：13159645', 500, 210), line('号码：04871704', 800, 310)];
    expect(countInvoiceIds(lines)).toBe(3);
  });
});
