import Router from '@koa/router';
import type { ChainService } from '../../services/chain-service';
import { digestParams, villageParams } from '../params';
import { parseParams } from '../request-body';
import type { AppState } from '../state';

/** Public, no login: anyone can follow a village's chain and check each manifest's digest. */
export function chainRoutes(chain: ChainService): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/api/villages/:villageId/chain', async (ctx) => {
    const { villageId } = parseParams(villageParams, ctx.params);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await chain.villageChain(villageId);
  });

  router.get('/api/chain/:digest', async (ctx) => {
    const { digest } = parseParams(digestParams, ctx.params);
    const bytes = await chain.manifest(digest);
    // The bytes exactly as hashed; an entry never changes, so it may be kept forever.
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('ETag', `"${digest}"`);
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = bytes;
  });
  return router;
}
