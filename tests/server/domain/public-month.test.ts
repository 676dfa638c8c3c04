import { canonicalJson } from '../../../shared/canonical-json';
import { publishedMonthFromChain, type MonthEntry } from '../../../server/domain/public-month';

const village = { id: 7, name: '甲一村', townId: 1, townName: '甲镇' };
const url = (sha: string, variant: 'display' | 'thumb') => `/api/images/${sha}.${variant === 'display' ? 'jpg' : 'webp'}`;
const hex = (c: string) => c.repeat(64);
const voucher = (id: number, amountFen: number, extra: object = {}) => ({
  id, amountFen, date: '2025-03-01', payee: `收款方${id}`, description: null, category: null, invoiceCode: null, invoiceNumber: null,
  displaySha256: hex(String(id)), thumbSha256: hex(String(id + 1)), ...extra,
});
const entry = (digest: string, manifest: object): MonthEntry => ({ digest: hex(digest), manifest: canonicalJson(manifest) });
const publication = entry('a', { kind: 'publication', month: '2025-03', approvedAt: '2025-04-01T00:00:00.000Z', totalFen: 300, vouchers: [voucher(1, 100), voucher(3, 200)] });
const amendment = (digest: string, v: object, withdrawn: boolean, totalFen: number, reason: string) =>
  entry(digest, { kind: 'amendment', month: '2025-03', approvedAt: '2025-04-02T00:00:00.000Z', totalFen, voucher: v, withdrawn, changes: {}, amendment: { id: 1, reason } });

/** The public month is the chain folded: publication first, each approved amendment on top. */
describe('a published month from its chain entries', () => {
  test('the publication alone gives its vouchers, total and digest', () => {
    const month = publishedMonthFromChain(village, [publication], url);
    expect(month).toMatchObject({ month: '2025-03', count: 2, totalFen: 300, digest: hex('a'), publicationDigest: hex('a'), amendments: [] });
    expect(month.vouchers[0]).toMatchObject({ id: 1, amountFen: 100, imageUrl: `/api/images/${hex('1')}.jpg`, thumbUrl: `/api/images/${hex('2')}.webp`, status: 'valid' });
  });

  test('amendments replace the voucher they name, withdraw it with the reason, and move the total and digest', () => {
    const month = publishedMonthFromChain(village, [publication, amendment('b', voucher(1, 150), false, 350, '金额更正'), amendment('c', voucher(3, 200), true, 150, '重复')], url);
    expect(month.vouchers.map((v) => [v.id, v.amountFen, v.status, v.withdrawnReason, v.amendmentCount])).toEqual([
      [1, 150, 'valid', null, 1],
      [3, 200, 'withdrawn', '重复', 1],
    ]);
    expect(month).toMatchObject({ count: 1, totalFen: 150, digest: hex('c'), publicationDigest: hex('a') });
    expect(month.amendments.map((a) => a.reason)).toEqual(['金额更正', '重复']);
  });

  test('a chain that does not start with the publication, or amends a voucher the month lacks, is refused', () => {
    expect(() => publishedMonthFromChain(village, [], url)).toThrow();
    expect(() => publishedMonthFromChain(village, [amendment('b', voucher(1, 1), false, 1, 'x')], url)).toThrow(/not its publication/);
    expect(() => publishedMonthFromChain(village, [publication, amendment('b', voucher(9, 1), false, 1, 'x')], url)).toThrow(/does not hold/);
  });
});
