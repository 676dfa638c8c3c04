import Router from '@koa/router';
import { loginRequestSchema, type LoginResponse, type MeResponse } from '../../../shared/schemas/auth';
import type { AuthService } from '../../services/auth-service';
import { requireUser } from '../middleware/auth';
import { validBody } from '../request-body';
import type { AppState } from '../state';

export function authRoutes(auth: AuthService, jsonLimit: number): Router<AppState> {
  const router = new Router<AppState>();
  router.post('/api/auth/login', async (ctx) => {
    const { username, password } = await validBody(ctx, loginRequestSchema, jsonLimit);
    const result = await auth.login(username, password, ctx.state.requestId);
    const body: LoginResponse = { token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.user };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
  router.get('/api/me', requireUser(auth), (ctx) => {
    const body: MeResponse = { user: ctx.state.user! };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
  return router;
}
