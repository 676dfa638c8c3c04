import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { databaseKinds } from '../../helpers/databases';
import { readTruth, voucherFixture, VOUCHERS_DIR } from '../../helpers/fixtures';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';
import { filesForm } from '../../helpers/upload';

const truth = Object.fromEntries(readTruth(VOUCHERS_DIR).map((t) => [t.file, t]));

/** Mean brightness (0–255) of a region of an encoded image. */
async function meanBrightness(image: Buffer, [x, y, w, h]: number[]): Promise<number> {
  // stats() would describe the whole input, so cut the region out to raw pixels first.
  const pixels = await sharp(image).extract({ left: x, top: y, width: w, height: h }).greyscale().raw().toBuffer();
  return pixels.reduce((sum, p) => sum + p, 0) / pixels.length;
}

/** A phone photo stored sideways with GPS in its EXIF, as phones do. */
async function sidewaysPhotoWithGps(): Promise<Buffer> {
  const upright = voucherFixture('v003.jpg');
  const sideways = await sharp(upright).rotate(-90).toBuffer(); // stored turned; EXIF 6 says "turn right to view"
  return sharp(sideways)
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '32/1 41/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '119/1 0/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe.each(databaseKinds())('processing uploaded vouchers on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let staff: StaffFixture;
  const token: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const month = '2026-04';

  beforeAll(async () => {
    env = await createTestEnv(kind);
    server = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
    for (const [who, user] of Object.entries(staff.users))
      token[who] = (await server.request('POST', '/api/auth/login', { json: { username: user.username, password: PASSWORD } })).body.token;
    const res = await server.request('POST', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, {
      body: filesForm([
        { name: 'v001.jpg', data: voucherFixture('v001.jpg') },
        { name: 'v003.jpg', data: voucherFixture('v003.jpg') },
        { name: 'sideways.jpg', data: await sidewaysPhotoWithGps() },
      ]),
      token: token.accountantA1,
    });
    for (const r of res.body.results) ids[r.file] = r.id;
    await env.container.createJobRunner().drain();
  }, 180_000);
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  const get = async (id: number, as = 'accountantA1') => (await server.request('GET', `/api/vouchers/${id}`, { token: token[as] })).body.voucher;
  const image = (id: number, query: string, as: string | null = 'accountantA1') =>
    fetch(`${server.baseUrl}/api/vouchers/${id}/image?${query}`, { headers: as ? { Authorization: `Bearer ${token[as]}` } : {} });

  test('each voucher ends ready, read by the default engine, with the printed fields filled in', async () => {
    const invoice = await get(ids['v003.jpg']);
    expect(invoice).toMatchObject({ status: 'ready', ocrEngine: 'paddle', amountFen: 280900, date: '2022-03-09', invoiceCode: '034002032304', invoiceNumber: '95941563' });
    expect(invoice.ocrText).toContain('发票');
    expect(invoice.confidences.amountFen).toBeGreaterThan(0);
    expect((await get(ids['v001.jpg'])).status).toBe('ready');
  });

  test('display copy (≤1600 px, JPEG) and thumbnail (≤320 px, WebP) are made', async () => {
    const display = Buffer.from(await (await image(ids['v003.jpg'], 'variant=display')).arrayBuffer());
    const thumb = Buffer.from(await (await image(ids['v003.jpg'], 'variant=thumb')).arrayBuffer());
    const [d, t] = [await sharp(display).metadata(), await sharp(thumb).metadata()];
    expect(d.format).toBe('jpeg');
    expect(Math.max(d.width!, d.height!)).toBeLessThanOrEqual(1600);
    expect(t.format).toBe('webp');
    expect(Math.max(t.width!, t.height!)).toBe(320);
  });

  test('a sideways phone photo is turned upright and every derived image drops EXIF and GPS', async () => {
    const voucher = await get(ids['sideways.jpg']);
    expect(voucher).toMatchObject({ status: 'ready', width: 1461, height: 1174, invoiceNumber: '95941563' });
    for (const query of ['variant=display', 'variant=thumb', 'variant=display&redacted=0', 'variant=thumb&redacted=0']) {
      const bytes = Buffer.from(await (await image(voucher.id, query)).arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect({ query, exif: meta.exif, xmp: meta.xmp, orientation: meta.orientation }).toEqual({ query, exif: undefined, xmp: undefined, orientation: undefined });
      expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
      expect(meta.width! > meta.height!).toBe(true);
    }
    // The original is kept exactly as uploaded, for staff only.
    const original = Buffer.from(await (await image(voucher.id, 'variant=original')).arrayBuffer());
    expect((await sharp(original).metadata()).orientation).toBe(6);
  });

  test('ID card and phone numbers on a labour receipt are found, boxed and blacked out in the public copy only', async () => {
    const receipt = await get(ids['v001.jpg']);
    const idcard = truth['v001.jpg'].sensitive!.find((s) => s.type === 'idcard')!.bbox;
    const covering = receipt.redactions.filter((r: { type: string }) => r.type === 'idcard');
    expect(covering.length).toBeGreaterThan(0);
    expect(receipt.flags.map((f: { type: string }) => f.type)).toContain('personal_data');
    const publicCopy = Buffer.from(await (await image(receipt.id, 'variant=display')).arrayBuffer());
    const staffCopy = Buffer.from(await (await image(receipt.id, 'variant=display&redacted=0')).arrayBuffer());
    const centre = [idcard[0] + idcard[2] * 0.25, idcard[1] + idcard[3] * 0.25, idcard[2] * 0.5, idcard[3] * 0.5].map(Math.round);
    expect(await meanBrightness(publicCopy, centre)).toBeLessThan(10);
    expect(await meanBrightness(staffCopy, centre)).toBeGreaterThan(60);
  });

  test('images of an unpublished month are for the village staff and town officials only', async () => {
    const id = ids['v003.jpg'];
    expect((await image(id, 'variant=display', 'officialA')).status).toBe(200);
    expect((await image(id, 'variant=original', 'officialA')).status).toBe(200);
    expect((await image(id, 'variant=display', 'officialB')).status).toBe(403);
    expect((await image(id, 'variant=display', 'accountantA2')).status).toBe(403);
    expect((await image(id, 'variant=display', null)).status).toBe(404);
    expect((await image(id, 'variant=poster')).status).toBe(400);
  });

  test('image answers are validated by their content hash (304 when unchanged)', async () => {
    const first = await image(ids['v003.jpg'], 'variant=thumb');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}\.webp"$/);
    const again = await fetch(`${server.baseUrl}/api/vouchers/${ids['v003.jpg']}/image?variant=thumb`, {
      headers: { Authorization: `Bearer ${token.accountantA1}`, 'If-None-Match': etag },
    });
    expect(again.status).toBe(304);
  });

  test('the same invoice filed again in another village of the town is flagged as a likely duplicate', async () => {
    const copy = await sharp(voucherFixture('v003.jpg')).jpeg({ quality: 80 }).toBuffer(); // other bytes, same invoice
    const res = await server.request('POST', `/api/villages/${staff.villageA2}/months/${month}/vouchers`, {
      body: filesForm([{ name: 'scan-again.jpg', data: copy }]),
      token: token.accountantA2,
    });
    expect(res.status).toBe(202);
    await env.container.createJobRunner().drain();
    const voucher = await get(res.body.results[0].id, 'accountantA2');
    const flag = voucher.flags.find((f: { type: string }) => f.type === 'duplicate');
    expect(flag).toMatchObject({ otherVoucherId: ids['v003.jpg'], acknowledged: false });
    expect(flag.message).toContain(String(ids['v003.jpg']));
  });

  test('an accountant corrects fields; a stale version is refused with 409; every change is audited', async () => {
    const id = ids['v003.jpg'];
    const before = await get(id);
    const ok = await server.request('PATCH', `/api/vouchers/${id}`, {
      json: { version: before.version, fields: { payee: '天长市华成办公用品经营部', description: '打印纸和墨盒' } },
      token: token.accountantA1,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.voucher).toMatchObject({ payee: '天长市华成办公用品经营部', description: '打印纸和墨盒', version: before.version + 1 });
    const stale = await server.request('PATCH', `/api/vouchers/${id}`, { json: { version: before.version, fields: { payee: '别人' } }, token: token.accountantA1 });
    expect(stale.status).toBe(409);
    expect((await get(id)).payee).toBe('天长市华成办公用品经营部');
    const events = await env.container.repositories.audit.listForSubject('voucher', String(id));
    const update = events.find((e) => e.action === 'voucher.updated')!;
    expect(update.details).toMatchObject({ before: { payee: before.payee }, after: { payee: '天长市华成办公用品经营部' } });
    expect(update.actorUserId).toBe(staff.users.accountantA1.id);
  });

  test.each([
    ['an amount that is not whole fen', { fields: { amountFen: 12.5 } }, 'fields.amountFen'],
    ['a date in another format', { fields: { date: '2022/03/09' } }, 'fields.date'],
    ['a category that does not exist', { fields: { category: '吃喝' } }, 'fields.category'],
    ['a field that cannot be edited', { fields: { sha256: 'x' } }, 'sha256'],
  ])('%s is 422 naming the field', async (_name, patch, field) => {
    const v = await get(ids['v003.jpg']);
    const res = await server.request('PATCH', `/api/vouchers/${v.id}`, { json: { version: v.version, ...patch }, token: token.accountantA1 });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe(field);
  });

  test('only the village accountant (or an admin) may edit', async () => {
    const v = await get(ids['v003.jpg']);
    for (const who of ['accountantA2', 'officialA', 'officialB'])
      expect((await server.request('PATCH', `/api/vouchers/${v.id}`, { json: { version: v.version, fields: { payee: 'x' } }, token: token[who] })).status).toBe(403);
  });

  test('changing the redaction boxes remakes the public images; the old ones are removed', async () => {
    const v = await get(ids['v003.jpg']);
    const oldKeys = await env.container.storage.list('images');
    const box = [100, 100, 300, 80];
    const res = await server.request('PATCH', `/api/vouchers/${v.id}`, {
      json: { version: v.version, redactions: [{ box, type: 'manual', source: 'manual' }] },
      token: token.accountantA1,
    });
    expect(res.status).toBe(200);
    const publicCopy = Buffer.from(await (await image(v.id, 'variant=display')).arrayBuffer());
    const scale = (await sharp(publicCopy).metadata()).width! / v.width;
    expect(await meanBrightness(publicCopy, [110, 110, 200, 50].map((n) => Math.round(n * scale)))).toBeLessThan(10);
    const newKeys = await env.container.storage.list('images');
    expect(newKeys.filter((k) => !oldKeys.includes(k))).toHaveLength(2);
    // Old public copies are gone unless another image still uses the same bytes.
    const inUse = await env.container.repositories.vouchers.keysInUse(newKeys);
    expect(newKeys.filter((k) => !inUse.has(k))).toEqual([]);
    const outside = await server.request('PATCH', `/api/vouchers/${v.id}`, {
      json: { version: v.version + 1, redactions: [{ box: [1400, 1100, 500, 500], type: 'manual', source: 'manual' }] },
      token: token.accountantA1,
    });
    expect(outside.status).toBe(422);
  });

  test('reprocessing runs the pipeline again and keeps boxes drawn by hand', async () => {
    const v = await get(ids['v003.jpg']);
    const res = await server.request('POST', `/api/vouchers/${v.id}/reprocess`, { token: token.accountantA1 });
    expect(res.status).toBe(202);
    expect(res.body.voucher.status).toBe('processing');
    await env.container.createJobRunner().drain();
    const after = await get(v.id);
    expect(after.status).toBe('ready');
    expect(after.redactions.filter((r: { source: string }) => r.source === 'manual')).toHaveLength(1);
  });

  test('deleting a voucher removes it and every file only it used', async () => {
    const v = await get(ids['sideways.jpg']);
    const record = (await env.container.repositories.vouchers.findById(v.id))!;
    // Without redactions the public twins equal the staff copies, so they share keys.
    const ownKeys = new Set([record.originalKey, record.displayKey, record.thumbKey, record.publicDisplayKey, record.publicThumbKey]);
    const keysBefore = await env.container.storage.list('');
    expect((await server.request('DELETE', `/api/vouchers/${v.id}`, { token: token.accountantA2 })).status).toBe(403);
    expect((await server.request('DELETE', `/api/vouchers/${v.id}`, { token: token.accountantA1 })).status).toBe(204);
    expect((await server.request('GET', `/api/vouchers/${v.id}`, { token: token.accountantA1 })).status).toBe(404);
    const keysAfter = await env.container.storage.list('');
    expect(keysBefore.filter((k) => !keysAfter.includes(k)).sort()).toEqual([...ownKeys].sort());
    // Every remaining file is still referenced by some voucher.
    const inUse = await env.container.repositories.vouchers.keysInUse(keysAfter);
    expect(keysAfter.filter((k) => !inUse.has(k))).toEqual([]);
    expect(fs.readdirSync(path.join(env.config.storageDir, '.tmp'))).toEqual([]);
  });
});
