import type Router from '@koa/router';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { toOpenApiPath } from '../../server/http/openapi/paths';

export type Doc = {
  openapi: string;
  info: { title: string; version: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, Record<string, unknown>> };
};
export type Operation = {
  operationId: string;
  tags: string[];
  'x-auth': 'public' | 'staff' | 'admin' | 'optional';
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required: boolean; schema: object }>;
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { description: string; headers?: Record<string, { schema: object }>; content?: Record<string, { schema?: object }> }>;
};

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `GET /api/towns`, … for every operation of the document. */
export function operations(doc: Doc): Array<{ method: string; path: string; operation: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** `GET /api/villages/{villageId}` for every method and path the routers answer (HEAD comes with GET). */
export function registeredRoutes(routers: Router<any>[]): string[] {
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${toOpenApiPath(String(layer.path))}`)),
  );
}

export function documentedRoutes(doc: Doc): string[] {
  return operations(doc).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
}

/** Routes registered but not documented, and documented but not registered. */
export function routeDifference(registered: string[], documented: string[]) {
  return {
    undocumented: registered.filter((r) => !documented.includes(r)).sort(),
    notRegistered: documented.filter((d) => !registered.includes(d)).sort(),
  };
}

/** Follows a local `#/…` JSON pointer into the document; undefined when it leads nowhere. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function allRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allRefs);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : allRefs(inner)));
  return [];
}

/** Every JSON Schema written in an operation: parameters, request bodies, responses and their headers. */
export function operationSchemas(operation: Operation): Array<{ where: string; schema: object }> {
  const found: Array<{ where: string; schema: object }> = [];
  for (const p of operation.parameters ?? []) found.push({ where: `parameter ${p.in} ${p.name}`, schema: p.schema });
  for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) if (media.schema) found.push({ where: `request ${type}`, schema: media.schema });
  for (const [status, response] of Object.entries(operation.responses)) {
    for (const [type, media] of Object.entries(response.content ?? {})) if (media.schema) found.push({ where: `response ${status} ${type}`, schema: media.schema });
    for (const [name, header] of Object.entries(response.headers ?? {})) found.push({ where: `response ${status} header ${name}`, schema: header.schema });
  }
  return found;
}

const COMPONENTS_ID = 'https://yiyanming.invalid/components.json';

/**
 * Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) in strict mode, with the document's
 * components loaded so `#/components/schemas/…` references resolve.
 */
export function schemaCompiler(doc: Doc): (schema: object) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const pointAtComponents = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(pointAtComponents);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [
          key,
          key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', `${COMPONENTS_ID}#/$defs/`) : pointAtComponents(inner),
        ]),
      );
    return value;
  };
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointAtComponents(doc.components.schemas) as object });
  return (schema) => ajv.compile(pointAtComponents(schema) as object);
}
