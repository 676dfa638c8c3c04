import Router from '@koa/router';
import type { MonthStatus } from '../../../shared/schemas/months';
import type { AuthService } from '../../services/auth-service';
import type { MonthService } from '../../services/month-service';
import { requireUser } from '../middleware/auth';
import { villageMonthParams } from '../params';
import { parseParams } from '../request-body';
import type { AppState } from '../state';

/** A village's month as its staff see it (draft, submitted, rejected with the reason, published). */
export function monthRoutes(auth: AuthService, months: MonthService): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/villages/:villageId/months/:month/status', requireUser(auth), async (ctx) => {
    const { villageId, month } = parseParams(villageMonthParams, ctx.params);
    const body: MonthStatus = await months.getStatus(ctx.state.user!, villageId, month);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
  return router;
}
