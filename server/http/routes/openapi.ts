import Router from '@koa/router';
import { sendSnapshot } from '../conditional';
import { openApiDocument } from '../openapi/document';
import type { AppState } from '../state';

/** Public: the OpenAPI 3.1 document of this server, built once from the shared contract. */
export function openApiRoutes(): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/openapi.json', (ctx) => {
    // It changes only with a new release, but clients should notice one: keep, and ask each time.
    sendSnapshot(ctx, openApiDocument(), 'public, no-cache');
  });
  return router;
}
