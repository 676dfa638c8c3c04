import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

describe.each(databaseKinds())('health and readiness on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    server = await startTestServer(env.container);
  });
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  test('healthz says the process is up; readyz that the database answers', async () => {
    expect(await server.request('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await server.request('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', database: 'up' } });
  });

  test('every response carries a request id, and a sane one sent by the client is kept', async () => {
    const mine = await server.request('GET', '/healthz', { headers: { 'X-Request-Id': 'trace-0123456789' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-0123456789');
    const hostile = await server.request('GET', '/healthz', { headers: { 'X-Request-Id': 'x<script>alert(1)</script>' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('with the database gone: readyz is 503, and API errors say nothing about SQL or stacks', async () => {
    await env.container.close();
    expect(await server.request('GET', '/healthz')).toMatchObject({ status: 200 });
    expect(await server.request('GET', '/readyz')).toMatchObject({ status: 503, body: { status: 'not_ready', database: 'down' } });
    const res = await server.request('GET', '/api/towns');
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'internal', message: '服务器出了点问题，请稍后再试' });
    expect(res.text).not.toMatch(/sequelize|sqlite|mysql|select|\bat\s+\S+\s+\(/i);
  });
});
