import Router from '@koa/router';
import { amendmentRequestSchema } from '../../../shared/schemas/amendments';
import { approveRequestSchema, rejectRequestSchema } from '../../../shared/schemas/months';
import type { AmendmentService } from '../../services/amendment-service';
import type { AuthService } from '../../services/auth-service';
import { requireUser } from '../middleware/auth';
import { idParams, villageMonthParams } from '../params';
import { optionalValidBody, parseParams, validBody } from '../request-body';
import type { AppState } from '../state';

/** Corrections to published months: requested by village staff, decided by the town's officials. */
export function amendmentRoutes(auth: AuthService, amendments: AmendmentService, jsonLimit: number): Router<AppState> {
  const router = new Router<AppState>();

  router.post('/api/vouchers/:id/amendments', requireUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    const request = await validBody(ctx, amendmentRequestSchema, jsonLimit);
    ctx.status = 201;
    ctx.body = { amendment: await amendments.request(ctx.state.user!, id, request, ctx.state.requestId) };
  });

  router.post('/api/amendments/:id/approve', requireUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    const request = await optionalValidBody(ctx, approveRequestSchema, jsonLimit);
    ctx.body = { amendment: await amendments.approve(ctx.state.user!, id, request, ctx.state.requestId) };
  });

  router.post('/api/amendments/:id/reject', requireUser(auth), async (ctx) => {
    const { id } = parseParams(idParams, ctx.params);
    const request = await validBody(ctx, rejectRequestSchema, jsonLimit);
    ctx.body = { amendment: await amendments.reject(ctx.state.user!, id, request, ctx.state.requestId) };
  });

  router.get('/api/amendments/pending', requireUser(auth), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { amendments: await amendments.listPending(ctx.state.user!) };
  });

  router.get('/api/villages/:villageId/months/:month/amendments', requireUser(auth), async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { amendments: await amendments.listMonth(ctx.state.user!, villageId, month) };
  });
  return router;
}
