import type { Middleware } from 'koa';
import { AppError } from '../../errors';
import type { AppState } from '../state';

export interface CorsOptions {
  /** Exact origins (`https://host[:port]`, as browsers send them) allowed to call from their pages; empty: none. */
  origins: readonly string[];
  /** How long a browser may reuse a preflight answer. */
  maxAgeSeconds?: number;
}

export const ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
export const ALLOWED_HEADERS = 'Authorization, Content-Type, If-None-Match, X-Request-Id';
/** Response headers a cross-origin page may read besides the simple ones. */
export const EXPOSED_HEADERS = 'ETag, Retry-After, X-Request-Id, Content-Disposition';

/**
 * Cross-origin access for the configured origins only. Staff log in with a bearer token, never
 * a cookie, so credentials are not allowed. An allowed origin gets its own origin echoed; any
 * other gets no CORS header, so its pages cannot read our answers, and its preflight (which
 * would precede a write) is refused with 403. Preflights are answered here, before the routers,
 * whose `allowedMethods` would otherwise answer OPTIONS with no CORS headers.
 */
export function cors(options: CorsOptions): Middleware<AppState> {
  const allowed = new Set(options.origins);
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return async (ctx, next) => {
    // Answers differ by Origin only when some origin is allowed; shared caches must keep them apart.
    if (allowed.size > 0) ctx.vary('Origin');
    const origin = ctx.get('Origin');
    if (!origin) return next();
    const isAllowed = allowed.has(origin);
    const isPreflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (isPreflight) {
      if (!isAllowed) throw new AppError('forbidden', '这个网站不能访问一眼明的接口');
      ctx.vary('Access-Control-Request-Method');
      ctx.vary('Access-Control-Request-Headers');
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      ctx.set('Access-Control-Max-Age', maxAge);
      ctx.status = 204;
      return;
    }
    if (isAllowed) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    await next();
  };
}
