import type Router from '@koa/router';
import Koa from 'koa';
import type { Container } from './container';
import { cors } from './http/middleware/cors';
import { errorHandler } from './http/middleware/error-handler';
import { loginRateLimit, uploadRateLimit } from './http/middleware/rate-limit';
import { requestContext } from './http/middleware/request-context';
import { securityHeaders } from './http/middleware/security-headers';
import { staticWeb } from './http/middleware/static-web';
import { amendmentRoutes } from './http/routes/amendments';
import { auditRoutes } from './http/routes/audit';
import { authRoutes } from './http/routes/auth';
import { chainRoutes } from './http/routes/chain';
import { directoryRoutes } from './http/routes/directory';
import { healthRoutes } from './http/routes/health';
import { monthRoutes } from './http/routes/months';
import { openDataRoutes } from './http/routes/open-data';
import { openApiRoutes } from './http/routes/openapi';
import { publicRoutes } from './http/routes/public';
import { reviewRoutes } from './http/routes/review';
import { searchRoutes } from './http/routes/search';
import { userRoutes } from './http/routes/users';
import { voucherRoutes } from './http/routes/vouchers';
import type { AppState } from './http/state';

/** Composes middleware and routers; all rules live in the services the container built. */
export function createApp(container: Container): Koa<AppState> {
  const app = new Koa<AppState>();
  app.silent = true; // errors are logged by errorHandler with the request id
  // Behind TRUST_PROXY reverse proxies, ctx.ip is the address the outermost of them saw and
  // ctx.secure follows X-Forwarded-Proto; otherwise both come from the socket.
  app.proxy = container.config.trustProxy > 0;
  app.maxIpsCount = container.config.trustProxy;

  app.use(requestContext(container.logger));
  const { config } = container;
  const imageOrigins = config.publicImageDelivery === 'redirect' && config.s3?.publicEndpoint ? [new URL(config.s3.publicEndpoint).origin] : [];
  app.use(securityHeaders({ hstsMaxAgeSeconds: config.hstsMaxAgeSeconds, imageOrigins }));
  app.use(errorHandler());
  // Before the routers, whose allowedMethods would answer a preflight without CORS headers.
  app.use(cors({ origins: container.config.corsOrigins }));
  app.use(loginRateLimit(container.config.rateLimitLoginPerMinute, container.clock));
  for (const router of createRouters(container)) app.use(router.routes()).use(router.allowedMethods({ throw: false }));

  app.use(staticWeb(container.config.webDir));
  return app;
}

/** Every router of the server, in order; exported so a test can check their routes against the OpenAPI contract. */
export function createRouters(container: Container): Router<AppState>[] {
  const { config, services } = container;
  return [
    healthRoutes(() => container.ping()),
    openApiRoutes(),
    authRoutes(services.auth, config.jsonBodyLimitBytes),
    directoryRoutes(services.directory),
    userRoutes(services.auth, services.users, config.jsonBodyLimitBytes),
    monthRoutes(services.auth, services.months),
    reviewRoutes(services.auth, services.review, config.jsonBodyLimitBytes),
    amendmentRoutes(services.auth, services.amendments, config.jsonBodyLimitBytes),
    chainRoutes(services.chain),
    searchRoutes(services.search),
    publicRoutes(services.publicRead, container.storage, {
      delivery: container.config.publicImageDelivery,
      urlTtlSeconds: container.config.publicImageUrlTtlSeconds,
    }),
    openDataRoutes(services.openData),
    auditRoutes(services.auth, services.auditLog),
    voucherRoutes(services.auth, services.vouchers, container.storage, {
      tmpDir: config.tmpDir,
      maxBytes: config.uploadMaxBytes,
      maxFiles: config.uploadMaxFiles,
      idleTimeoutMs: config.uploadIdleTimeoutMs,
      jsonLimit: config.jsonBodyLimitBytes,
      uploadRateLimit: uploadRateLimit(config.rateLimitUploadPerMinute, container.clock),
    }),
  ];
}
