import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

describe.each(databaseKinds())('bad input gets a clear error and changes nothing, on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let staff: StaffFixture;
  let admin: string;

  beforeAll(async () => {
    env = await createTestEnv(kind, { JSON_BODY_LIMIT_BYTES: '2048' });
    server = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
    admin = (await server.request('POST', '/api/auth/login', { json: { username: 'admin', password: PASSWORD } })).body.token;
  });
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  /** Row counts of every table: a refused request must leave them all as they were. */
  async function snapshot() {
    const { models } = env.container;
    const counts: Record<string, number> = {};
    for (const [name, model] of Object.entries(models)) counts[name] = await (model as { count(): Promise<number> }).count();
    return counts;
  }

  const post = (path: string, body: string | Buffer, type = 'application/json') =>
    server.request('POST', path, { body, headers: { 'Content-Type': type }, token: admin });

  test.each([
    ['malformed JSON', () => post('/api/admin/users', '{"username": "x",'), 400, 'invalid_json'],
    ['an empty body', () => post('/api/admin/users', ''), 400, 'invalid_json'],
    ['a body over the limit', () => post('/api/admin/users', JSON.stringify({ username: 'x'.repeat(10_000) })), 413, 'payload_too_large'],
    ['a form instead of JSON', () => post('/api/admin/users', 'username=x', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
    ['an unknown API route', () => server.request('GET', '/api/no-such-thing'), 404, 'not_found'],
    ['an unknown page without the H5 build', () => server.request('GET', '/no/such/page'), 404, 'not_found'],
    ['a method the route does not take', () => server.request('DELETE', '/api/towns'), 405, 'method_not_allowed'],
  ])('%s', async (_name, send, status, code) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect(await snapshot()).toEqual(before);
  });

  test.each([
    ['a missing field', { password: 'long-enough-pw', displayName: '会计', role: 'accountant', villageId: 1 }, 'username'],
    ['a field of the wrong type', { username: 'ok-name', password: 12345678, displayName: '会计', role: 'accountant', villageId: 1 }, 'password'],
    ['a role that does not exist', { username: 'ok-name', password: 'long-enough-pw', displayName: '会计', role: 'mayor' }, 'role'],
    ['an accountant without a village', { username: 'ok-name', password: 'long-enough-pw', displayName: '会计', role: 'accountant' }, 'villageId'],
    ['a village that does not exist', { username: 'ok-name', password: 'long-enough-pw', displayName: '会计', role: 'accountant', villageId: 424242 }, 'villageId'],
    ['a field the API does not know', { username: 'ok-name', password: 'long-enough-pw', displayName: '会计', role: 'admin', isRoot: true }, 'isRoot'],
    ['markup in a name', { username: 'ok-name', password: 'long-enough-pw', displayName: '<script>x</script>', role: 'admin' }, 'displayName'],
  ])('%s is 422 naming the field', async (_name, json, field) => {
    const before = await snapshot();
    const res = await server.request('POST', '/api/admin/users', { json, token: admin });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await snapshot()).toEqual(before);
  });

  test('a username already taken is 409 and the first account is untouched', async () => {
    const before = await snapshot();
    const res = await server.request('POST', '/api/admin/users', {
      json: { username: 'acct-a1', password: 'another-password', displayName: '冒名', role: 'admin' },
      token: admin,
    });
    expect(res.status).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect((await server.request('POST', '/api/auth/login', { json: { username: 'acct-a1', password: PASSWORD } })).status).toBe(200);
  });

  test.each([
    ['/api/villages/abc/months/2026-03/status', 'villageId'],
    ['/api/villages/0/months/2026-03/status', 'villageId'],
    ['/api/villages/1/months/2026-13/status', 'month'],
    ['/api/villages/1/months/202603/status', 'month'],
  ])('path %s is 400 naming %s', async (path, field) => {
    const res = await server.request('GET', path, { token: admin });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  test('a good request after all of that still works', async () => {
    const res = await server.request('POST', '/api/admin/users', {
      json: { username: 'late-comer', password: 'long-enough-pw', displayName: '新人', role: 'official', townId: staff.townB },
      token: admin,
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username: 'late-comer', role: 'official', townId: staff.townB, villageId: null });
  });
});
