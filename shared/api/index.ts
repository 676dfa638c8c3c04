import { amendmentRoutes } from './routes/amendments';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { chainRoutes } from './routes/chain';
import { directoryRoutes } from './routes/directory';
import { metaRoutes } from './routes/meta';
import { monthRoutes } from './routes/months';
import { publicRoutes } from './routes/public';
import { reviewRoutes } from './routes/review';
import { userRoutes } from './routes/users';
import { voucherRoutes } from './routes/vouchers';
import type { RouteSpec } from './route-spec';

export type { HttpMethod, RequestBodySpec, ResponseSpec, RouteAuth, RouteSpec } from './route-spec';
export { API_TAGS, type ApiTag } from './tags';
export { namedSchemas, schemaName } from './schema-names';

/** The HTTP contract: every route of the server. A route missing here fails the OpenAPI test. */
export const apiRoutes: readonly RouteSpec[] = [
  ...publicRoutes,
  ...chainRoutes,
  ...directoryRoutes,
  ...authRoutes,
  ...voucherRoutes,
  ...monthRoutes,
  ...reviewRoutes,
  ...amendmentRoutes,
  ...auditRoutes,
  ...userRoutes,
  ...metaRoutes,
];
