import type { ZodType } from 'zod';
import type { RequestBodySpec, ResponseSpec, RouteAuth, RouteSpec } from '../../../shared/api';
import { API_TAGS } from '../../../shared/api';
import { unexpectedError } from '../../../shared/api/responses';
import { inputJsonSchema, JsonSchemaSet, type JsonSchema } from './json-schemas';
import { koaPathParams, toOpenApiPath } from './paths';

export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, unknown>> };

export interface DocumentInfo {
  title: string;
  version: string;
  description?: string;
}

const BEARER = 'bearerAuth';

/** Who may call: none, the bearer token, or either (a token shows more when sent). */
const SECURITY: Record<RouteAuth, unknown[]> = {
  public: [],
  optional: [{}, { [BEARER]: [] }],
  staff: [{ [BEARER]: [] }],
  admin: [{ [BEARER]: [] }],
};

const IF_NONE_MATCH = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'The ETag of the copy the client holds; when it still matches, the answer is 304 without a body.',
  schema: { type: 'string' },
};

/** An OpenAPI 3.1 document for `routes`, every schema taken from the shared zod schemas. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], info: DocumentInfo, names: { all: ReadonlyMap<string, ZodType>; of: (schema: ZodType) => string | undefined }): OpenApiDocument {
  const schemas = new JsonSchemaSet(names.all, names.of);
  const seenIds = new Set<string>();
  const seenRoutes = new Set<string>();
  // Operations are assembled after every schema use is known, since conversion runs once for all.
  const pending: Array<{ path: string; method: string; finish: () => Record<string, unknown> }> = [];

  for (const spec of routes) {
    if (seenIds.has(spec.operationId)) throw new Error(`operationId ${spec.operationId} is used twice`);
    seenIds.add(spec.operationId);
    const key = `${spec.method.toUpperCase()} ${spec.path}`;
    if (seenRoutes.has(key)) throw new Error(`${key} is described twice`);
    seenRoutes.add(key);

    const parameters = [...pathParameters(spec), ...queryParameters(spec.query), ...(spec.responses[304] ? [IF_NONE_MATCH] : [])];
    const body = spec.body ? requestBody(spec.body, schemas) : undefined;
    const responses = Object.entries(spec.responses).map(([status, response]) => [status, responseObject(response, schemas)] as const);
    const unexpected = responseObject(unexpectedError, schemas);

    pending.push({
      path: toOpenApiPath(spec.path),
      method: spec.method,
      finish: () => ({
        operationId: spec.operationId,
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        tags: [spec.tag],
        'x-auth': spec.auth,
        security: SECURITY[spec.auth],
        ...(parameters.length ? { parameters } : {}),
        ...(body ? { requestBody: body() } : {}),
        responses: { ...Object.fromEntries(responses.map(([status, finish]) => [status, finish()])), default: unexpected() },
      }),
    });
  }

  const components = schemas.convert();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { path, method, finish } of pending) (paths[path] ??= {})[method] = finish();

  const usedTags = new Set(routes.map((r) => r.tag));
  return {
    openapi: '3.1.0',
    info,
    tags: Object.entries(API_TAGS)
      .filter(([name]) => usedTags.has(name as keyof typeof API_TAGS))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: referencedOnly(components, paths),
      securitySchemes: { [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token from POST /api/auth/login.' } },
    },
  };
}

function pathParameters(spec: RouteSpec): unknown[] {
  const inPath = koaPathParams(spec.path);
  const json = spec.params ? objectSchema(spec.params, `${spec.operationId} params`) : { properties: {}, required: [] };
  const declared = Object.keys(json.properties);
  const missing = inPath.filter((name) => !declared.includes(name));
  const extra = declared.filter((name) => !inPath.includes(name));
  if (missing.length || extra.length)
    throw new Error(`${spec.operationId}: path ${spec.path} and its params schema disagree (missing ${missing.join(',') || '-'}, extra ${extra.join(',') || '-'})`);
  return inPath.map((name) => ({ name, in: 'path', required: true, schema: json.properties[name] }));
}

function queryParameters(query: ZodType | undefined): unknown[] {
  if (!query) return [];
  const json = objectSchema(query, 'query');
  return Object.entries(json.properties).map(([name, schema]) => ({ name, in: 'query', required: json.required.includes(name), schema }));
}

function objectSchema(schema: ZodType, what: string): { properties: Record<string, JsonSchema>; required: string[] } {
  const json = inputJsonSchema(schema);
  if (json.type !== 'object' || typeof json.properties !== 'object') throw new Error(`${what} must be a zod object`);
  return { properties: json.properties as Record<string, JsonSchema>, required: (json.required as string[] | undefined) ?? [] };
}

function requestBody(body: RequestBodySpec, schemas: JsonSchemaSet): () => Record<string, unknown> {
  if ('multipart' in body) {
    const { field, description } = body.multipart;
    const schema = {
      type: 'object',
      properties: { [field]: { type: 'array', minItems: 1, items: { type: 'string', contentMediaType: 'application/octet-stream' } } },
      required: [field],
    };
    return () => ({ required: true, description, content: { 'multipart/form-data': { schema } } });
  }
  const schema = schemas.use(body.json, 'input');
  return () => ({
    required: body.required ?? true,
    ...(body.description ? { description: body.description } : {}),
    content: { 'application/json': { schema: schema() } },
  });
}

function responseObject(response: ResponseSpec, schemas: JsonSchemaSet): () => Record<string, unknown> {
  const schema = response.json ? schemas.use(response.json, 'output') : undefined;
  const headers = response.headers
    ? Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]))
    : undefined;
  return () => {
    const content: Record<string, unknown> = {};
    if (schema) content['application/json'] = { schema: schema() };
    // Bytes (images, PDF, CSV): the media type says it all, so no schema.
    for (const type of response.media ?? []) content[type] = {};
    return {
      description: response.description,
      ...(headers ? { headers } : {}),
      ...(Object.keys(content).length ? { content } : {}),
    };
  };
}

/** Keeps the components some operation reaches, directly or through other components. */
function referencedOnly(components: Record<string, JsonSchema>, paths: unknown): Record<string, JsonSchema> {
  const kept = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')) {
          const name = inner.slice('#/components/schemas/'.length);
          if (!kept.has(name)) {
            kept.add(name);
            visit(components[name]);
          }
        } else visit(inner);
      }
    }
  };
  visit(paths);
  return Object.fromEntries(Object.keys(components).filter((name) => kept.has(name)).sort().map((name) => [name, components[name]]));
}
