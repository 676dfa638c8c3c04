import type { ZodType } from 'zod';
import type { ApiTag } from './tags';
import { BAD_REQUEST_WITH_BODY, errorResponse, errorResponses, type ErrorStatus } from './responses';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone; any logged-in staff member (the services then check village and
 * town); admins only; or anyone, with more shown to staff who send their token.
 */
export type RouteAuth = 'public' | 'staff' | 'admin' | 'optional';

export interface ResponseSpec {
  /** English, for the reader of the documentation. */
  description: string;
  /** A JSON body, described by its shared schema (as the server sends it: zod's output side). */
  json?: ZodType;
  /** Non-JSON bodies, by media type: `text/csv`, `application/pdf`, `image/webp`, … */
  media?: readonly string[];
  /** Response headers worth knowing, by name → what they carry. */
  headers?: Readonly<Record<string, string>>;
}

export type RequestBodySpec =
  /** A JSON body, described by its shared schema (as the client sends it: zod's input side). */
  | { json: ZodType; required?: boolean; description?: string }
  /** A multipart/form-data upload whose files arrive under `field`. */
  | { multipart: { field: string; description: string } };

/** One route of the HTTP contract. */
export interface RouteSpec {
  method: HttpMethod;
  /** Koa style, as registered in the router: `/api/villages/:villageId/months/:month`. */
  path: string;
  operationId: string;
  /** English, one line. */
  summary: string;
  description?: string;
  tag: ApiTag;
  auth: RouteAuth;
  /** A zod object over the path parameters (strings, as the URL carries them). */
  params?: ZodType;
  /** A zod object over the query string. */
  query?: ZodType;
  body?: RequestBodySpec;
  /** By status code. A 304 among them makes the route take If-None-Match. */
  responses: Readonly<Record<number, ResponseSpec>>;
}

/**
 * A route with the error responses every route of its kind can give: 400 for a malformed
 * parameter, 401 for a missing or bad token, 403 for a non-admin on an admin route, and
 * 400/413/415/422 for a body. Responses given in `spec` win over these.
 */
export function route(spec: RouteSpec): RouteSpec {
  const statuses = new Set<ErrorStatus>();
  if (spec.params || spec.query) statuses.add(400);
  if (spec.auth !== 'public') statuses.add(401);
  if (spec.auth === 'admin') statuses.add(403);
  if (spec.body) for (const status of 'json' in spec.body ? ([413, 415, 422] as const) : ([413, 415] as const)) statuses.add(status);
  const badRequest: Record<number, ResponseSpec> = spec.body ? { 400: errorResponse(400, BAD_REQUEST_WITH_BODY) } : {};
  return { ...spec, responses: { ...errorResponses(...statuses), ...badRequest, ...spec.responses } };
}
