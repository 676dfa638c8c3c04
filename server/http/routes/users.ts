import Router from '@koa/router';
import { createUserRequestSchema } from '../../../shared/schemas/users';
import type { AuthService } from '../../services/auth-service';
import type { UserService } from '../../services/user-service';
import { requireRole, requireUser } from '../middleware/auth';
import { validBody } from '../request-body';
import type { AppState } from '../state';

/** Staff accounts, managed by admins. */
export function userRoutes(auth: AuthService, users: UserService, jsonLimit: number): Router<AppState> {
  const router = new Router<AppState>();
  router.use('/api/admin', requireUser(auth), requireRole('admin'));
  router.get('/api/admin/users', async (ctx) => {
    ctx.body = { users: await users.listUsers() };
  });
  router.post('/api/admin/users', async (ctx) => {
    const request = await validBody(ctx, createUserRequestSchema, jsonLimit);
    ctx.status = 201;
    ctx.body = { user: await users.createUser(request, ctx.state.user!, ctx.state.requestId) };
  });
  return router;
}
