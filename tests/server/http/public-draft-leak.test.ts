import { databaseKinds } from '../../helpers/databases';
import { publishMonth, submitMonth } from '../../helpers/publish';
import { seedReadyVoucher, useStaffServer } from '../../helpers/review';
import type { VoucherRecord } from '../../../server/domain/voucher';

/** Payees and amounts that exist only in months not published: none may reach a public answer. */
const SECRETS = [
  { month: '2025-05', payee: '草稿专用商行', amountFen: 777_701 },
  { month: '2025-06', payee: '待审专用商行', amountFen: 777_702 },
  { month: '2025-07', payee: '退回专用商行', amountFen: 777_703 },
];
const SECRET_TEXT = /草稿专用|待审专用|退回专用|7777\.0[123]|77770[123]/;

describe.each(databaseKinds())('nothing of a draft, submitted or rejected month is public, on %s', (kind) => {
  const hidden: VoucherRecord[] = [];
  const t = useStaffServer(kind, async () => {
    const a1 = t.staff.villageA1;
    await publishMonth(t, a1, '2025-03', [{ payee: '公开专用商行', amountFen: 12_345, category: '办公用品' }]);
    for (const secret of SECRETS) hidden.push(await seedReadyVoucher(t.env, a1, secret.month, { payee: secret.payee, amountFen: secret.amountFen, category: '办公用品' }));
    await submitMonth(t, a1, '2025-06');
    await submitMonth(t, a1, '2025-07');
    const rejected = await t.server.request('POST', `/api/villages/${a1}/months/2025-07/reject`, { token: t.tokens.officialA, json: { reason: '再核对' } });
    expect(rejected.status).toBe(200);
  }, 60_000);

  const get = (path: string) => t.server.request('GET', path);
  const expectClean = (res: { status: number; text: string }, path: string) => {
    expect({ path, leaked: SECRET_TEXT.test(res.text) }).toEqual({ path, leaked: false });
  };

  test('the published month itself is there, so the checks below are not vacuous', async () => {
    const month = await get(`/api/villages/${t.staff.villageA1}/months/2025-03`);
    expect(month.body.vouchers.map((v: { payee: string }) => v.payee)).toEqual(['公开专用商行']);
    const search = await get(`/api/search?q=${encodeURIComponent('专用商行')}`);
    expect(search.body.hits.map((h: { payee: string }) => h.payee)).toEqual(['公开专用商行']);
  });

  test('listings, months, receipts, statistics and the chain show none of it', async () => {
    const a1 = t.staff.villageA1;
    const paths = [
      '/api/towns',
      `/api/villages/${a1}`,
      `/api/villages/${a1}/months/2025-03`,
      `/api/villages/${a1}/stats?year=2025`,
      `/api/villages/${a1}/chain`,
      ...SECRETS.map((s) => `/api/villages/${a1}/months/${s.month}`),
      ...hidden.map((v) => `/api/vouchers/${v.id}/public`),
    ];
    for (const path of paths) expectClean(await get(path), path);
    for (const s of SECRETS) expect((await get(`/api/villages/${a1}/months/${s.month}`)).status).toBe(404);
    for (const v of hidden) expect((await get(`/api/vouchers/${v.id}/public`)).status).toBe(404);
    const stats = (await get(`/api/villages/${a1}/stats?year=2025`)).body;
    expect(stats.totalFen).toBe(12_345);
    expect(stats.months.filter((m: { published: boolean }) => m.published).map((m: { month: string }) => m.month)).toEqual(['2025-03']);
    const village = (await get(`/api/villages/${a1}`)).body;
    expect(village.months.map((m: { month: string }) => m.month)).toEqual(['2025-03']);
  });

  test('search finds none of it, by payee or by amount', async () => {
    for (const s of SECRETS) {
      for (const q of [s.payee, s.payee.slice(0, 2), '专用商行']) {
        const res = await get(`/api/search?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        // The answer repeats q itself; what matters is what it found.
        expect({ q, hits: res.body.hits.filter((h: { payee: string }) => h.payee !== '公开专用商行') }).toEqual({ q, hits: [] });
        expectClean({ status: res.status, text: JSON.stringify(res.body.hits) }, `search ${q}`);
      }
    }
  });

  test('open data: the CSV and the board sheet exist only for the published month and hold none of it', async () => {
    const a1 = t.staff.villageA1;
    const csv = await get(`/api/villages/${a1}/months/2025-03/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('公开专用商行');
    expectClean(csv, 'export.csv');
    for (const s of SECRETS) {
      expect((await get(`/api/villages/${a1}/months/${s.month}/export.csv`)).status).toBe(404);
      expect((await get(`/api/villages/${a1}/months/${s.month}/board.pdf`)).status).toBe(404);
    }
    expect((await get(`/api/villages/${a1}/months/2025-03/board.pdf`)).status).toBe(200);
  });

  test('their images are not served at any public address', async () => {
    for (const v of hidden) {
      const row = (await t.env.container.repositories.vouchers.findById(v.id))!;
      for (const key of [row.publicDisplayKey!, row.publicThumbKey!, row.displayKey!]) expect((await get(`/api/images/${key.slice('images/'.length)}`)).status).toBe(404);
    }
  });
});
