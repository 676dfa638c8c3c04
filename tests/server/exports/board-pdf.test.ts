import fs from 'node:fs';
import path from 'node:path';
import { renderBoardPdf, type BoardInput } from '../../../server/exports/board-pdf';
import { boardFont, BOARD_FONT_FILES } from '../../../server/exports/fonts';
import { fenToCapitalYuan } from '../../../shared/money';
import type { PublishedMonth } from '../../../shared/schemas/public';
import { ROOT } from '../../helpers/processes';
import { decodeQrOnPage, pdfFonts, pdfInfo, pdfPages, popplerAvailable, postscriptNameOf } from '../../helpers/pdf-tools';
import { publishedMonthOf, realThumbnails } from '../../helpers/published-month';

const URL = 'https://yiyanming.example.cn/m/7/2026-10';
const LONG_PAYEE = '某某县城关镇幸福路五金建材批发部（个体工商户）第二分店门市部经营';

/** Renders with thumbnails made from real voucher photos, cycled; `missing` ids have none. */
async function render(month: PublishedMonth, options: { format?: 'webp' | 'jpeg'; missing?: number[] } = {}): Promise<Buffer> {
  const thumbs = await realThumbnails(8, options.format);
  const loadThumbnail: BoardInput['loadThumbnail'] = async (v) => (options.missing?.includes(v.id) ? null : thumbs[(v.id - 1) % thumbs.length]);
  return renderBoardPdf({ month, url: URL, loadThumbnail });
}

const small = publishedMonthOf([
  { amountFen: 12_345, payee: '新华书店', description: '会议记录本' },
  { amountFen: 45_600, payee: LONG_PAYEE, description: '水泥和沙子' },
  { amountFen: 9_999, payee: '重复的票', status: 'withdrawn', withdrawnReason: '和第 1 张重复' },
  { amountFen: 100_00, payee: '县供电公司', category: '水电' },
]);

const many = publishedMonthOf(Array.from({ length: 60 }, (_, i) => ({ amountFen: 1_000 + i, payee: `第${i + 1}号商店` })));

const describeWithPoppler = popplerAvailable() ? describe : describe.skip;

