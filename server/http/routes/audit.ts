import Router from '@koa/router';
import { auditQuerySchema } from '../../../shared/schemas/audit';
import type { AuditService } from '../../services/audit-service';
import type { AuthService } from '../../services/auth-service';
import { requireUser } from '../middleware/auth';
import { parseParams } from '../request-body';
import type { AppState } from '../state';

/** The audit log: admins see everything, officials their town's villages. */
export function auditRoutes(auth: AuthService, auditLog: AuditService): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/audit', requireUser(auth), async (ctx) => {
    const query = parseParams(auditQuerySchema, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await auditLog.list(ctx.state.user!, query);
  });
  return router;
}
