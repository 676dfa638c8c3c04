import Router from '@koa/router';
import { searchQuerySchema } from '../../../shared/schemas/public';
import type { SearchService } from '../../services/search-service';
import { parseParams } from '../request-body';
import type { AppState } from '../state';

/** Public, no login: search the receipts of published months. */
export function searchRoutes(search: SearchService): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/search', async (ctx) => {
    const query = parseParams(searchQuerySchema, ctx.query);
    // Results change whenever a month is published or amended.
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await search.search(query);
  });
  return router;
}
