import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { databaseKinds } from '../../helpers/databases';
import {
  animatedGif,
  BOUNDARY,
  elfBinary,
  filesUnder,
  htmlPage,
  jpegMetadataSegments,
  jpegWithHugeExif,
  jpegZipPolyglot,
  METADATA_MARK,
  multipartBody,
  noisyJpeg,
  pdfDocument,
  photoJpeg,
  pngClaiming,
  POLYGLOT_PAYLOAD,
  readPngHeader,
  slowPost,
  svgWithScript,
  truncatedJpeg,
  ZIP_LOCAL_HEADER,
  zipEntryNames,
} from '../../helpers/hostile-corpus';
import type { HttpResponse } from '../../helpers/http-client';
import { startStaffServer, type StaffServer } from '../../helpers/review';
import { filesForm } from '../../helpers/upload';

const MAX_BYTES = 1024 * 1024;
const IDLE_MS = 600;

/** Each item of the corpus is what its name says, before anything is sent. */
describe('the hostile corpus', () => {
  test('the bomb is a well-formed PNG claiming 100000×100000 pixels', () => {
    expect(readPngHeader(pngClaiming(100_000, 100_000))).toEqual({ width: 100_000, height: 100_000, crcOk: true });
  });

  test('the truncated JPEG starts like a JPEG but its image data breaks off', async () => {
    const jpeg = await truncatedJpeg();
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    await expect(sharp(jpeg, { failOn: 'truncated' }).raw().toBuffer()).rejects.toThrow();
  });

  test('the metadata JPEG is a valid photo with three APP1 blocks of about 60 KB and GPS coordinates', async () => {
    const jpeg = await jpegWithHugeExif(1);
    const app1 = jpegMetadataSegments(jpeg).filter((s) => s.marker === 0xe1);
    expect(app1).toHaveLength(3);
    expect(app1.every((s) => s.length > 58_000)).toBe(true);
    const meta = await sharp(jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 480, height: 360 });
    expect(meta.exif!.length).toBeGreaterThan(59_000);
    // The GPS IFD pointer (tag 0x8825), in either byte order.
    expect(meta.exif!.includes(Buffer.from([0x88, 0x25])) || meta.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    await expect(sharp(jpeg, { failOn: 'truncated' }).raw().toBuffer()).resolves.toBeInstanceOf(Buffer);
  });

  test('the polyglot is both a JPEG sharp decodes and a ZIP holding a web page', async () => {
    const polyglot = await jpegZipPolyglot(1);
    expect((await sharp(polyglot).metadata()).format).toBe('jpeg');
    expect(zipEntryNames(polyglot)).toEqual(['payload.html']);
    expect(polyglot.includes(POLYGLOT_PAYLOAD)).toBe(true);
  });

  test('the GIF is animated, the ELF and PDF files start with their magic', async () => {
    expect((await sharp(await animatedGif(), { animated: true }).metadata()).pages).toBe(2);
    expect(elfBinary().subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(pdfDocument().subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

/**
 * Hostile files and requests against the real upload endpoint, as the village's accountant.
 * Every refusal is a 4xx JSON error with a Chinese message and leaves no row, no stored file
 * and no temp file behind; the server keeps answering throughout. The few hostile files that
 * are real photos are accepted, and what the public is then handed is only re-encoded pixels.
 */
describe.each(databaseKinds())('hostile uploads on %s', (kind) => {
  let t: StaffServer;
  const refusedMonth = '2025-10';
  const acceptedMonth = '2025-11';

  beforeAll(async () => {
    // This file sends one accountant's uploads faster than the per-user rate limit allows; the
    // limit has its own tests, so it is off here.
    t = await startStaffServer(kind, { UPLOAD_MAX_BYTES: String(MAX_BYTES), UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS), RATE_LIMIT_UPLOAD_PER_MINUTE: '0' });
  });
  afterAll(() => t?.close());

  const uploadPath = (month = refusedMonth) => `/api/villages/${t.staff.villageA1}/months/${month}/vouchers`;
  const upload = (files: Array<{ name: string; data: Buffer; type?: string }>, month = refusedMonth) =>
    t.server.request('POST', uploadPath(month), { body: filesForm(files), token: t.tokens.accountantA1 });
  const uploadRaw = (body: Buffer | string, contentType: string | null, month = refusedMonth) =>
    t.server.request('POST', uploadPath(month), { body, headers: contentType ? { 'Content-Type': contentType } : {}, token: t.tokens.accountantA1 });

  /** Everything a request could leave behind: the row count of every table, stored files, temp files. */
  async function footprint() {
    const counts: Record<string, number> = {};
    for (const [name, model] of Object.entries(t.env.container.models)) counts[name] = await (model as { count(): Promise<number> }).count();
    return { counts, storage: filesUnder(t.env.config.storageDir), tmp: filesUnder(t.env.config.tmpDir) };
  }

  function expectRefusal(res: HttpResponse, status: number, code: string, message: string | RegExp): void {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
  }

  async function expectServing(): Promise<void> {
    const health = await t.server.request('GET', '/healthz');
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: { status: 'ok' } });
  }

  describe('files that are not photos, or broken ones, are refused one by one', () => {
    test.each<[string, number, string, string, string, () => Promise<Buffer> | Buffer, RegExp]>([
      ['a zero-byte file', 422, 'validation_failed', 'empty.jpg', 'image/jpeg', () => Buffer.alloc(0), /文件是空的/],
      ['a truncated JPEG', 422, 'validation_failed', 'cut.jpg', 'image/jpeg', truncatedJpeg, /可能已损坏/],
      ['a PNG whose header claims 100000×100000 pixels', 422, 'validation_failed', 'bomb.png', 'image/png', () => pngClaiming(100_000, 100_000), /像素太多/],
      ['an animated GIF', 415, 'unsupported_media_type', 'moving.gif', 'image/gif', animatedGif, /JPEG、PNG、WebP 或 HEIC/],
      ['an SVG with a <script>', 415, 'unsupported_media_type', 'receipt.svg', 'image/svg+xml', svgWithScript, /JPEG、PNG、WebP 或 HEIC/],
      ['an SVG with a <script> renamed .jpg', 415, 'unsupported_media_type', 'receipt.jpg', 'image/jpeg', svgWithScript, /JPEG、PNG、WebP 或 HEIC/],
      ['an HTML page renamed .jpg', 415, 'unsupported_media_type', 'page.jpg', 'image/jpeg', htmlPage, /JPEG、PNG、WebP 或 HEIC/],
      ['an ELF executable renamed .jpg', 415, 'unsupported_media_type', 'program.jpg', 'image/jpeg', elfBinary, /JPEG、PNG、WebP 或 HEIC/],
      ['a PDF', 415, 'unsupported_media_type', 'scan.pdf', 'application/pdf', pdfDocument, /JPEG、PNG、WebP 或 HEIC/],
    ])('%s is refused (%i %s) with the file named, leaving nothing behind', async (_what, status, code, name, type, make, message) => {
      const before = await footprint();
      const res = await upload([{ name, data: await make(), type }]);
      expectRefusal(res, status, code, message);
      expect(res.body.results).toEqual([{ file: name, error: { code, message: res.body.error.message } }]);
      expect(await footprint()).toEqual(before);
      await expectServing();
    });

    test('in a mixed batch each bad file gets its own refusal and the good photo is filed', async () => {
      const good = await photoJpeg(900);
      const res = await upload([
        { name: 'page.jpg', data: htmlPage() },
        { name: 'good.jpg', data: good },
        { name: 'bomb.png', data: pngClaiming(100_000, 100_000) },
      ]);
      expect(res.status).toBe(202);
      expect(res.body.results).toEqual([
        { file: 'page.jpg', error: { code: 'unsupported_media_type', message: expect.stringContaining('JPEG') } },
        { file: 'good.jpg', id: expect.any(Number), status: 'processing' },
        { file: 'bomb.png', error: { code: 'validation_failed', message: expect.stringContaining('像素太多') } },
      ]);
      // Only the good photo is stored, under its own hash.
      const sha = createHash('sha256').update(good).digest('hex');
      expect(filesUnder(t.env.config.storageDir)).toEqual([`originals/${sha}`]);
      expect(filesUnder(t.env.config.tmpDir)).toEqual([]);
      expect((await t.server.request('DELETE', `/api/vouchers/${res.body.results[1].id}`, { token: t.tokens.accountantA1 })).status).toBe(204);
      expect(filesUnder(t.env.config.storageDir)).toEqual([]);
    });
  });

  describe('requests that are wrong as a whole are refused before any file is kept', () => {
    test.each<[string, () => Promise<HttpResponse>, number, string, RegExp]>([
      [
        '51 files in one request',
        async () => upload(await Promise.all(Array.from({ length: 51 }, async (_, i) => ({ name: `p${i}.jpg`, data: await photoJpeg(1000 + i, { width: 32, height: 24 }) })))),
        413,
        'payload_too_large',
        /一次最多上传 50 张图片/,
      ],
      [
        'a photo over the size limit',
        async () => {
          const big = await noisyJpeg(1200);
          expect(big.length).toBeGreaterThan(MAX_BYTES);
          return upload([{ name: 'big.jpg', data: big }]);
        },
        413,
        'payload_too_large',
        /每张图片最大 1 MB/,
      ],
      ['a multipart body without a boundary', () => uploadRaw(multipartBody([{ filename: 'a.jpg', data: Buffer.from('x') }]), 'multipart/form-data'), 400, 'bad_request', /格式不对/],
      [
        'a multipart body cut off before its end',
        async () => uploadRaw(multipartBody([{ filename: 'a.jpg', data: await photoJpeg(2) }]).subarray(0, 3000), `multipart/form-data; boundary=${BOUNDARY}`),
        400,
        'bad_request',
        /不完整/,
      ],
      ['a photo sent as the raw body (image/jpeg)', async () => uploadRaw(await photoJpeg(3), 'image/jpeg'), 415, 'unsupported_media_type', /multipart\/form-data/],
      ['plain text', () => uploadRaw('files=a.jpg', 'text/plain'), 415, 'unsupported_media_type', /multipart\/form-data/],
      ['a URL-encoded form', () => uploadRaw('files=a.jpg', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type', /multipart\/form-data/],
      ['JSON', () => uploadRaw('{"files":[]}', 'application/json'), 415, 'unsupported_media_type', /multipart\/form-data/],
      ['no Content-Type at all', async () => uploadRaw(await photoJpeg(4), null), 415, 'unsupported_media_type', /multipart\/form-data/],
      ['a form with no file in it', () => uploadRaw(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\n你好\r\n--${BOUNDARY}--\r\n`, `multipart/form-data; boundary=${BOUNDARY}`), 400, 'bad_request', /没有收到图片/],
      ['files under another field name', async () => uploadRaw(multipartBody([{ field: 'photo', filename: 'a.jpg', data: await photoJpeg(5) }]), `multipart/form-data; boundary=${BOUNDARY}`), 400, 'bad_request', /files/],
    ])('%s', async (_what, send, status, code, message) => {
      const before = await footprint();
      const res = await send();
      expectRefusal(res, status, code, message);
      expect(await footprint()).toEqual(before);
      await expectServing();
    });
  });

  describe('a stalled upload', () => {
    /** A multipart upload of one photo, in pieces: the first piece holds the part's header and a little of the file. */
    async function pieces(seed: number, count: number): Promise<Buffer[]> {
      const body = multipartBody([{ filename: `slow-${seed}.jpg`, data: await photoJpeg(seed) }]);
      const size = Math.ceil(body.length / count);
      return Array.from({ length: count }, (_, i) => body.subarray(i * size, (i + 1) * size));
    }
    const headers = () => ({ 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, Authorization: `Bearer ${t.tokens.accountantA1}` });

    test(`is given up after UPLOAD_IDLE_TIMEOUT_MS (${IDLE_MS} ms) without data, while the server keeps serving others`, async () => {
      const before = await footprint();
      const stalled = slowPost(t.server.baseUrl, uploadPath(), { headers: headers(), pieces: await pieces(30, 4), pauseMs: 50, stallAfter: 2, giveUpMs: 10_000 });

      // While it hangs: the server answers, and another accountant's upload goes through.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expectServing();
      const other = await t.server.request('POST', `/api/villages/${t.staff.villageA2}/months/${refusedMonth}/vouchers`, {
        body: filesForm([{ name: 'meanwhile.jpg', data: await photoJpeg(31) }]),
        token: t.tokens.accountantA2,
      });
      expect(other.status).toBe(202);

      const res = await stalled;
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('上传中断了') });
      expect(res.body.error.message).toMatch(/秒没有收到数据/);
      // Given up after the idle time, not before and not much after; the connection is closed.
      expect(res.elapsedMs).toBeGreaterThanOrEqual(IDLE_MS);
      expect(res.elapsedMs).toBeLessThan(IDLE_MS + 4000);
      expect(res.headers.connection).toBe('close');
      expect(res.closed).toBe(true);

      // Nothing of the stalled upload is left: only the other village's photo was filed.
      const after = await footprint();
      expect(after.tmp).toEqual([]);
      expect(after.counts.Voucher).toBe(before.counts.Voucher + 1);
      const list = await t.server.request('GET', uploadPath(), { token: t.tokens.accountantA1 });
      expect(list.body.vouchers).toEqual([]);
      expect((await t.server.request('DELETE', `/api/vouchers/${other.body.results[0].id}`, { token: t.tokens.accountantA2 })).status).toBe(204);
      expect(await footprint()).toMatchObject({ storage: before.storage, tmp: [] });
      await expectServing();
    });

    test('a slow upload that never pauses as long as the idle timeout gets through', async () => {
      const res = await slowPost(t.server.baseUrl, uploadPath(), { headers: headers(), pieces: await pieces(32, 8), pauseMs: IDLE_MS / 3, giveUpMs: 20_000 });
      expect(res.status).toBe(202);
      expect(res.body.results).toEqual([{ file: 'slow-32.jpg', id: expect.any(Number), status: 'processing' }]);
      expect((await t.server.request('DELETE', `/api/vouchers/${res.body.results[0].id}`, { token: t.tokens.accountantA1 })).status).toBe(204);
    });
  });

  /**
   * Real photos carrying something hostile are accepted, because they are photos: the original
   * is kept byte for byte (its sha256 is the voucher's identity and `verify` checks it), but
   * only the village's staff and the town's officials ever get it back, and everything else is
   * re-encoded from decoded pixels, so no metadata and no trailing bytes survive into it.
   */
  describe('real photos with something hostile inside are accepted and only re-encoded copies are public', () => {
    const sent: Record<string, { data: Buffer; id: number }> = {};
    let envRoot: string;

    beforeAll(async () => {
      envRoot = t.env.tmpDir;
      const files = {
        exif: { name: 'exif.jpg', data: await jpegWithHugeExif(40) },
        polyglot: { name: 'polyglot.jpg', data: await jpegZipPolyglot(41) },
        passwd: { name: '../../etc/passwd.jpg', data: await photoJpeg(42) },
        windows: { name: '..\\..\\windows\\win.ini.jpg', data: await photoJpeg(43) },
        absolute: { name: '/etc/shadow.jpg', data: await photoJpeg(44) },
      };
      const res = await t.server.request('POST', uploadPath(acceptedMonth), {
        body: multipartBody(Object.values(files).map((f) => ({ filename: f.name, data: f.data }))),
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
        token: t.tokens.accountantA1,
      });
      expect(res.status).toBe(202);
      Object.keys(files).forEach((key, i) => (sent[key] = { data: files[key as keyof typeof files].data, id: res.body.results[i].id }));
      expect(res.body.results.map((r: { file: string; status: string }) => [r.file, r.status])).toEqual([
        ['exif.jpg', 'processing'],
        ['polyglot.jpg', 'processing'],
        ['passwd.jpg', 'processing'],
        ['win.ini.jpg', 'processing'],
        ['shadow.jpg', 'processing'],
      ]);
    });

    test('a file named ../../etc/passwd.jpg is stored by its hash; the name is only metadata, without its path', async () => {
      const { vouchers } = (await t.server.request('GET', uploadPath(acceptedMonth), { token: t.tokens.accountantA1 })).body;
      expect(vouchers.map((v: { originalName: string }) => v.originalName)).toEqual(['exif.jpg', 'polyglot.jpg', 'passwd.jpg', 'win.ini.jpg', 'shadow.jpg']);
      const hashes = Object.values(sent).map((f) => createHash('sha256').update(f.data).digest('hex'));
      expect(filesUnder(t.env.config.storageDir)).toEqual(hashes.map((h) => `originals/${h}`).sort());
      // Nothing anywhere else: not beside storage or the temp folder, not where the names point.
      expect(filesUnder(t.env.config.tmpDir)).toEqual([]);
      const elsewhere = filesUnder(envRoot).filter((f) => !path.join(envRoot, f).startsWith(t.env.config.storageDir + path.sep));
      expect(elsewhere).toEqual([]);
      for (const base of [t.env.config.storageDir, path.join(t.env.config.storageDir, 'originals'), t.env.config.tmpDir, path.join(t.env.config.tmpDir, 'upload-x')])
        for (const name of ['../../etc/passwd.jpg', '../../windows/win.ini.jpg']) expect(fs.existsSync(path.resolve(base, name))).toBe(false);
      // The name is in the audit record as plain metadata too.
      const audit = await t.env.container.repositories.audit.listForSubject('voucher', String(sent.passwd.id));
      expect(audit[0]).toMatchObject({ action: 'voucher.uploaded', details: expect.objectContaining({ originalName: 'passwd.jpg' }) });
    });

    describe('once processed and published', () => {
      beforeAll(async () => {
        await t.env.container.createJobRunner().drain();
        const { vouchers } = (await t.server.request('GET', uploadPath(acceptedMonth), { token: t.tokens.accountantA1 })).body;
        for (const v of vouchers) {
          expect({ file: v.originalName, status: v.status }).toEqual({ file: v.originalName, status: 'ready' });
          const open = v.flags.filter((f: { acknowledged: boolean }) => !f.acknowledged).map((f: { type: string }) => f.type);
          if (open.length)
            expect((await t.server.request('PATCH', `/api/vouchers/${v.id}`, { json: { version: v.version, acknowledgeFlags: open }, token: t.tokens.accountantA1 })).status).toBe(200);
        }
        expect((await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${acceptedMonth}/submit`, { token: t.tokens.accountantA1 })).status).toBe(200);
        expect((await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${acceptedMonth}/approve`, { token: t.tokens.officialA })).status).toBe(200);
      }, 180_000);

      /** Every image the public can fetch for a voucher: by the month page's URLs and by the voucher's image route. */
      async function publicImages(id: number): Promise<Array<{ url: string; type: string; bytes: Buffer }>> {
        const month = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/${acceptedMonth}`)).body;
        const voucher = month.vouchers.find((v: { id: number }) => v.id === id);
        const urls = [voucher.imageUrl, voucher.thumbUrl, `/api/vouchers/${id}/image?variant=display`, `/api/vouchers/${id}/image?variant=thumb`];
        const images = [];
        for (const url of urls) {
          const res = await fetch(t.server.baseUrl + url);
          expect({ url, status: res.status }).toEqual({ url, status: 200 });
          images.push({ url, type: res.headers.get('content-type')!, bytes: Buffer.from(await res.arrayBuffer()) });
        }
        return images;
      }

      test('the photo with 180 KB of EXIF, XMP and GPS: no public copy carries any of it', async () => {
        for (const image of await publicImages(sent.exif.id)) {
          const meta = await sharp(image.bytes).metadata();
          expect({ url: image.url, exif: meta.exif, xmp: meta.xmp, comments: meta.comments, icc: meta.icc }).toEqual({ url: image.url, exif: undefined, xmp: undefined, comments: undefined, icc: undefined });
          expect(image.bytes.includes(METADATA_MARK)).toBe(false);
          expect(image.bytes.includes('13912345678')).toBe(false);
          expect(image.bytes.length).toBeLessThan(60_000);
        }
      });

      test('the JPEG with a ZIP appended: public copies are plain re-encoded images without the archive', async () => {
        for (const image of await publicImages(sent.polyglot.id)) {
          expect(image.type).toMatch(/^image\/(jpeg|webp)$/);
          expect(image.bytes.includes(ZIP_LOCAL_HEADER)).toBe(false);
          expect(image.bytes.includes(POLYGLOT_PAYLOAD)).toBe(false);
          expect(zipEntryNames(image.bytes)).toEqual([]);
          expect((await sharp(image.bytes).metadata()).format).toMatch(/^(jpeg|webp)$/);
        }
      });

      test('the originals, archive and metadata included, are refused to the public and given to staff only as image/jpeg, nosniff', async () => {
        for (const key of ['exif', 'polyglot'] as const) {
          const { id, data } = sent[key];
          for (const query of ['variant=original', 'variant=display&redacted=0', 'variant=thumb&redacted=0']) {
            const anonymous = await t.server.request('GET', `/api/vouchers/${id}/image?${query}`);
            expectRefusal(anonymous, 403, 'forbidden', /原图只有本村和本镇的工作人员可以看/);
          }
          const staff = await fetch(`${t.server.baseUrl}/api/vouchers/${id}/image?variant=original`, { headers: { Authorization: `Bearer ${t.tokens.accountantA1}` } });
          expect(staff.status).toBe(200);
          expect(staff.headers.get('content-type')).toBe('image/jpeg');
          expect(staff.headers.get('x-content-type-options')).toBe('nosniff');
          expect(Buffer.from(await staff.arrayBuffer()).equals(data)).toBe(true);
        }
      });
    });
  });

  describe('file names', () => {
    const sendNamed = async (filename: string, seed: number, how: 'browser' | 'raw' | 'rfc5987') =>
      how === 'browser'
        ? // As a browser writes it: CR, LF and " escaped as %0D, %0A, %22 (multer turns them back).
          upload([{ name: filename, data: await photoJpeg(seed) }], '2025-09')
        : t.server.request('POST', uploadPath('2025-09'), {
            body: multipartBody([{ filename, data: await photoJpeg(seed), rfc5987: how === 'rfc5987' }]),
            headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
            token: t.tokens.accountantA1,
          });

    test('line breaks, invisible and right-to-left characters and 300 characters: the name is cleaned and cut to 255, the answer is valid JSON', async () => {
      const hostileName = `收据\r\n"红\u0085\u200b色\u202egpj.exe\u2028\ufeff${'长'.repeat(300)}.jpg`;
      const res = await sendNamed(hostileName, 50, 'browser');
      expect(res.status).toBe(202);
      expect(() => JSON.parse(res.text)).not.toThrow();
      const expected = `收据"红色gpj.exe${'长'.repeat(300)}`.slice(0, 255);
      expect(res.body.results).toEqual([{ file: expected, id: expect.any(Number), status: 'processing' }]);
      const saved = (await t.server.request('GET', `/api/vouchers/${res.body.results[0].id}`, { token: t.tokens.accountantA1 })).body.voucher;
      expect(saved.originalName).toBe(expected);
      expect(saved.originalName).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}]/u);
      const audit = await t.env.container.repositories.audit.listForSubject('voucher', String(saved.id));
      expect(audit[0].details).toMatchObject({ originalName: expected });
    });

    test('a name of four-byte characters is cut between characters, never inside one', async () => {
      const res = await sendNamed(`${'𠮷'.repeat(300)}.jpg`, 51, 'raw');
      expect(res.status).toBe(202);
      expect(res.body.results[0].file).toBe('𠮷'.repeat(255));
      const saved = (await t.server.request('GET', `/api/vouchers/${res.body.results[0].id}`, { token: t.tokens.accountantA1 })).body.voucher;
      expect(saved.originalName).toBe('𠮷'.repeat(255));
    });

    test.each([
      ['收据 2025年9月.jpg', 60],
      ['café.jpg', 61],
      ['../../etc/passwd.jpg', 62],
    ])('%s sent as an RFC 5987 filename* keeps its characters (without a path)', async (name, seed) => {
      const res = await sendNamed(name, seed, 'rfc5987');
      expect(res.status).toBe(202);
      expect(res.body.results[0].file).toBe(name.split('/').pop());
    });

    test.each([
      ['a control byte', 'a\u0001b.jpg'],
      ['an escape sequence', '收据\u001b[31m红.jpg'],
      ['a DEL', 'a\u007f.jpg'],
      ['a NUL', 'a\u0000.jpg'],
    ])('%s written raw into the part header is refused as a malformed upload (400), leaving nothing behind', async (_what, filename) => {
      const before = await footprint();
      const res = await sendNamed(filename, 52, 'raw');
      expectRefusal(res, 400, 'bad_request', /上传的数据不完整或格式不对/);
      expect(await footprint()).toEqual(before);
      await expectServing();
    });
  });

  test('after all of it: nothing in the temp folder, and a normal photo still goes through', async () => {
    expect(filesUnder(t.env.config.tmpDir)).toEqual([]);
    const res = await upload([{ name: '正常的收据.jpg', data: await photoJpeg(99) }]);
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([{ file: '正常的收据.jpg', id: expect.any(Number), status: 'processing' }]);
    await expectServing();
  });
});
