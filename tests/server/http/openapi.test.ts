import Router from '@koa/router';
import { createRouters } from '../../../server/app';
import {
  allRefs,
  documentedRoutes,
  operations,
  operationSchemas,
  registeredRoutes,
  resolvePointer,
  routeDifference,
  schemaCompiler,
  type Doc,
} from '../../helpers/openapi';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

/** A value each path parameter accepts, to call every route for real. */
const SAMPLE_PARAMS: Record<string, string> = {
  villageId: '1',
  month: '2026-03',
  id: '1',
  digest: '0'.repeat(64),
  file: `${'0'.repeat(64)}.jpg`,
};

function fillPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in SAMPLE_PARAMS)) throw new Error(`add a sample value for path parameter ${name}`);
    return SAMPLE_PARAMS[name];
  });
}

describe('GET /api/openapi.json: the HTTP contract, generated from the shared schemas', () => {
  let env: TestEnv;
  let server: TestServer;
  let doc: Doc;
  let compile: ReturnType<typeof schemaCompiler>;

  /** Checks a live answer against the schema the document gives for that operation and status. */
  function expectDocumented(method: string, path: string, response: { status: number; body: unknown }) {
    const operation = doc.paths[path]?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    const documented = operation.responses[String(response.status)];
    if (!documented) throw new Error(`${method.toUpperCase()} ${path} does not document status ${response.status}`);
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${response.status} has no JSON schema`);
    const validate = compile(schema);
    expect({ valid: validate(response.body), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  }

  beforeAll(async () => {
    env = await createTestEnv('sqlite');
    server = await startTestServer(env.container);
    const res = await server.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
    compile = schemaCompiler(doc);
  });
  afterAll(async () => {
    await server?.close();
    await env?.close();
  });

  describe('covers every route of the server', () => {
    test('every method and path registered in the routers is documented, and the document lists nothing else', () => {
      const registered = registeredRoutes(createRouters(env.container));
      expect(registered.length).toBeGreaterThan(20);
      expect(routeDifference(registered, documentedRoutes(doc))).toEqual({ undocumented: [], notRegistered: [] });
    });

    test('a route added to a router without documentation is caught', () => {
      const extra = new Router();
      extra.get('/api/undocumented/:id', (ctx) => {
        ctx.body = {};
      });
      const registered = registeredRoutes([...createRouters(env.container), extra]);
      expect(routeDifference(registered, documentedRoutes(doc)).undocumented).toContain('GET /api/undocumented/{id}');
    });

    test('the auth column holds: staff and admin routes refuse a request without a token, optional ones a bad token', async () => {
      const checked: string[] = [];
      for (const { method, path, operation } of operations(doc)) {
        const auth = operation['x-auth'];
        if (auth === 'public') continue;
        const res = await server.request(method.toUpperCase(), fillPath(path), auth === 'optional' ? { token: 'not-a-token' } : {});
        expect({ route: `${method} ${path}`, status: res.status, code: res.body?.error?.code }).toEqual({ route: `${method} ${path}`, status: 401, code: 'unauthorized' });
        expectDocumented(method, path, res);
        checked.push(`${method} ${path}`);
      }
      expect(checked.length).toBeGreaterThan(15);
    });
  });

  describe('is a valid OpenAPI 3.1 document', () => {
    test('names its version and the API, and lists the tags it uses', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.stringMatching(/^\d+\.\d+\.\d+/) }));
      const tagNames = doc.tags.map((t) => t.name);
      for (const { method, path, operation } of operations(doc))
        for (const tag of operation.tags) expect({ route: `${method} ${path}`, tagListed: tagNames.includes(tag) }).toEqual({ route: `${method} ${path}`, tagListed: true });
    });

    test('every operation has a unique operationId and at least one response, each with a description', () => {
      const ids = operations(doc).map(({ operation }) => operation.operationId);
      expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const { method, path, operation } of operations(doc)) {
        const responses = Object.entries(operation.responses);
        expect({ route: `${method} ${path}`, hasResponses: responses.length > 0 }).toEqual({ route: `${method} ${path}`, hasResponses: true });
        for (const [status, response] of responses) {
          expect(status).toMatch(/^(?:[1-5]\d\d|default)$/);
          expect(typeof response.description).toBe('string');
        }
      }
    });

    test('every $ref points at something in the document', () => {
      const refs = allRefs(doc);
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((ref) => resolvePointer(doc, ref) === undefined)).toEqual([]);
    });

    test('every {parameter} in a path is declared as a required path parameter, and no other is', () => {
      for (const { method, path, operation } of operations(doc)) {
        const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        expect({ route: `${method} ${path}`, params: declared.map((p) => p.name).sort() }).toEqual({ route: `${method} ${path}`, params: inTemplate });
        expect(declared.every((p) => p.required === true)).toBe(true);
        const keys = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`);
        expect(new Set(keys).size).toBe(keys.length);
      }
    });

    test('security: staff and admin routes need the bearer JWT, public ones nothing, optional ones either', () => {
      expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      const expected = { public: [], staff: [{ bearerAuth: [] }], admin: [{ bearerAuth: [] }], optional: [{}, { bearerAuth: [] }] };
      for (const { operation } of operations(doc)) expect(operation.security).toEqual(expected[operation['x-auth']]);
    });

    test('every schema, in components and in operations, compiles with Ajv (JSON Schema 2020-12, strict mode)', () => {
      const failures: string[] = [];
      const tryCompile = (where: string, schema: object) => {
        try {
          compile(schema);
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message}`);
        }
      };
      for (const [name, schema] of Object.entries(doc.components.schemas)) tryCompile(`components/schemas/${name}`, schema);
      for (const { method, path, operation } of operations(doc))
        for (const { where, schema } of operationSchemas(operation)) tryCompile(`${method} ${path} ${where}`, schema);
      expect(failures).toEqual([]);
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Error', 'PublishedMonth', 'StaffVoucher', 'TownList']));
    });

    test('request bodies are described as clients send them: a field with a default is optional', () => {
      const search = doc.paths['/api/search'].get.parameters!;
      expect(search.find((p) => p.name === 'q')).toMatchObject({ in: 'query', required: true });
      expect(search.find((p) => p.name === 'page')).toMatchObject({ in: 'query', required: false, schema: { default: 1 } });
      const login = compile({ $ref: '#/components/schemas/LoginRequest' });
      expect(login({ username: 'a', password: 'b' })).toBe(true);
      expect(login({ username: 'a', password: 'b', extra: 1 })).toBe(false);
    });
  });

  describe('real answers match the documented schemas', () => {
    let token: string;
    beforeAll(async () => {
      await createStaffFixture(env.container);
    });

    test('GET /healthz and /readyz', async () => {
      expectDocumented('get', '/healthz', await server.request('GET', '/healthz'));
      expectDocumented('get', '/readyz', await server.request('GET', '/readyz'));
    });

    test('GET /api/towns', async () => {
      const res = await server.request('GET', '/api/towns');
      expect(res.body.towns).toHaveLength(2);
      expectDocumented('get', '/api/towns', res);
    });

    test('POST /api/auth/login: a wrong password (401), a missing field (422), then the right one (200)', async () => {
      const wrong = await server.request('POST', '/api/auth/login', { json: { username: 'admin', password: 'wrong-password' } });
      expect(wrong.status).toBe(401);
      expectDocumented('post', '/api/auth/login', wrong);
      const missing = await server.request('POST', '/api/auth/login', { json: { username: 'admin' } });
      expect(missing.status).toBe(422);
      expectDocumented('post', '/api/auth/login', missing);
      const right = await server.request('POST', '/api/auth/login', { json: { username: 'admin', password: PASSWORD } });
      expect(right.status).toBe(200);
      expectDocumented('post', '/api/auth/login', right);
      token = right.body.token;
    });

    test('GET /api/me and GET /api/admin/users with the token', async () => {
      expectDocumented('get', '/api/me', await server.request('GET', '/api/me', { token }));
      expectDocumented('get', '/api/admin/users', await server.request('GET', '/api/admin/users', { token }));
    });

    test('a 404: a digest the chain does not hold', async () => {
      const res = await server.request('GET', `/api/chain/${'0'.repeat(64)}`);
      expect(res.status).toBe(404);
      expectDocumented('get', '/api/chain/{digest}', res);
    });

    test('the public reads that need no published month: a village, its statistics, a search', async () => {
      const villageId = (await server.request('GET', '/api/towns')).body.towns[0].villages[0].id;
      expectDocumented('get', '/api/villages/{villageId}', await server.request('GET', `/api/villages/${villageId}`));
      expectDocumented('get', '/api/villages/{villageId}/stats', await server.request('GET', `/api/villages/${villageId}/stats?year=2025`));
      expectDocumented('get', '/api/search', await server.request('GET', `/api/search?q=${encodeURIComponent('办公')}`));
      const unpublished = await server.request('GET', `/api/villages/${villageId}/months/2026-01`);
      expect(unpublished.status).toBe(404);
      expectDocumented('get', '/api/villages/{villageId}/months/{month}', unpublished);
    });

    test('the short link redirects, as documented', async () => {
      const res = await fetch(`${server.baseUrl}/m/1/2026-03`, { redirect: 'manual' });
      expect(Object.keys(doc.paths['/m/{villageId}/{month}'].get.responses)).toContain(String(res.status));
      expect(res.headers.get('location')).toBeTruthy();
    });

    test('a 400: a malformed path parameter', async () => {
      const res = await server.request('GET', '/api/villages/abc/chain');
      expect(res.status).toBe(400);
      expectDocumented('get', '/api/villages/{villageId}/chain', res);
    });
  });

  describe('caching', () => {
    test('served as JSON with a strong ETag; the same tag in If-None-Match gets 304 without a body', async () => {
      const first = await server.request('GET', '/api/openapi.json');
      expect(first.headers.get('content-type')).toMatch(/^application\/json/);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[^"]+"$/);
      const again = await server.request('GET', '/api/openapi.json', { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      const other = await server.request('GET', '/api/openapi.json', { headers: { 'If-None-Match': '"something-else"' } });
      expect(other.status).toBe(200);
      expect(other.text).toBe(first.text);
    });
  });
});
