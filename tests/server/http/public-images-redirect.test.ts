import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { publishMonth } from '../../helpers/publish';
import { startStaffServer, type StaffServer } from '../../helpers/review';
import { s3TestServer } from '../../helpers/s3-server';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const server = s3TestServer();

/**
 * With PUBLIC_IMAGE_DELIVERY=redirect the API checks that an image is public, then sends the
 * phone to a short-lived presigned link on the storage, which serves the bytes itself.
 */
(server ? describe : describe.skip)('public images served by redirect to presigned S3 links', () => {
  let t: StaffServer;
  let month: { vouchers: Array<{ imageUrl: string; thumbUrl: string }> };

  beforeAll(async () => {
    t = await startStaffServer('sqlite', { PUBLIC_IMAGE_DELIVERY: 'redirect', PUBLIC_IMAGE_URL_TTL_SECONDS: '600' }, 's3');
    await publishMonth(t, t.staff.villageA1, '2026-05', [{ amountFen: 12_345, payee: '镇农资店' }]);
    month = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/2026-05`)).body;
  }, 120_000);
  afterAll(() => t?.close(), 60_000);

  test('the image address answers 302 to a signed link on the storage that expires, cached for half its life', async () => {
    for (const url of [month.vouchers[0].imageUrl, month.vouchers[0].thumbUrl]) {
      const res = await fetch(t.server.baseUrl + url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const location = new URL(res.headers.get('location')!);
      expect(location.origin).toBe(new URL(server!.endpoint).origin);
      expect(location.searchParams.get('X-Amz-Expires')).toBe('600');
      expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('following it gives the same bytes, whose sha256 is the address, with the right type', async () => {
    for (const [url, type] of [[month.vouchers[0].imageUrl, 'image/jpeg'], [month.vouchers[0].thumbUrl, 'image/webp']]) {
      const res = await fetch(t.server.baseUrl + url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(url).toContain(sha256(Buffer.from(await res.arrayBuffer())));
    }
  });

  test('images that are not public are still refused by the API itself (no link is handed out)', async () => {
    const res = await fetch(`${t.server.baseUrl}/api/images/${'0'.repeat(64)}.webp`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  test("the app's pages may show and fetch images from the storage's origin, and only from there besides their own", async () => {
    fs.mkdirSync(t.env.config.webDir, { recursive: true });
    fs.writeFileSync(path.join(t.env.config.webDir, 'index.html'), '<!doctype html><title>一眼明</title>');
    const policy = (await fetch(`${t.server.baseUrl}/`)).headers.get('content-security-policy')!;
    const origin = new URL(server!.endpoint).origin;
    expect(policy).toContain(`img-src 'self' blob: data: ${origin}`);
    expect(policy).toContain(`connect-src 'self' ${origin}`);
    expect(policy).toMatch(/script-src 'self'(;|$| 'sha256)/);
  });
});