/** The A4 sheet a village pins on its bulletin board (公开栏). */
describe('the bulletin-board sheet', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await render(small);
  });

  test('is a PDF of a few dozen KB: the CJK font goes in as a subset, not its 10 MB', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(400 * 1024);
    expect(boardFont('regular').length).toBeGreaterThan(5 * 1024 * 1024);
  });

  test('is the same bytes every time for the same month', async () => {
    expect((await render(small)).equals(pdf)).toBe(true);
  });

  test('embeds JPEG and WebP thumbnails alike (pdfkit takes only JPEG and PNG, so they are converted)', async () => {
    const fromJpeg = await render(small, { format: 'jpeg' });
    for (const bytes of [pdf, fromJpeg]) {
      expect(bytes.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(small.vouchers.length);
      expect(bytes.toString('latin1')).toContain('/Filter /DCTDecode');
    }
  });

  test('takes its font from the npm package, never from the system', () => {
    for (const file of Object.values(BOARD_FONT_FILES))
      expect(path.relative(ROOT, file)).toMatch(/^node_modules[/\\]@expo-google-fonts[/\\]noto-sans-sc[/\\]/);
  });

  describeWithPoppler('read back with poppler', () => {
    test('is A4, titled and dated when the month was published', () => {
      expect(pdfInfo(pdf)).toMatchObject({
        Title: '甲一村 2026年10月 小发票公开',
        CreationDate: '2026-11-03T02:30:00Z',
        'Page size': '595.28 x 841.89 pts (A4)',
      });
    });

    test('embeds only subsets of the npm Noto Sans SC fonts', () => {
      const fonts = pdfFonts(pdf);
      const npmFonts = ['400Regular/NotoSansSC_400Regular.ttf', '700Bold/NotoSansSC_700Bold.ttf'].map((file) =>
        fs.readFileSync(require.resolve(`@expo-google-fonts/noto-sans-sc/${file}`)),
      );
      const expected = npmFonts.map(postscriptNameOf);
      expect(expected).toEqual(['NotoSansSC-Regular', 'NotoSansSC-Bold']);
      expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([...expected].sort());
      for (const font of fonts) expect(font).toMatchObject({ type: 'CID TrueType', embedded: true, subset: true });
    });

    test('says which village and month, the total in figures and in 大写, and the digest', () => {
      const text = pdfPages(pdf).join('\n');
      expect(text).toContain('甲一村 2026年10月 小发票公开');
      expect(text).toContain('甲镇');
      expect(small.totalFen).toBe(67_945);
      expect(text).toContain('679.45');
      expect(text).toContain(`人民币（大写）：${fenToCapitalYuan(67_945)}`);
      expect(fenToCapitalYuan(67_945)).toBe('陆佰柒拾玖元肆角伍分');
      expect(text).toContain(`核对码：${small.digest.slice(0, 4)} ${small.digest.slice(4, 8)} ${small.digest.slice(8, 12)} ${small.digest.slice(12, 16)}`);
      expect(text).toContain(small.digest);
    });

    test('lists every receipt with its date, payee, description and amount; a long payee is cut with …', () => {
      const text = pdfPages(pdf).join('\n');
      for (const expected of ['新华书店', '会议记录本', '123.45', '456.00', '100.00', '水电', small.vouchers[0].date!]) expect(text).toContain(expected);
      expect(text).toContain('某某县城关镇幸福路五金建材批');
      expect(text).toContain('…');
      expect(text).not.toContain('门市部经营');
    });

    test('shows a withdrawn receipt with its reason, outside the total', () => {
      const text = pdfPages(pdf).join('\n');
      expect(text).toContain('已撤回：和第 1 张重复');
      expect(text).toContain('合计（有效票据 3 张）');
      expect(text).toContain('第 3 张 · 已撤回');
    });

    test('a month whose receipts were all withdrawn still prints, with a total of 零元整', async () => {
      const emptied = publishedMonthOf([{ status: 'withdrawn', withdrawnReason: '开错了' }]);
      const text = pdfPages(await render(emptied)).join('\n');
      expect(text).toContain('合计（有效票据 0 张）');
      expect(text).toContain('人民币（大写）：零元整');
      expect(text).toContain('已撤回：开错了');
    });

    test('carries a QR code that a phone reads as exactly the link to this month', async () => {
      expect(await decodeQrOnPage(pdf, 1)).toBe(URL);
    });

    test('still prints when a thumbnail is lost, with a blank saying so', async () => {
      const text = pdfPages(await render(small, { missing: [2] })).join('\n');
      expect(text).toContain('照片暂缺');
      expect(text).toContain('第 2 张 · 456.00 元');
    });

    test('flows a long month over several pages, each titled and numbered', async () => {
      const pages = pdfPages(await render(many));
      expect(pages.length).toBeGreaterThanOrEqual(5);
      expect(pages[0]).toContain('甲一村 2026年10月 小发票公开');
      pages.forEach((page, i) => {
        expect(page).toContain(`第 ${i + 1} 页，共 ${pages.length} 页`);
        expect(page).toContain(`核对码 ${many.digest.slice(0, 4)}`);
        if (i > 0) expect(page).toContain('甲一村 2026年10月 小发票公开（续）');
      });
      const text = pages.join('\n');
      for (let i = 1; i <= 60; i++) {
        expect(text).toContain(`第${i}号商店`);
        expect(text).toContain(`第 ${i} 张 · ${(10 + (i - 1) / 100).toFixed(2)} 元`);
      }
      // The table header repeats on each page the table reaches.
      expect(pages.filter((p) => p.includes('收款方')).length).toBeGreaterThan(1);
    });
  });

  test('a month of 200 receipts stays a printable size', async () => {
    const big = publishedMonthOf(Array.from({ length: 200 }, (_, i) => ({ payee: `收款方${i + 1}`, description: '办公用品和茶水' })));
    const bytes = await render(big);
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
  });
});
