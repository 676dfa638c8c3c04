import { ManualClock } from '../../../server/adapters/clock';
import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

describe.each(databaseKinds())('staff login and tokens on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let staff: StaffFixture;
  const clock = new ManualClock(new Date('2026-03-15T02:00:00Z'));

  beforeAll(async () => {
    env = await createTestEnv(kind, { TOKEN_TTL_SECONDS: '3600', LOGIN_MAX_FAILURES: '5', LOGIN_LOCK_SECONDS: '900' }, { clock });
    server = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
  });
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  const login = (username: string, password = PASSWORD) => server.request('POST', '/api/auth/login', { json: { username, password } });
  const tokenOf = async (username: string) => {
    const res = await login(username);
    expect(res.status).toBe(200);
    return res.body.token as string;
  };

  test('the right password gives a token and the user; /api/me answers with it', async () => {
    const res = await login('acct-a1');
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: staff.users.accountantA1.id, username: 'acct-a1', displayName: 'acct-a1', role: 'accountant', villageId: staff.villageA1, townId: null });
    expect(new Date(res.body.expiresAt).getTime()).toBe(clock.now().getTime() + 3600_000);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const me = await server.request('GET', '/api/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('acct-a1');
  });

  test('usernames are matched without regard to case or surrounding spaces', async () => {
    expect((await login('  ACCT-A1 ')).status).toBe(200);
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const wrong = await login('acct-a2', 'not-the-password');
    const unknown = await login('nobody-here', 'whatever-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe('用户名或密码不正确');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(unknown.body.error.code).toBe(wrong.body.error.code);
  });

  test('the password never appears in the audit log, but the failure does', async () => {
    await login('acct-b1', 'leaked-secret-123');
    const events = await env.container.repositories.audit.listForSubject('username', 'acct-b1');
    expect(events.some((e) => e.action === 'auth.login_failed')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('leaked-secret-123');
  });

  test('no token, a malformed header, a tampered or foreign token: 401', async () => {
    const token = await tokenOf('official-a');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: String(staff.users.admin.id) })).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    for (const headers of <Array<Record<string, string>>>[
      {},
      { Authorization: 'Basic YWRtaW46eA==' },
      { Authorization: `Bearer ${header}.${forged}.${signature}` },
      { Authorization: `Bearer ${unsigned}` },
      { Authorization: `Bearer ${header}.${payload}.${flipped}` },
      { Authorization: 'Bearer not-a-jwt' },
    ]) {
      const res = await server.request('GET', '/api/me', { headers });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.body.error.message).toMatch(/登录/);
    }
  });

  test('an expired token is refused with its own code, so the app can ask to log in again', async () => {
    const token = await tokenOf('official-b');
    clock.advance(3600_000 + 1000);
    const res = await server.request('GET', '/api/me', { token });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'token_expired', message: '登录已过期，请重新登录' });
  });

  test('changing a password signs out tokens issued before it', async () => {
    const token = await tokenOf('acct-a2');
    await env.container.services.users.changePassword('acct-a2', 'a-brand-new-pass', null);
    expect((await server.request('GET', '/api/me', { token })).status).toBe(401);
    expect((await login('acct-a2', 'a-brand-new-pass')).status).toBe(200);
    await env.container.services.users.changePassword('acct-a2', PASSWORD, null);
  });

  test('repeated failures lock the username for a while, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('official-b', `wrong-${i}`)).status).toBe(401);
    const locked = await login('official-b');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_requests');
    expect(locked.body.error.message).toContain('分钟后再试');
    expect(Number(locked.headers.get('retry-after'))).toBe(900);
    clock.advance(900_000 + 1000);
    expect((await login('official-b')).status).toBe(200);
    // Success clears the count.
    expect((await login('official-b', 'wrong-again')).status).toBe(401);
    expect((await login('official-b')).status).toBe(200);
  });

  test('unknown usernames are throttled the same way, so lock-out reveals nothing', async () => {
    for (let i = 0; i < 5; i++) expect((await login('ghost-user', `wrong-${i}`)).status).toBe(401);
    expect((await login('ghost-user')).status).toBe(429);
  });
});
