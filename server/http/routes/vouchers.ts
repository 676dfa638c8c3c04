import Router from '@koa/router';
import type { Middleware } from 'koa';
import multer from 'multer';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { imageQuerySchema, voucherPatchSchema } from '../../../shared/schemas/vouchers';
import { AppError } from '../../errors';
import { ACCEPTED_FORMATS_TEXT } from '../../images/sniff';
import type { AuthService } from '../../services/auth-service';
import type { UploadedFile, VoucherService } from '../../services/voucher-service';
import type { ObjectStorage } from '../../storage/object-storage';
import { optionalUser, requireUser } from '../middleware/auth';
import { idParams, villageMonthParams } from '../params';
import { parseParams, validBody } from '../request-body';
import type { AppContext, AppState } from '../state';

export interface VoucherRouteOptions {
  tmpDir: string;
  maxBytes: number;
  maxFiles: number;
  /** Give up on an upload whose body stops arriving for this long. */
  idleTimeoutMs: number;
  jsonLimit: number;
  /** Limits upload requests, run once the user is known and before the body is read; none: no limit. */
  uploadRateLimit?: Middleware<AppState>;
}

/** Multer's limit errors, in words for the accountant. */
function uploadError(error: unknown, options: VoucherRouteOptions): unknown {
  const code = (error as { code?: string }).code;
  const mb = Math.round(options.maxBytes / 1024 / 1024);
  if (code === 'LIMIT_FILE_SIZE') return new AppError('payload_too_large', `每张图片最大 ${mb} MB，有图片超过了`, { cause: error });
  if (code === 'LIMIT_FILE_COUNT' || (code === 'LIMIT_UNEXPECTED_FILE' && (error as { field?: string }).field === 'files'))
    return new AppError('payload_too_large', `一次最多上传 ${options.maxFiles} 张图片`, { cause: error });
  if (code === 'LIMIT_UNEXPECTED_FILE') return new AppError('bad_request', '图片要放在名为 files 的字段里上传', { cause: error });
  if (typeof code === 'string' && code.startsWith('LIMIT_')) return new AppError('payload_too_large', '上传的内容太多了', { cause: error });
  // busboy's words for a body it cannot parse, e.g. raw control bytes in a part's header.
  if (error instanceof Error && /boundary|multipart|unexpected end|malformed/i.test(error.message))
    return new AppError('bad_request', '上传的数据不完整或格式不对，请重新上传', { cause: error });
  return error;
}

/**
 * busboy hands a plain `filename="…"` over as its raw bytes read as latin1 (browsers send UTF-8
 * there); a `filename*=UTF-8''…` (RFC 5987, some HTTP libraries) comes already decoded, and
 * decoding it again would garble it (`收据.jpg` became `6n.jpg`).
 */
function fileNameOf(received: string): string {
  if (/[^\u0000-\u00ff]/.test(received)) return received;
  const utf8 = Buffer.from(received, 'latin1').toString('utf8');
  return utf8.includes('\ufffd') ? received : utf8;
}

/**
 * Runs multer over the request, refusing the upload when its body stops arriving for
 * `idleTimeoutMs` (a phone whose network dropped, or a client holding the connection on purpose).
 * multer itself waits for a refused body to end, which a stalled one never does, so the
 * refusal does not wait for multer: the answer goes out with `Connection: close`, and closing
 * the socket makes multer drop what it was writing.
 */
function receiveFiles(ctx: AppContext, receive: ReturnType<multer.Multer['array']>, options: VoucherRouteOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const stop = () => {
      settled = true;
      clearTimeout(timer);
      ctx.req.off('data', restart);
    };
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stop();
        ctx.set('Connection', 'close');
        const seconds = Math.max(1, Math.round(options.idleTimeoutMs / 1000));
        reject(new AppError('bad_request', `上传中断了：${seconds} 秒没有收到数据，请检查网络后重新上传`));
      }, options.idleTimeoutMs);
    };
    receive(ctx.req as never, ctx.res as never, (error?: unknown) => {
      stop();
      if (error) reject(uploadError(error, options));
      else resolve();
    });
    // After multer has piped the request, so no chunk flows before it listens; multer may
    // also have answered at once (a body it cannot parse).
    if (settled) return;
    ctx.req.on('data', restart);
    restart();
  });
}

