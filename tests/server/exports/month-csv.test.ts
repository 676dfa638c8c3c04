import { CSV_HEADER, csvField, guardFormula, monthCsvFilename, renderMonthCsv } from '../../../server/exports/month-csv';
import { parseYuanToFen } from '../../../shared/money';
import { parseCsv } from '../../helpers/csv';
import { publishedMonthOf } from '../../helpers/published-month';

const AMOUNT = CSV_HEADER.indexOf('金额（元）');

function read(csv: Buffer) {
  const text = csv.subarray(3).toString('utf8');
  const rows = parseCsv(text);
  return { text, header: rows[0], vouchers: rows.slice(1, -2), total: rows[rows.length - 2], digest: rows[rows.length - 1] };
}

/** A published month as open data: what a villager's spreadsheet shows and any CSV reader parses. */
describe('the month CSV', () => {
  const month = publishedMonthOf([
    { amountFen: 12_345, date: '2026-10-02', payee: '新华书店', description: '会议记录本', category: '办公用品', invoiceCode: '044001900111', invoiceNumber: '00123456' },
    { amountFen: 10, payee: '县供电公司', category: '水电' },
    { amountFen: 20, payee: '小卖部', category: null },
    { amountFen: 50_000, payee: '重复的票', status: 'withdrawn', withdrawnReason: '和第 1 张重复' },
    { amountFen: 100_000_00, payee: '村道修补工程队', description: '修补村道 1.2 公里', category: '工程' },
  ]);

  test('starts with a UTF-8 BOM so Excel opens it in Chinese, and ends every record with CRLF', () => {
    const csv = renderMonthCsv(month);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  test('has the Chinese header, then one row per receipt in the published order, each as wide as the header', () => {
    const { header, vouchers, total, digest } = read(renderMonthCsv(month));
    expect(header).toEqual(['编号', '日期', '收款方', '说明', '类别', '金额（元）', '发票代码', '发票号码', '状态', '撤回原因']);
    expect(vouchers.map((r) => r[0])).toEqual(month.vouchers.map((v) => String(v.id)));
    for (const row of [...vouchers, total, digest]) expect(row).toHaveLength(header.length);
    expect(vouchers[0]).toEqual(['1', '2026-10-02', '新华书店', '会议记录本', '办公用品', '123.45', '044001900111', '00123456', '有效', '']);
  });

  test('writes amounts in yuan with two decimals, and the valid ones add up to the 合计 row and the month total', () => {
    const { vouchers, total } = read(renderMonthCsv(month));
    expect(vouchers.map((r) => r[AMOUNT])).toEqual(['123.45', '0.10', '0.20', '500.00', '100000.00']);
    const validSum = vouchers.filter((r) => r[8] === '有效').reduce((sum, r) => sum + parseYuanToFen(r[AMOUNT])!, 0);
    expect(total[0]).toBe('合计');
    expect(total[3]).toBe('有效票据 4 张，不含已撤回');
    expect(parseYuanToFen(total[AMOUNT])).toBe(validSum);
    expect(validSum).toBe(month.totalFen);
    // 0.10 + 0.20 in floating point would print 0.30000000000000004.
    expect(total[AMOUNT]).toBe('100123.75');
  });

  test('shows a withdrawn receipt as 已撤回 with its reason, not counted in the total', () => {
    const { vouchers } = read(renderMonthCsv(month));
    expect(vouchers[3].slice(8)).toEqual(['已撤回', '和第 1 张重复']);
    expect(vouchers.filter((r) => r[8] === '有效').every((r) => r[9] === '')).toBe(true);
  });

  test("ends with the month's digest, to compare with the chain", () => {
    const { digest } = read(renderMonthCsv(month));
    expect(digest.slice(0, 2)).toEqual(['数据摘要（sha256）', month.digest]);
  });

  test('quotes commas, quotes and line breaks as RFC 4180 says, and they read back unchanged', () => {
    const tricky = publishedMonthOf([{ payee: '老王, 小卖部', description: '他说 "买了两箱水"\n第二行\r\n第三行' }]);
    const csv = renderMonthCsv(tricky);
    expect(csv.toString('utf8')).toContain('"老王, 小卖部","他说 ""买了两箱水""\n第二行\r\n第三行"');
    const { vouchers } = read(csv);
    expect(vouchers[0].slice(2, 4)).toEqual(['老王, 小卖部', '他说 "买了两箱水"\n第二行\r\n第三行']);
    expect(csvField('plain')).toBe('plain');
  });

  test('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    const hostile = publishedMonthOf([
      { payee: '=HYPERLINK("http://evil.example","点我")', description: '+1+1', invoiceNumber: '-2+3', invoiceCode: '@SUM(A1)' },
      { payee: '\t=1', description: '中=1', amountFen: -500 },
    ]);
    const { vouchers } = read(renderMonthCsv(hostile));
    expect(vouchers[0][2]).toBe('\'=HYPERLINK("http://evil.example","点我")');
    expect(vouchers[0][3]).toBe("'+1+1");
    expect(vouchers[0][6]).toBe("'@SUM(A1)");
    expect(vouchers[0][7]).toBe("'-2+3");
    expect(vouchers[1][2]).toBe("'\t=1");
    // Only a leading sign is dangerous; amounts are numbers and keep their minus.
    expect(vouchers[1][3]).toBe('中=1');
    expect(vouchers[1][AMOUNT]).toBe('-5.00');
    expect(guardFormula('')).toBe('');
  });

  test('leaves cells empty for facts nobody filled in', () => {
    const { vouchers } = read(renderMonthCsv(publishedMonthOf([{ amountFen: null, date: null, payee: null, category: null }])));
    expect(vouchers[0]).toEqual(['1', '', '', '', '', '', '', '', '有效', '']);
  });

  test('is named after the village and month, with characters file systems refuse replaced', () => {
    expect(monthCsvFilename(month)).toBe('甲一村-2026-10.csv');
    expect(monthCsvFilename({ ...month, village: { ...month.village, name: '东/西:村' } })).toBe('东_西_村-2026-10.csv');
  });
});
