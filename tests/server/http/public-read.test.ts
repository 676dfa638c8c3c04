import { createHash } from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { monthInShanghai } from '../../../shared/month';
import { PublicReadService } from '../../../server/services/public-read-service';
import { databaseKinds } from '../../helpers/databases';
import { amendVoucher, publishMonth, submitMonth } from '../../helpers/publish';
import { seedReadyVoucher, useStaffServer } from '../../helpers/review';
import type { VoucherRecord } from '../../../server/domain/voucher';

/** A GET that leaves Content-Encoding alone (fetch would decode it). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What villagers read without logging in: published months only, as the chain records them. */
describe.each(databaseKinds())('the public read API on %s', (kind) => {
  let march: VoucherRecord[];
  let april: VoucherRecord[];
  let draft: VoucherRecord;
  let marchBeforeAmendments: { etag: string; imageUrl: string };

  const t = useStaffServer(kind, async () => {
    const a1 = t.staff.villageA1;
    march = await publishMonth(t, a1, '2025-03', [
      { amountFen: 12_000, payee: '新华书店', category: '办公用品', date: '2025-03-02' },
      { amountFen: 3_456, payee: '县供电公司', category: '水电', date: '2025-03-10' },
      { amountFen: 100, payee: '重复的小票', category: null, date: '2025-03-11' },
    ]);
    april = await publishMonth(t, a1, '2025-04', [{ amountFen: 50_000, payee: '村道修补工程队', category: '工程', date: '2025-04-20' }]);
    // Months that must never show: a draft, a submitted one and a rejected one.
    draft = await seedReadyVoucher(t.env, a1, '2025-05', { payee: '草稿里的商店' });
    await seedReadyVoucher(t.env, a1, '2025-06', { payee: '待审核的商店' });
    await submitMonth(t, a1, '2025-06');
    await seedReadyVoucher(t.env, a1, '2025-07', { payee: '被退回的商店' });
    await submitMonth(t, a1, '2025-07');
    await t.server.request('POST', `/api/villages/${a1}/months/2025-07/reject`, { token: t.tokens.officialA, json: { reason: '金额不对' } });

    const before = await t.server.request('GET', `/api/villages/${a1}/months/2025-03`);
    marchBeforeAmendments = { etag: before.headers.get('etag')!, imageUrl: before.body.vouchers[0].imageUrl };
    await amendVoucher(t, march[1], { fields: { amountFen: 4_000 } }, '电费发票金额看错了');
    await amendVoucher(t, march[2], { withdraw: true }, '和上一张重复');
    await amendVoucher(t, march[0], { redactions: [{ box: [0, 0, 200, 100], type: 'manual', source: 'manual' }] }, '遮住经手人签名');
  }, 60_000);

  const get = (path: string, headers?: Record<string, string>) => t.server.request('GET', path, { headers });

  test('the towns list carries a strong ETag and answers 304 to a client that holds it', async () => {
    const res = await get('/api/towns');
    expect(res.body.towns.map((town: { name: string }) => town.name)).toEqual(expect.arrayContaining(['甲镇', '乙镇']));
    expect((await get('/api/towns', { 'If-None-Match': res.headers.get('etag')! })).status).toBe(304);
  });

  describe('a village', () => {
    test('lists its published months newest first with count, total, digest and amendments, and nothing unpublished', async () => {
      const res = await get(`/api/villages/${t.staff.villageA1}`);
      expect(res.status).toBe(200);
      expect(res.body.village).toEqual({ id: t.staff.villageA1, name: '甲一村', townId: t.staff.townA, townName: '甲镇' });
      expect(res.body.months.map((m: { month: string }) => m.month)).toEqual(['2025-04', '2025-03']);
      const chain = (await get(`/api/villages/${t.staff.villageA1}/chain`)).body.entries;
      expect(res.body.months[1]).toEqual({
        month: '2025-03',
        count: 2,
        totalFen: 16_000,
        publishedAt: expect.any(String),
        digest: chain[chain.length - 1].digest,
        amendmentCount: 3,
      });
      expect(res.body.months[0]).toMatchObject({ count: 1, totalFen: 50_000, amendmentCount: 0 });
    });

    test('with nothing published has an empty list; an unknown village is 404 and a malformed id 400', async () => {
      expect((await get(`/api/villages/${t.staff.villageA2}`)).body.months).toEqual([]);
      expect((await get('/api/villages/99999')).status).toBe(404);
      for (const bad of ['abc', '0', '-1', '1.5']) expect((await get(`/api/villages/${bad}`)).status).toBe(400);
    });
  });

  describe('a published month', () => {
    test('shows every receipt with its public fields, redacted image addresses, status and the amendments with reasons', async () => {
      const res = await get(`/api/villages/${t.staff.villageA1}/months/2025-03`);
      expect(res.status).toBe(200);
      const body = res.body;
      expect(body).toMatchObject({ month: '2025-03', count: 2, totalFen: 16_000, village: { name: '甲一村', townName: '甲镇' } });
      expect(body.vouchers.map((v: { id: number }) => v.id)).toEqual(march.map((v) => v.id));
      expect(body.vouchers[0]).toEqual({
        id: march[0].id,
        villageId: t.staff.villageA1,
        month: '2025-03',
        amountFen: 12_000,
        date: '2025-03-02',
        payee: '新华书店',
        description: null,
        category: '办公用品',
        invoiceCode: null,
        invoiceNumber: null,
        thumbUrl: expect.stringMatching(/^\/api\/images\/[0-9a-f]{64}\.webp$/),
        imageUrl: expect.stringMatching(/^\/api\/images\/[0-9a-f]{64}\.jpg$/),
        status: 'valid',
        withdrawnReason: null,
        amendmentCount: 1,
      });
      expect(body.vouchers[1]).toMatchObject({ amountFen: 4_000, status: 'valid', amendmentCount: 1 });
      expect(body.vouchers[2]).toMatchObject({ amountFen: 100, status: 'withdrawn', withdrawnReason: '和上一张重复' });
      expect(body.amendments.map((a: { reason: string; voucherId: number; totalFen: number }) => [a.reason, a.voucherId, a.totalFen])).toEqual([
        ['电费发票金额看错了', march[1].id, 12_000 + 4_000 + 100],
        ['和上一张重复', march[2].id, 16_000],
        ['遮住经手人签名', march[0].id, 16_000],
      ]);
      expect(body.amendments[0].changes).toEqual({ amountFen: { from: 3_456, to: 4_000 } });
      expect(JSON.stringify(body)).not.toMatch(/ocrText|originalKey|redactions|uploadedBy/);
    });

    test('carries the digests of its chain: the publication and the latest entry, whose manifest holds the same total', async () => {
      const body = (await get(`/api/villages/${t.staff.villageA1}/months/2025-03`)).body;
      const entries = (await get(`/api/villages/${t.staff.villageA1}/chain`)).body.entries.filter((e: { month: string }) => e.month === '2025-03');
      expect(body.publicationDigest).toBe(entries[0].digest);
      expect(body.digest).toBe(entries[entries.length - 1].digest);
      const manifest = (await get(`/api/chain/${body.digest}`)).body;
      expect(manifest.totalFen).toBe(body.totalFen);
      expect(body.amendments.map((a: { digest: string }) => a.digest)).toEqual(entries.slice(1).map((e: { digest: string }) => e.digest));
    });

    test('has a strong ETag: 304 for a client that holds it, a new tag after an amendment', async () => {
      const path = `/api/villages/${t.staff.villageA1}/months/2025-03`;
      const res = await get(path);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(res.headers.get('cache-control')).toBe('public, no-cache');
      const again = await get(path, { 'If-None-Match': etag });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect((await get(path, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
      expect((await get(path, { 'If-None-Match': '"other"' })).status).toBe(200);
      expect(marchBeforeAmendments.etag).not.toBe(etag);
      expect((await get(path, { 'If-None-Match': marchBeforeAmendments.etag })).status).toBe(200);
    });

    test('is the same bytes and ETag from another process reading the same database', async () => {
      const res = await fetch(`${t.server.baseUrl}/api/villages/${t.staff.villageA1}/months/2025-03`, { headers: { 'Accept-Encoding': 'identity' } });
      const other = new PublicReadService({ ...t.env.container.repositories, clock: t.env.container.clock });
      const snapshot = await other.monthSnapshot(t.staff.villageA1, '2025-03');
      expect(Buffer.from(await res.arrayBuffer()).equals(snapshot.bytes)).toBe(true);
      expect(res.headers.get('etag')).toBe(snapshot.etag);
    });

    test('goes out gzipped to clients that take it, under its own tag, and each tag revalidates', async () => {
      const path = `/api/villages/${t.staff.villageA1}/months/2025-03`;
      const raw = await rawGet(t.server.baseUrl + path, { 'Accept-Encoding': 'br, gzip;q=0.8' });
      expect(raw.headers['content-encoding']).toBe('gzip');
      expect(raw.headers.vary).toBe('Accept-Encoding');
      const plain = await rawGet(t.server.baseUrl + path, { 'Accept-Encoding': 'gzip;q=0' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gunzipSync(raw.body).equals(plain.body)).toBe(true);
      expect(raw.body.length).toBeLessThan(plain.body.length / 2);
      expect(raw.headers.etag).not.toBe(plain.headers.etag);
      for (const etag of [raw.headers.etag, plain.headers.etag]) expect((await rawGet(t.server.baseUrl + path, { 'If-None-Match': etag! })).status).toBe(304);
    });

    test("this process shows an amendment at once; another process within its revalidation bound", async () => {
      const april = (await get(`/api/villages/${t.staff.villageA1}/months/2025-04`)).body;
      const other = new PublicReadService({ ...t.env.container.repositories, clock: t.env.container.clock, revalidateMs: 300 });
      expect((await other.month(t.staff.villageA1, '2025-04')).digest).toBe(april.digest);
      await amendVoucher(t, { id: april.vouchers[0].id, villageId: t.staff.villageA1 }, { fields: { description: '村道修补（东段）' } }, '补写说明');
      const now = (await get(`/api/villages/${t.staff.villageA1}/months/2025-04`)).body;
      expect(now.digest).not.toBe(april.digest);
      expect(now.vouchers[0].description).toBe('村道修补（东段）');
      // The other process still serves what it rendered, until the bound passes.
      expect((await other.month(t.staff.villageA1, '2025-04')).digest).toBe(april.digest);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await other.month(t.staff.villageA1, '2025-04')).digest).toBe(now.digest);
    });

    test('a draft, submitted, rejected, empty or unknown month is a 404 indistinguishable from one that does not exist', async () => {
      const a1 = t.staff.villageA1;
      const answers = [];
      for (const path of [`/api/villages/${a1}/months/2025-05`, `/api/villages/${a1}/months/2025-06`, `/api/villages/${a1}/months/2025-07`, `/api/villages/${a1}/months/2031-01`, '/api/villages/99999/months/2025-03']) {
        const res = await get(path);
        expect(res.status).toBe(404);
        answers.push({ code: res.body.error.code, message: res.body.error.message, keys: Object.keys(res.body.error).sort() });
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0].message).toMatch(/[\u4e00-\u9fff]/);
    });

    test.each([
      ['a malformed village id', '/api/villages/x/months/2025-03'],
      ['month 13', '/api/villages/1/months/2025-13'],
      ['a month without its dash', '/api/villages/1/months/202503'],
      ['a date instead of a month', '/api/villages/1/months/2025-03-01'],
    ])('%s is 400 naming the problem in Chinese', async (_name, path) => {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    });
  });

  describe('one receipt', () => {
    test('comes with its own corrections and the month digests', async () => {
      const res = await get(`/api/vouchers/${march[1].id}/public`);
      expect(res.status).toBe(200);
      expect(res.body.voucher).toMatchObject({ id: march[1].id, amountFen: 4_000, payee: '县供电公司' });
      expect(res.body.amendments.map((a: { reason: string }) => a.reason)).toEqual(['电费发票金额看错了']);
      expect(res.body.village.name).toBe('甲一村');
      const month = (await get(`/api/villages/${t.staff.villageA1}/months/2025-03`)).body;
      expect(res.body.digest).toBe(month.digest);
      expect(res.headers.get('etag')).toMatch(/^"/);
    });

    test('of an unpublished month, or unknown, is 404; a malformed id is 400', async () => {
      expect((await get(`/api/vouchers/${draft.id}/public`)).status).toBe(404);
      expect((await get('/api/vouchers/999999/public')).status).toBe(404);
      expect((await get('/api/vouchers/abc/public')).status).toBe(400);
    });
  });

  describe('public images', () => {
    test('are served at their content address, cacheable forever, with 304 on revalidation', async () => {
      const month = (await get(`/api/villages/${t.staff.villageA1}/months/2025-03`)).body;
      for (const [url, type] of [[month.vouchers[0].imageUrl, 'image/jpeg'], [month.vouchers[0].thumbUrl, 'image/webp']]) {
        const res = await fetch(t.server.baseUrl + url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(type);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(url).toContain(sha256(bytes));
        const again = await fetch(t.server.baseUrl + url, { headers: { 'If-None-Match': res.headers.get('etag')! } });
        expect(again.status).toBe(304);
      }
    });

    test('a copy replaced by a correction, or a draft voucher image, is not handed out', async () => {
      const current = (await get(`/api/villages/${t.staff.villageA1}/months/2025-03`)).body.vouchers[0].imageUrl;
      expect(marchBeforeAmendments.imageUrl).not.toBe(current);
      expect((await get(marchBeforeAmendments.imageUrl)).status).toBe(404);
      const draftRow = (await t.env.container.repositories.vouchers.findById(draft.id))!;
      expect((await get(`/api/images/${draftRow.publicDisplayKey!.slice('images/'.length)}`)).status).toBe(404);
      expect((await get(`/api/images/${draftRow.originalKey.slice('originals/'.length)}.jpg`)).status).toBe(404);
    });

    test.each(['abc.jpg', `${'a'.repeat(64)}.png`, `${'A'.repeat(64)}.jpg`, '..%2F..%2Fetc%2Fpasswd'])('a malformed address %s is 400', async (file) => {
      expect((await get(`/api/images/${file}`)).status).toBe(400);
    });
  });

  describe('statistics', () => {
    test('give the twelve months of a year and totals by category, counting only published, valid receipts', async () => {
      const res = await get(`/api/villages/${t.staff.villageA1}/stats?year=2025`);
      expect(res.status).toBe(200);
      expect(res.body.year).toBe(2025);
      expect(res.body.months).toHaveLength(12);
      expect(res.body.months[2]).toEqual({ month: '2025-03', published: true, count: 2, totalFen: 16_000 });
      expect(res.body.months[3]).toEqual({ month: '2025-04', published: true, count: 1, totalFen: 50_000 });
      for (const i of [4, 5, 6]) expect(res.body.months[i]).toEqual({ month: `2025-0${i + 1}`, published: false, count: 0, totalFen: 0 });
      expect(res.body.categories).toEqual([
        { category: '工程', count: 1, totalFen: 50_000 },
        { category: '办公用品', count: 1, totalFen: 12_000 },
        { category: '水电', count: 1, totalFen: 4_000 },
      ]);
      expect(res.body.totalFen).toBe(66_000);
      expect(april).toHaveLength(1);
    });

    test('default to this year in China and refuse years out of range', async () => {
      const thisYear = Number(monthInShanghai(new Date()).slice(0, 4));
      expect((await get(`/api/villages/${t.staff.villageA1}/stats`)).body.year).toBe(thisYear);
      for (const year of ['1999', '2101', String(thisYear + 2), 'abc', '2025.5']) {
        const res = await get(`/api/villages/${t.staff.villageA1}/stats?year=${year}`);
        expect(res.status).toBe(400);
        expect(res.body.error.field).toBe('year');
      }
      expect((await get(`/api/villages/${t.staff.villageA1}/stats?yaer=2025`)).status).toBe(400);
      expect((await get('/api/villages/99999/stats?year=2025')).status).toBe(404);
    });
  });
});
