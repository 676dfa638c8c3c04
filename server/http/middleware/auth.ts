import type { Middleware } from 'koa';
import type { Role } from '../../../shared/schemas/users';
import { forbidden, unauthorized } from '../../errors';
import type { AuthService } from '../../services/auth-service';
import type { AppState } from '../state';

/** Staff routes: a valid, unexpired bearer token whose user still exists and is enabled. */
export function requireUser(auth: AuthService): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('请先登录');
    ctx.state.user = await auth.authenticate(match[1]);
    await next();
  };
}

/** Public routes that show more to staff: a token, when sent, must be valid; none means anonymous. */
export function optionalUser(auth: AuthService): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized('登录信息无效，请重新登录');
      ctx.state.user = await auth.authenticate(match[1]);
    }
    await next();
  };
}

/** Only after `requireUser`. Village and town boundaries are checked by the services. */
export function requireRole(...roles: Role[]): Middleware<AppState> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!user) throw unauthorized('请先登录');
    if (!roles.includes(user.role)) throw forbidden();
    await next();
  };
}
