import Router from '@koa/router';
import { statsQuerySchema } from '../../../shared/schemas/public';
import type { PublicReadService } from '../../services/public-read-service';
import { jsonSnapshot } from '../../services/public/json-snapshot';
import { canPresign, type ObjectStorage } from '../../storage/object-storage';
import { ifNoneMatchHits, sendSnapshot } from '../conditional';
import { idParams, imageFileParams, villageMonthParams, villageParams } from '../params';
import { parseParams } from '../request-body';
import type { AppState } from '../state';

/** Public, no login: published months only, each answer with a strong ETag. */
export function publicRoutes(
  reader: PublicReadService,
  storage: ObjectStorage,
  images: { delivery: 'stream' | 'redirect'; urlTtlSeconds: number } = { delivery: 'stream', urlTtlSeconds: 900 },
): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/api/villages/:villageId', async (ctx) => {
    const { villageId } = parseParams(villageParams, ctx.params);
    sendSnapshot(ctx, jsonSnapshot(await reader.village(villageId)));
  });

  router.get('/api/villages/:villageId/months/:month', async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    sendSnapshot(ctx, await reader.monthSnapshot(villageId, month));
  });

  router.get('/api/vouchers/:id/public', async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    sendSnapshot(ctx, jsonSnapshot(await reader.voucher(id)));
  });

  router.get('/api/villages/:villageId/stats', async (ctx) => {
    const { villageId } = parseParams(villageParams, ctx.params);
    const { year } = parseParams(statsQuerySchema, ctx.query);
    sendSnapshot(ctx, jsonSnapshot(await reader.stats(villageId, year)));
  });

  router.get('/api/images/:file', async (ctx) => {
    const { file } = parseParams(imageFileParams, ctx.params);
    const image = await reader.openImage(file);
    if (images.delivery === 'redirect' && canPresign(storage)) {
      // The storage serves the bytes; the link expires, so the redirect may be cached for half its life only.
      ctx.set('Cache-Control', `public, max-age=${Math.floor(images.urlTtlSeconds / 2)}`);
      ctx.redirect(await storage.presignedUrl(image.key, images.urlTtlSeconds, image.contentType));
      return;
    }
    // The address is the sha256 of the bytes: they can never change, so caches keep them for good.
    const etag = `"${image.sha256}"`;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (ifNoneMatchHits(ctx.get('If-None-Match'), etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = image.contentType;
    ctx.body = await storage.stream(image.key);
  });

  return router;
}