export function voucherRoutes(auth: AuthService, vouchers: VoucherService, storage: ObjectStorage, options: VoucherRouteOptions): Router<AppState> {
  const router = new Router<AppState>();
  fs.mkdirSync(options.tmpDir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({
      // Each request gets its own folder, removed when the request ends whatever happened.
      destination: (req, _file, cb) => cb(null, (req as unknown as { uploadDir: string }).uploadDir),
      filename: (_req, _file, cb) => cb(null, randomBytes(12).toString('hex')),
    }),
    limits: { fileSize: options.maxBytes, files: options.maxFiles, fields: 10, fieldSize: 4096, parts: options.maxFiles + 10 },
  });

  const uploadRateLimit: Middleware<AppState> = options.uploadRateLimit ?? ((_ctx, next) => next());
  router.post('/api/villages/:villageId/months/:month/vouchers', requireUser(auth), uploadRateLimit, async (ctx: AppContext) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    await vouchers.assertCanUpload(ctx.state.user!, villageId, month);
    if (!ctx.is('multipart/form-data'))
      throw new AppError('unsupported_media_type', `请用 multipart/form-data 上传图片（${ACCEPTED_FORMATS_TEXT}）`);
    const uploadDir = await fs.promises.mkdtemp(path.join(options.tmpDir, 'upload-'));
    (ctx.req as unknown as { uploadDir: string }).uploadDir = uploadDir;
    try {
      await receiveFiles(ctx, upload.array('files', options.maxFiles), options);
      const received = ((ctx.req as unknown as { files?: Express.Multer.File[] }).files ?? []).map(
        (f): UploadedFile => ({ path: f.path, originalName: fileNameOf(f.originalname), size: f.size }),
      );
      if (received.length === 0) throw new AppError('bad_request', '没有收到图片，请选择要上传的图片');
      const results = await vouchers.ingest(ctx.state.user!, villageId, month, received, ctx.state.requestId);
      const accepted = results.some((r) => 'id' in r);
      if (!accepted) {
        // Nothing was filed: answer with the first file's problem, and every file's result.
        const first = results.find((r) => 'error' in r) as { error: { code: string; message: string } };
        const status = first.error.code === 'unsupported_media_type' ? 415 : first.error.code === 'conflict' ? 409 : 422;
        ctx.status = status;
        ctx.body = { error: { ...first.error, requestId: ctx.state.requestId }, results };
        return;
      }
      ctx.status = 202;
      ctx.body = { results };
    } finally {
      await fs.promises.rm(uploadDir, { recursive: true, force: true });
    }
  });

  router.get('/api/villages/:villageId/months/:month/vouchers', requireUser(auth), async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { vouchers: await vouchers.listMonth(ctx.state.user!, villageId, month) };
  });

  router.get('/api/vouchers/:id', requireUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { voucher: await vouchers.get(ctx.state.user!, id) };
  });

  const updateVoucher = async (ctx: AppContext) => {
    const { id } = parseParams(idParams, ctx.params);
    const patch = await validBody(ctx, voucherPatchSchema, options.jsonLimit);
    ctx.body = { voucher: await vouchers.update(ctx.state.user!, id, patch, ctx.state.requestId) };
  };
  router.patch('/api/vouchers/:id', requireUser(auth), updateVoucher);
  // WeChat's wx.request cannot send PATCH, so the mini-program posts the same body here.
  router.post('/api/vouchers/:id', requireUser(auth), updateVoucher);

  router.delete('/api/vouchers/:id', requireUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    await vouchers.remove(ctx.state.user!, id, ctx.state.requestId);
    ctx.status = 204;
  });

  router.post('/api/vouchers/:id/reprocess', requireUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    ctx.status = 202;
    ctx.body = { voucher: await vouchers.reprocess(ctx.state.user!, id, ctx.state.requestId) };
  });

  router.get('/api/vouchers/:id/image', optionalUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    const query = parseParams(imageQuerySchema, ctx.query);
    const { key, contentType } = await vouchers.openImage(ctx.state.user ?? null, id, query.variant, query.redacted === '1');
    // Keys are content hashes, so the key itself is a strong validator.
    const etag = `"${key.split('/').pop()}"`;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = contentType;
    ctx.body = await storage.stream(key);
  });

  return router;
}
