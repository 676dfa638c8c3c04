import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { voucherFixture } from '../../helpers/fixtures';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, databaseAndStorageKinds, type TestEnv } from '../../helpers/test-env';
import { filesForm, footprint } from '../../helpers/upload';
import { systemToolAvailable } from '../../helpers/system-tools';

const testWithHeifEnc = systemToolAvailable('heif-enc', 'libheif-examples') ? test : test.skip;

/** A PNG whose header claims 100000×100000 pixels: refused before anything is decoded. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(64)), chunk('IEND', Buffer.alloc(0))]);
}

describe.each(databaseAndStorageKinds())('uploading vouchers on %s with %s storage', (kind, storage) => {
  let env: TestEnv;
  let server: TestServer;
  let staff: StaffFixture;
  const token: Record<string, string> = {};
  const month = '2026-03';

  beforeAll(async () => {
    env = await createTestEnv(kind, { UPLOAD_MAX_BYTES: String(3 * 1024 * 1024), UPLOAD_MAX_FILES: '4' }, { storage });
    server = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
    for (const [who, user] of Object.entries(staff.users))
      token[who] = (await server.request('POST', '/api/auth/login', { json: { username: user.username, password: PASSWORD } })).body.token;
  });
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  const upload = (files: Array<{ name: string; data: Buffer }>, as = 'accountantA1', village = staff.villageA1, m = month) =>
    server.request('POST', `/api/villages/${village}/months/${m}/vouchers`, { body: filesForm(files), token: token[as] });

  test('good files are accepted at once (202) and filed as processing, one result per file', async () => {
    const res = await upload([
      { name: '收据一.jpg', data: voucherFixture('v001.jpg') },
      { name: 'invoice.jpg', data: voucherFixture('v003.jpg') },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([
      { file: '收据一.jpg', id: expect.any(Number), status: 'processing' },
      { file: 'invoice.jpg', id: expect.any(Number), status: 'processing' },
    ]);
    const list = await server.request('GET', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { token: token.officialA });
    expect(list.body.vouchers.map((v: { originalName: string; status: string }) => [v.originalName, v.status])).toEqual([
      ['收据一.jpg', 'processing'],
      ['invoice.jpg', 'processing'],
    ]);
    // Originals are stored under their content hash; the client's name is only metadata.
    const keys = await env.container.storage.list('originals');
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => /^originals\/[0-9a-f]{64}$/.test(k))).toBe(true);
  });

  test('the same image again in the same village is refused with 409 naming the voucher it repeats', async () => {
    const first = (await server.request('GET', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { token: token.accountantA1 })).body.vouchers[1];
    const res = await upload([{ name: 'again.jpg', data: voucherFixture('v003.jpg') }]);
    expect(res.status).toBe(409);
    expect(res.body.results[0].error).toMatchObject({ code: 'conflict', existingVoucherId: first.id });
    expect(res.body.results[0].error.message).toContain(String(first.id));
  });

  test('one bad file does not fail the others', async () => {
    const res = await upload([
      { name: 'notes.jpg', data: Buffer.from('这不是图片，只是文字') },
      { name: 'good.png', data: await sharp(voucherFixture('v005.jpg')).png().toBuffer() },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.results[0]).toMatchObject({ file: 'notes.jpg', error: { code: 'unsupported_media_type' } });
    expect(res.body.results[0].error.message).toContain('JPEG');
    expect(res.body.results[1]).toMatchObject({ file: 'good.png', status: 'processing' });
  });

  testWithHeifEnc('WebP and HEIC (iPhone) photos are accepted by their bytes, whatever they are called', async () => {
    const dir = fs.mkdtempSync(path.join(env.tmpDir, 'heic-'));
    fs.writeFileSync(path.join(dir, 'in.jpg'), voucherFixture('v006.jpg'));
    execFileSync('heif-enc', ['-q', '50', path.join(dir, 'in.jpg'), '-o', path.join(dir, 'out.heic')]);
    const heic = fs.readFileSync(path.join(dir, 'out.heic'));
    const webp = await sharp(voucherFixture('v007.jpg')).webp().toBuffer();
    const res = await upload([
      { name: 'IMG_0001.HEIC', data: heic },
      { name: 'photo.jpg', data: webp },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['processing', 'processing']);
    const list = (await server.request('GET', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { token: token.accountantA1 })).body.vouchers;
    const byName = Object.fromEntries(list.map((v: { originalName: string; width: number }) => [v.originalName, v]));
    expect(byName['IMG_0001.HEIC']).toMatchObject({ width: 1600, height: 1200 });
  });

  test.each([
    ['an empty file', () => Buffer.alloc(0), 422, '图片无法读取'],
    ['a truncated JPEG', () => voucherFixture('v008.jpg').subarray(0, 20_000), 422, '图片无法读取'],
    ['a corrupt PNG', () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]), 422, '图片无法读取'],
    ['a decompression bomb (100000×100000 PNG)', pngBomb, 422, '像素太多'],
    ['an HTML page called .jpg', () => Buffer.from('<html><script>alert(1)</script></html>'), 415, 'JPEG'],
    ['an animated GIF', () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 415, 'JPEG'],
  ])('%s is refused with a clear message, leaving nothing behind', async (_name, make, status, message) => {
    const before = await footprint(env);
    const res = await upload([{ name: 'x.jpg', data: make() }]);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
    expect(await footprint(env)).toEqual(before);
  });

  test.each([
    ['a file over the size limit', () => upload([{ name: 'big.jpg', data: Buffer.concat([voucherFixture('v001.jpg'), Buffer.alloc(3 * 1024 * 1024)]) }]), 413],
    ['more files than allowed at once', () => upload(['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: `${n}.jpg`, data: voucherFixture('v009.jpg') }))), 413],
    ['a month written wrongly', () => upload([{ name: 'a.jpg', data: voucherFixture('v009.jpg') }], 'accountantA1', staff.villageA1, '2026-3'), 400],
    ['a month that has not come yet', () => upload([{ name: 'a.jpg', data: voucherFixture('v009.jpg') }], 'accountantA1', staff.villageA1, '2099-01'), 422],
    ["another village's accountant", () => upload([{ name: 'a.jpg', data: voucherFixture('v009.jpg') }], 'accountantA2'), 403],
    ['an official (only accountants upload)', () => upload([{ name: 'a.jpg', data: voucherFixture('v009.jpg') }], 'officialA'), 403],
    ['nobody logged in', () => server.request('POST', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { body: filesForm([{ name: 'a.jpg', data: voucherFixture('v009.jpg') }]) }), 401],
    ['JSON instead of a file upload', () => server.request('POST', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { json: { files: [] }, token: token.accountantA1 }), 415],
    ['files under another field name', () => server.request('POST', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { body: filesForm([{ name: 'a.jpg', data: voucherFixture('v009.jpg') }], 'photo'), token: token.accountantA1 }), 400],
    ['a multipart body without a boundary', () => server.request('POST', `/api/villages/${staff.villageA1}/months/${month}/vouchers`, { body: 'garbage', headers: { 'Content-Type': 'multipart/form-data' }, token: token.accountantA1 }), 400],
  ])('%s is refused (%i) and leaves nothing behind', async (_name, send, status) => {
    const before = await footprint(env);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await footprint(env)).toEqual(before);
  });
});
