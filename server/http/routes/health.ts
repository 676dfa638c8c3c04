import Router from '@koa/router';
import type { AppState } from '../state';

/** Liveness (the process answers) and readiness (the database answers too). */
export function healthRoutes(ping: () => Promise<boolean>): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const up = await ping();
    ctx.status = up ? 200 : 503;
    ctx.body = { status: up ? 'ready' : 'not_ready', database: up ? 'up' : 'down' };
  });
  return router;
}
