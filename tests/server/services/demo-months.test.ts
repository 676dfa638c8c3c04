import sharp from 'sharp';
import { publicVillageSchema, publishedMonthSchema, searchResultSchema, type PublishedMonth } from '../../../shared/schemas/public';
import { ManualClock } from '../../../server/adapters/clock';
import { toPublicUser } from '../../../server/domain/staff';
import type { Box } from '../../../server/ocr/ocr-engine';
import { uncoveredIn } from '../../../server/services/approval-checks';
import { addMonths, DEMO_CORRECTION_REASON, DEMO_MONTHS, DEMO_WITHDRAWAL_REASON } from '../../../server/services/demo-months-service';
import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

/** Mid-March 2026 in China: the demo's months run back across the new year. */
const NOW = new Date('2026-03-15T04:00:00Z');
const CURRENT = '2026-03';

/** The mean of each channel over a box of a decoded image. */
async function meanIn(image: Buffer, [left, top, width, height]: Box): Promise<number[]> {
  // stats() looks at a pipeline's input, so cut the box out first.
  const { channels } = await sharp(await sharp(image).extract({ left, top, width, height }).png().toBuffer()).stats();
  return channels.slice(0, 3).map((c) => c.mean);
}

describe.each(databaseKinds())('published demo months on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let villageIds: Map<string, number>;
  const months = new Map<string, PublishedMonth>();

  const get = async (path: string) => {
    const res = await server.request('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    env = await createTestEnv(kind, {}, { clock: new ManualClock(NOW) });
    expect(await env.container.services.demoSeed.seedIfEmpty()).not.toBeNull();
    server = await startTestServer(env.container);
    const { towns } = await get('/api/towns');
    villageIds = new Map(towns.flatMap((t: { name: string; villages: Array<{ id: number; name: string }> }) => t.villages.map((v) => [t.name + v.name, v.id])));
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    await env?.close();
  });

  test('each demo village has its planned months published, newest first; the other villages none', async () => {
    for (const [key, id] of villageIds) {
      const plan = DEMO_MONTHS.find((p) => p.town + p.village === key);
      const newest = addMonths(CURRENT, plan?.submitted ? -2 : -1);
      const expected = Array.from({ length: plan?.published ?? 0 }, (_, i) => addMonths(newest, -i));
      const village = publicVillageSchema.parse(await get(`/api/villages/${id}`));
      expect([key, village.months.map((m) => m.month)]).toEqual([key, expected]);
      for (const m of expected) months.set(`${id}/${m}`, publishedMonthSchema.parse(await get(`/api/villages/${id}/months/${m}`)));
    }
    expect(new Set([...months.values()].map((m) => m.village.townName))).toEqual(new Set(['新街镇', '张铺镇']));
    expect(months.size).toBe(DEMO_MONTHS.reduce((n, p) => n + p.published, 0));
  });

  test('every month: 4–12 receipts of several kinds dated inside it, the total the sum of the valid ones', () => {
    for (const month of months.values()) {
      expect(month.vouchers.length).toBeGreaterThanOrEqual(4);
      expect(month.vouchers.length).toBeLessThanOrEqual(12);
      expect(new Set(month.vouchers.map((v) => v.category)).size).toBeGreaterThanOrEqual(3);
      const valid = month.vouchers.filter((v) => v.status === 'valid');
      expect(month.count).toBe(valid.length);
      expect(month.totalFen).toBe(valid.reduce((sum, v) => sum + v.amountFen!, 0));
      for (const v of month.vouchers) {
        expect(v.date!.slice(0, 7)).toBe(month.month);
        expect(v.payee).toMatch(/^\p{Script=Han}/u);
        expect(v.description).toMatch(/\p{Script=Han}/u);
        expect(Number.isInteger(v.amountFen) && v.amountFen! > 0).toBe(true);
      }
    }
  });

  test("新街村's newest month shows an approved amount correction and a withdrawn receipt", async () => {
    const month = months.get(`${villageIds.get('新街镇新街村')}/${addMonths(CURRENT, -1)}`)!;
    expect(month.amendments).toHaveLength(2);
    const [correction, withdrawal] = month.amendments;
    const { from, to } = correction.changes.amountFen as { from: number; to: number };
    expect(from).not.toBe(to);
    expect(correction.reason).toBe(DEMO_CORRECTION_REASON(from, to));
    const corrected = month.vouchers.find((v) => v.id === correction.voucherId)!;
    expect(corrected).toMatchObject({ amountFen: to, status: 'valid', amendmentCount: 1 });
    expect(withdrawal).toMatchObject({ withdrawn: true, reason: DEMO_WITHDRAWAL_REASON });
    expect(month.vouchers.find((v) => v.id === withdrawal.voucherId)).toMatchObject({ status: 'withdrawn', withdrawnReason: DEMO_WITHDRAWAL_REASON });
    expect(month.totalFen).toBe(withdrawal.totalFen);
    expect(month.digest).not.toBe(month.publicationDigest);
  });

  test('the public copies are blacked out where the redaction boxes are, the originals are not, and the rest is alike', async () => {
    const { vouchers } = env.container.repositories;
    const { storage } = env.container;
    const villageId = villageIds.get('新街镇新街村')!;
    const published = (await vouchers.listForMonth(villageId, addMonths(CURRENT, -1))).filter((v) => v.redactions.length);
    expect(published.length).toBeGreaterThan(0);
    // Every month has a 领款单: name, ID card and phone number boxed.
    expect(published.some((v) => new Set(v.redactions.map((r) => r.type)).size === 3)).toBe(true);
    for (const voucher of published) {
      const shown = months.get(`${villageId}/${voucher.month}`)!.vouchers.find((v) => v.id === voucher.id)!;
      const res = await fetch(server.baseUrl + shown.imageUrl);
      expect(res.status).toBe(200);
      const publicCopy = Buffer.from(await res.arrayBuffer());
      const original = await storage.get(voucher.originalKey);
      const display = await storage.get(voucher.displayKey!);
      expect(shown.imageUrl).toBe(`/api/images/${voucher.publicDisplayKey!.slice('images/'.length)}`);
      expect(voucher.publicDisplayKey).not.toBe(voucher.displayKey);
      expect(voucher.publicThumbKey).not.toBe(voucher.thumbKey);
      for (const { box } of voucher.redactions) {
        expect(Math.max(...(await meanIn(publicCopy, box as Box)))).toBeLessThan(40);
        expect(Math.max(...(await meanIn(original, box as Box)))).toBeGreaterThan(120);
        expect(Math.max(...(await meanIn(display, box as Box)))).toBeGreaterThan(120);
      }
      // The title, far from any box, is the same in both.
      const title: Box = [0, 0, voucher.width!, Math.round(voucher.height! * 0.2)];
      const [a, b] = [await meanIn(publicCopy, title), await meanIn(original, title)];
      a.forEach((mean, i) => expect(Math.abs(mean - b[i])).toBeLessThan(3));
    }
  });

  test('search finds a seeded payee in its village, and never a number under a redaction box', async () => {
    const month = months.get(`${villageIds.get('新街镇西湖村')}/${addMonths(CURRENT, -1)}`)!;
    const payee = month.vouchers[month.vouchers.length - 1].payee!;
    const result = searchResultSchema.parse(await get(`/api/search?q=${encodeURIComponent(payee)}&villageId=${month.village.id}`));
    expect(result.total).toBeGreaterThan(0);
    expect(result.hits.every((h) => h.payee === payee && h.villageName === '西湖村')).toBe(true);
    expect(result.hits.map((h) => h.id)).toContain(month.vouchers[month.vouchers.length - 1].id);

    const boxed = (await env.container.repositories.vouchers.listForMonth(month.village.id, month.month)).find((v) => v.redactions.some((r) => r.type === 'phone'))!;
    const phoneLine = (boxed.ocrLines as Array<{ text: string }>).find((l) => /^1[3-9]\d{9}$/.test(l.text))!;
    expect((await get(`/api/search?q=${phoneLine.text.slice(0, 7)}`)).total).toBe(0);
    // The label beside it is not personal data and stays searchable.
    expect((await get(`/api/search?q=${encodeURIComponent('联系电话')}&villageId=${month.village.id}`)).total).toBeGreaterThan(0);
  });

  test('every chain verifies, every published image re-hashes, and no ID card or phone number is left unboxed', async () => {
    const report = await env.container.services.chainVerifier.verify();
    expect(report.problems).toEqual([]);
    for (const [key] of months) {
      const [villageId, month] = key.split('/');
      expect(uncoveredIn(await env.container.repositories.vouchers.listForMonth(Number(villageId), month))).toEqual([]);
    }
  });

  test("东岗村's newest month waits in the review queue; 新街村 has a draft of three vouchers, one to check", async () => {
    const official = toPublicUser((await env.container.repositories.users.findByUsername('xinjie-official'))!);
    const queue = await env.container.services.review.queue(official);
    expect(queue.map((q) => [q.villageName, q.month, q.voucherCount])).toEqual([['东岗村', addMonths(CURRENT, -1), 5]]);
    expect((await server.request('GET', `/api/villages/${villageIds.get('新街镇东岗村')}/months/${addMonths(CURRENT, -1)}`)).status).toBe(404);

    const xinjie = villageIds.get('新街镇新街村')!;
    expect((await env.container.services.months.statusOf(xinjie, CURRENT)).status).toBe('draft');
    const draft = await env.container.repositories.vouchers.listForMonth(xinjie, CURRENT);
    expect(draft).toHaveLength(3);
    expect(draft.every((v) => v.status === 'ready' && v.date! <= '2026-03-15')).toBe(true);
    expect(draft.filter((v) => v.flags.some((f) => f.type === 'needs_checking' && !f.acknowledged))).toHaveLength(1);
  });
});
