import Router from '@koa/router';
import { approveRequestSchema, rejectRequestSchema, type MonthStatus, type ReviewQueueItem } from '../../../shared/schemas/months';
import type { AuthService } from '../../services/auth-service';
import type { ReviewService } from '../../services/review-service';
import { requireUser } from '../middleware/auth';
import { villageMonthParams } from '../params';
import { optionalValidBody, parseParams, validBody } from '../request-body';
import type { AppState } from '../state';

/** A month's way to publication: submit (accountant), approve or reject (town official), and the officials' queue. */
export function reviewRoutes(auth: AuthService, review: ReviewService, jsonLimit: number): Router<AppState> {
  const router = new Router<AppState>();
  const base = '/api/villages/:villageId/months/:month';

  router.post(`${base}/submit`, requireUser(auth), async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    const body: MonthStatus = await review.submit(ctx.state.user!, villageId, month, ctx.state.requestId);
    ctx.body = body;
  });

  router.post(`${base}/approve`, requireUser(auth), async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    const request = await optionalValidBody(ctx, approveRequestSchema, jsonLimit);
    const body: MonthStatus = await review.approve(ctx.state.user!, villageId, month, request, ctx.state.requestId);
    ctx.body = body;
  });

  router.post(`${base}/reject`, requireUser(auth), async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    const request = await validBody(ctx, rejectRequestSchema, jsonLimit);
    const body: MonthStatus = await review.reject(ctx.state.user!, villageId, month, request, ctx.state.requestId);
    ctx.body = body;
  });

  router.get('/api/review-queue', requireUser(auth), async (ctx) => {
    const months: ReviewQueueItem[] = await review.queue(ctx.state.user!);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { months };
  });
  return router;
}
