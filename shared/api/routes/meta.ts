import { Health, Readiness } from '../components';
import { ETAG_HEADER, notModified } from '../responses';
import { route, type RouteSpec } from '../route-spec';

export const metaRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers',
    tag: 'meta',
    auth: 'public',
    responses: { 200: { description: 'The process is up.', json: Health } },
  }),
  route({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: the process and its database answer',
    tag: 'meta',
    auth: 'public',
    responses: {
      200: { description: 'Ready to serve.', json: Readiness },
      503: { description: 'The database does not answer.', json: Readiness },
    },
  }),
  route({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the shared zod schemas; it covers every route of the server.',
    tag: 'meta',
    auth: 'public',
    responses: {
      200: { description: 'The OpenAPI document.', media: ['application/json'], headers: ETAG_HEADER },
      304: notModified,
    },
  }),
];
