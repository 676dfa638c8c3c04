import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { databaseKinds } from '../../helpers/databases';
import { seedReadyVoucher, useStaffServer } from '../../helpers/review';

/** The public chain: anyone reads it, and can check each manifest against its digest. */
describe.each(databaseKinds())('the public chain on %s', (kind) => {

  const t = useStaffServer(kind, async () => {
    for (const month of ['2025-05', '2025-06']) {
      await seedReadyVoucher(t.env, t.staff.villageA1, month, { payee: '村东头小卖部 “老王”' });
      await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${month}/submit`, { token: t.tokens.accountantA1 });
      await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${month}/approve`, { token: t.tokens.officialA });
    }
  });

  test("a village's chain lists its entries in order, each linked to the one before, without logging in", async () => {
    const res = await t.server.request('GET', `/api/villages/${t.staff.villageA1}/chain`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ villageId: t.staff.villageA1, villageName: '甲一村' });
    expect(res.body.entries).toEqual([
      { seq: 1, digest: expect.stringMatching(/^[0-9a-f]{64}$/), prev: null, kind: 'publication', month: '2025-05', createdAt: expect.any(String) },
      { seq: 2, digest: expect.stringMatching(/^[0-9a-f]{64}$/), prev: res.body.entries[0].digest, kind: 'publication', month: '2025-06', createdAt: expect.any(String) },
    ]);
    expect((await t.server.request('GET', `/api/villages/${t.staff.villageA2}/chain`)).body.entries).toEqual([]);
  });

  test('a manifest comes back as the exact bytes hashed: canonical JSON whose sha256 is its digest', async () => {
    const [entry] = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/chain`)).body.entries;
    const res = await fetch(`${t.server.baseUrl}/api/chain/${entry.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.digest);
    const text = bytes.toString('utf8');
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    const manifest = JSON.parse(text);
    expect(Object.keys(manifest)).toEqual(['approvedAt', 'approvedBy', 'format', 'kind', 'month', 'prev', 'totalFen', 'village', 'vouchers']);
    expect(manifest.village).toEqual({ id: t.staff.villageA1, name: '甲一村' });
    expect(Object.keys(manifest.vouchers[0])).toEqual(['amountFen', 'category', 'date', 'description', 'displaySha256', 'id', 'invoiceCode', 'invoiceNumber', 'payee', 'thumbSha256']);
    expect(manifest.vouchers[0].payee).toBe('村东头小卖部 “老王”');
  });

  test.each([
    ['too short', 'abc123', 400],
    ['not hex', 'z'.repeat(64), 400],
    ['in capitals', 'A'.repeat(64), 400],
    ['well formed but unknown', '0'.repeat(64), 404],
  ])('a digest %s is %i', async (_name, digest, status) => {
    const res = await t.server.request('GET', `/api/chain/${digest}`);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('the chain of a village that does not exist is 404; a malformed id is 400', async () => {
    expect((await t.server.request('GET', '/api/villages/99999/chain')).status).toBe(404);
    expect((await t.server.request('GET', '/api/villages/x1/chain')).status).toBe(400);
  });
});
