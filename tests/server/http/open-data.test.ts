import { fenToCapitalYuan, fenToYuanString, parseYuanToFen } from '../../../shared/money';
import type { VoucherRecord } from '../../../server/domain/voucher';
import { parseCsv } from '../../helpers/csv';
import { databaseKinds } from '../../helpers/databases';
import { decodeQrOnPage, pdfPages, popplerAvailable } from '../../helpers/pdf-tools';
import { amendVoucher, publishMonth, submitMonth } from '../../helpers/publish';
import { seedReadyVoucher, useStaffServer } from '../../helpers/review';

const describeWithPoppler = popplerAvailable() ? describe : describe.skip;

/** The UTF-8 file name a browser saves, from `filename*=UTF-8''…` (RFC 5987). */
function savedName(disposition: string | null): string {
  const encoded = /filename\*=UTF-8''([^;\s]+)/.exec(disposition ?? '')?.[1];
  if (!encoded) throw new Error(`no filename* in ${disposition}`);
  return decodeURIComponent(encoded);
}

/** Open data: a published month as a CSV file, as the printable bulletin-board sheet, and the sheet's short link. */
describe.each(databaseKinds())('open data on %s', (kind) => {
  let october: VoucherRecord[];
  let september: VoucherRecord[];
  let august: VoucherRecord[];

  const t = useStaffServer(kind, async () => {
    const a1 = t.staff.villageA1;
    october = await publishMonth(t, a1, '2026-10', [
      { amountFen: 12_345, payee: '老王, "东头" 小卖部', date: '2026-10-02', category: '办公用品' },
      { amountFen: 50_000, payee: '=1+1 村道修补工程队', date: '2026-10-09', category: '工程' },
      { amountFen: 300, payee: '重复的小票', date: '2026-10-10', category: null },
    ]);
    await amendVoucher(t, october[2], { withdraw: true }, '和第一张重复');
    september = await publishMonth(t, a1, '2026-09', [{ amountFen: 1_000, payee: '县供电公司', category: '水电' }]);
    august = await publishMonth(t, a1, '2026-08', [{ amountFen: 800, payee: '照片丢了的商店' }, { amountFen: 900, payee: '照片还在的商店' }]);
    // Submitted, waiting for the town: not public yet.
    await seedReadyVoucher(t.env, a1, '2026-11', { payee: '还没审核的商店' });
    await submitMonth(t, a1, '2026-11');
  }, 60_000);

  const url = (villageId: number, month: string, file: string) => `${t.server.baseUrl}/api/villages/${villageId}/months/${month}/${file}`;
  const download = async (path: string) => {
    const res = await fetch(path);
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const publishedJson = async (month: string) => (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/${month}`)).body;

  describe('the CSV export', () => {
    test('is a CSV attachment named after the village and month, downloadable without logging in', async () => {
      const { res, bytes } = await download(url(t.staff.villageA1, '2026-10', 'export.csv'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const disposition = res.headers.get('content-disposition');
      expect(disposition).toBe(
        `attachment; filename="village-${t.staff.villageA1}-2026-10.csv"; filename*=UTF-8''%E7%94%B2%E4%B8%80%E6%9D%91-2026-10.csv`,
      );
      expect(savedName(disposition)).toBe('甲一村-2026-10.csv');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    });

    test('has one row per published receipt, the same facts as the public month, its total and digest', async () => {
      const month = await publishedJson('2026-10');
      const rows = parseCsv((await download(url(t.staff.villageA1, '2026-10', 'export.csv'))).bytes.subarray(3).toString('utf8'));
      const [header, ...rest] = rows;
      expect(header).toEqual(['编号', '日期', '收款方', '说明', '类别', '金额（元）', '发票代码', '发票号码', '状态', '撤回原因']);
      const vouchers = rest.slice(0, -2);
      expect(vouchers.map((r) => Number(r[0]))).toEqual(october.map((v) => v.id));
      expect(vouchers.map((r) => r[2])).toEqual(['老王, "东头" 小卖部', "'=1+1 村道修补工程队", '重复的小票']);
      expect(vouchers.map((r) => r[5])).toEqual(month.vouchers.map((v: { amountFen: number }) => fenToYuanString(v.amountFen)));
      expect(vouchers[2].slice(8)).toEqual(['已撤回', '和第一张重复']);

      const [total, digest] = rest.slice(-2);
      const validSum = vouchers.filter((r) => r[8] === '有效').reduce((sum, r) => sum + parseYuanToFen(r[5])!, 0);
      expect(total[0]).toBe('合计');
      expect(parseYuanToFen(total[5])).toBe(month.totalFen);
      expect(validSum).toBe(62_345);
      expect(month.totalFen).toBe(62_345);
      expect(digest.slice(0, 2)).toEqual(['数据摘要（sha256）', month.digest]);
    });
  });

  describe('the bulletin-board sheet', () => {
    test('is a PDF shown in the browser, ready to print', async () => {
      const { res, bytes } = await download(url(t.staff.villageA1, '2026-10', 'board.pdf'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
      expect(savedName(res.headers.get('content-disposition'))).toBe('甲一村-2026-10-公开栏.pdf');
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    describeWithPoppler('read back with poppler', () => {
      test("shows the month's title, total and digest, and its QR code opens this month's short link", async () => {
        const month = await publishedJson('2026-10');
        const { bytes } = await download(url(t.staff.villageA1, '2026-10', 'board.pdf'));
        const text = pdfPages(bytes).join('\n');
        expect(text).toContain('甲一村 2026年10月 小发票公开');
        expect(text).toContain('623.45');
        expect(text).toContain(fenToCapitalYuan(month.totalFen));
        expect(text).toContain(month.digest);
        expect(text).toContain('已撤回：和第一张重复');
        const link = await decodeQrOnPage(bytes);
        expect(link).toBe(`${t.env.config.publicBaseUrl}/m/${t.staff.villageA1}/2026-10`);
      });

      test('shows a correction as soon as it is approved', async () => {
        const before = pdfPages((await download(url(t.staff.villageA1, '2026-09', 'board.pdf'))).bytes).join('\n');
        expect(before).toContain('10.00');
        await amendVoucher(t, september[0], { fields: { amountFen: 2_500 } }, '电费金额看错了');
        const month = await publishedJson('2026-09');
        const after = pdfPages((await download(url(t.staff.villageA1, '2026-09', 'board.pdf'))).bytes).join('\n');
        expect(after).toContain(month.digest);
        expect(after).toContain(fenToCapitalYuan(2_500));
        const csv = (await download(url(t.staff.villageA1, '2026-09', 'export.csv'))).bytes.toString('utf8');
        expect(csv).toContain(`合计,,,有效票据 1 张，不含已撤回,,25.00`);
      });

      test('still prints when a thumbnail has gone missing from storage, with a blank in its place', async () => {
        await t.env.container.storage.delete(august[0].publicThumbKey!);
        const { res, bytes } = await download(url(t.staff.villageA1, '2026-08', 'board.pdf'));
        expect(res.status).toBe(200);
        const text = pdfPages(bytes).join('\n');
        expect(text).toContain('照片暂缺');
        expect(text).toContain('照片还在的商店');
        expect(bytes.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(1);
      });
    });
  });

  describe('the short link printed as the QR code', () => {
    test("redirects to the month's page in the app", async () => {
      const res = await fetch(`${t.server.baseUrl}/m/${t.staff.villageA1}/2026-10`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`/pages/month/index?villageId=${t.staff.villageA1}&month=2026-10`);
    });
  });

  test.each(['export.csv', 'board.pdf'])('%s is 404 for a month that is not published, never was, or a village that does not exist', async (file) => {
    for (const [villageId, month] of [
      [t.staff.villageA1, '2026-11'],
      [t.staff.villageA1, '2026-01'],
      [t.staff.villageA2, '2026-10'],
      [99_999, '2026-10'],
    ] as const) {
      const res = await t.server.request('GET', `/api/villages/${villageId}/months/${month}/${file}`);
      expect([villageId, month, res.status]).toEqual([villageId, month, 404]);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  test.each([
    ['/api/villages/x1/months/2026-10/export.csv'],
    ['/api/villages/0/months/2026-10/export.csv'],
    ['/api/villages/1/months/2026-13/export.csv'],
    ['/api/villages/1/months/2026-1/board.pdf'],
    ['/api/villages/-3/months/2026-10/board.pdf'],
    ['/m/abc/2026-10'],
    ['/m/1/202610'],
  ])('a malformed village id or month in %s is 400', async (path) => {
    const res = await t.server.request('GET', path);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });
});
