import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../server/adapters/clock';
import { ConfigError, loadConfig, type Config } from '../../../server/config';
import type { Container } from '../../../server/container';
import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type HttpResponse, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

const INLINE_SCRIPT = 'document.documentElement.style.fontSize="20px"';
const INDEX_HTML = `<!doctype html><html><head><script>${INLINE_SCRIPT}</script><script defer src="/js/app.1a2b3c4d.js"></script></head><body><div id="app"></div></body></html>`;
const INLINE_HASH = `'sha256-${createHash('sha256').update(INLINE_SCRIPT).digest('base64')}'`;

/** The same container (database, services) served by an app built with other settings. */
function withConfig(container: Container, overrides: Partial<Config>): Container {
  return { ...container, config: { ...container.config, ...overrides } };
}

function directives(policy: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values.join(' '));
  }
  return map;
}

function expectCommonHeaders(res: HttpResponse): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
}

/** What no answer may ever carry: stack frames, error class names, SQL, the database's name. */
function expectNothingInternal(text: string): void {
  for (const leak of [/\bat /, /Error:/, /\bSELECT\b/i, /\bFROM\b/, /sqlite/i, /mysql/i, /maria/i, /sequelize/i, /no such table/i, /\.ts:\d+/])
    expect(text).not.toMatch(leak);
}

describe('web security on sqlite', () => {
  let env: TestEnv;
  let staff: StaffFixture;
  const servers: TestServer[] = [];
  const clock = new ManualClock(new Date('2026-03-15T02:00:00Z'));

  /** A server over the shared database whose app was built with these settings (fresh rate-limit counts). */
  async function serve(overrides: Partial<Config> = {}): Promise<TestServer> {
    const server = await startTestServer(withConfig(env.container, overrides));
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    env = await createTestEnv('sqlite', { TOKEN_TTL_SECONDS: '3600', CORS_ORIGINS: 'https://app.example.org, http://localhost:5173/' }, { clock });
    fs.mkdirSync(path.join(env.config.webDir, 'js'), { recursive: true });
    fs.writeFileSync(path.join(env.config.webDir, 'index.html'), INDEX_HTML);
    fs.writeFileSync(path.join(env.config.webDir, 'js', 'app.1a2b3c4d.js'), 'console.log(1)');
    staff = await createStaffFixture(env.container);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await env.close();
  });

  describe('security headers', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await serve();
    });

    test('a JSON answer: nosniff, no framing, no referrer, its own browsing context, and a policy that lets nothing load', async () => {
      const res = await server.request('GET', '/api/towns');
      expect(res.status).toBe(200);
      expectCommonHeaders(res);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      expect(res.headers.get('strict-transport-security')).toBeNull();
    });

    test.each([
      ['an unknown API route (404)', 'GET', '/api/no-such-thing', 404],
      ['a staff route without a token (401)', 'GET', '/api/me', 401],
      ['a method the route does not take (405)', 'DELETE', '/api/towns', 405],
      ['malformed JSON (400)', 'POST', '/api/auth/login', 400],
    ])('errors carry them too: %s', async (_name, method, url, status) => {
      const res = await server.request(method, url, method === 'POST' ? { body: '{"username":', headers: { 'Content-Type': 'application/json' } } : {});
      expect(res.status).toBe(status);
      expectCommonHeaders(res);
      expect(directives(res.headers.get('content-security-policy')).get('default-src')).toBe("'none'");
      expectNothingInternal(res.text);
    });

    test("the app's pages: scripts from this origin and the page's own inline snippet by hash; styles, images, fonts and API calls as the H5 build needs; never framed", async () => {
      for (const url of ['/', '/pages/month/index?villageId=1&month=2026-02', '/staff/login/index']) {
        const res = await server.request('GET', url, { headers: { Accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expectCommonHeaders(res);
        const csp = directives(res.headers.get('content-security-policy'));
        expect(csp.get('script-src')).toBe(`'self' ${INLINE_HASH}`);
        expect(csp.get('default-src')).toBe("'self'");
        expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
        expect(csp.get('img-src')).toBe("'self' blob: data:");
        expect(csp.get('font-src')).toBe("'self' data:");
        expect(csp.get('connect-src')).toBe("'self'");
        expect(csp.get('object-src')).toBe("'none'");
        expect(csp.get('base-uri')).toBe("'self'");
        expect(csp.get('form-action')).toBe("'self'");
        expect(csp.get('frame-ancestors')).toBe("'none'");
        expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-eval|\*/);
      }
    });

    test("the build's own index.html has exactly one inline script, which the page policy allows by its hash", () => {
      const built = path.join(__dirname, '../../../miniprogram/dist/h5/index.html');
      if (!fs.existsSync(built)) return; // `npm test` builds it first; a bare jest run may not have it
      const html = fs.readFileSync(built, 'utf8');
      const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)];
      expect(inline).toHaveLength(1);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handlers, which no hash could allow
    });

    test('a static asset is nosniff and loads nothing itself', async () => {
      const res = await server.request('GET', '/js/app.1a2b3c4d.js');
      expect(res.status).toBe(200);
      expectCommonHeaders(res);
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    });

    test('Strict-Transport-Security only for https: never over plain http, and X-Forwarded-Proto counts only behind TRUST_PROXY', async () => {
      const https = { headers: { 'X-Forwarded-Proto': 'https' } };
      expect((await server.request('GET', '/api/towns', https)).headers.get('strict-transport-security')).toBeNull();
      const proxied = await serve({ trustProxy: 1 });
      expect((await proxied.request('GET', '/api/towns')).headers.get('strict-transport-security')).toBeNull();
      expect((await proxied.request('GET', '/api/towns', https)).headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect((await proxied.request('GET', '/', { headers: { 'X-Forwarded-Proto': 'https', Accept: 'text/html' } })).headers.get('strict-transport-security')).toBe(
        'max-age=31536000',
      );
      const off = await serve({ trustProxy: 1, hstsMaxAgeSeconds: 0 });
      expect((await off.request('GET', '/api/towns', https)).headers.get('strict-transport-security')).toBeNull();
    });
  });

  describe('CORS', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await serve();
    });
    const preflight = (target: TestServer, url: string, origin: string, method = 'POST', headers = 'authorization,content-type') =>
      target.request('OPTIONS', url, { headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers } });

    test('CORS_ORIGINS is read as a list of origins, written as browsers send them', () => {
      expect(env.config.corsOrigins).toEqual(['https://app.example.org', 'http://localhost:5173']);
      const load = (value: string) => loadConfig({ CORS_ORIGINS: value }, env.tmpDir).corsOrigins;
      expect(load('')).toEqual([]);
      expect(load('HTTPS://App.Example.org:443, https://app.example.org')).toEqual(['https://app.example.org']);
      for (const bad of ['*', 'https://*.example.org', 'https://example.org/app', 'example.org', 'ftp://example.org', 'null', 'https://example.org?x=1', 'https://u:p@example.org'])
        expect(() => load(bad)).toThrow(ConfigError);
    });

    test('an allowed origin gets its origin echoed (no credentials: staff use bearer tokens), with Vary: Origin', async () => {
      const res = await server.request('GET', '/api/towns', { headers: { Origin: 'https://app.example.org' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
      expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    });

    test('its error answers carry the header too, so its page can show the Chinese message', async () => {
      const res = await server.request('GET', '/api/me', { headers: { Origin: 'http://localhost:5173' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    });

    test('any other origin gets no CORS header at all', async () => {
      for (const origin of ['https://evil.example.com', 'https://app.example.org.evil.com', 'http://app.example.org', 'null']) {
        const res = await server.request('GET', '/api/towns', { headers: { Origin: origin } });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(res.headers.get('access-control-expose-headers')).toBeNull();
        expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
      }
    });

    test('a preflight from an allowed origin is answered before the routers: methods, Authorization and Content-Type, Max-Age', async () => {
      for (const [url, method] of [
        ['/api/auth/login', 'POST'],
        ['/api/vouchers/1', 'PATCH'],
        ['/api/vouchers/1', 'DELETE'],
        [`/api/villages/${staff.villageA1}/months/2026-03/vouchers`, 'POST'],
      ]) {
        const res = await preflight(server, url, 'https://app.example.org', method);
        expect(res.status).toBe(204);
        expect(res.text).toBe('');
        expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
        expect(res.headers.get('access-control-allow-methods')!.split(', ')).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
        expect(res.headers.get('access-control-allow-headers')!.toLowerCase().split(', ')).toEqual(expect.arrayContaining(['authorization', 'content-type']));
        expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
        expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
      }
    });

    test('a preflight from any other origin is refused with 403 and a Chinese message, and no CORS header', async () => {
      const res = await preflight(server, '/api/auth/login', 'https://evil.example.com');
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: '这个网站不能访问一眼明的接口', requestId: res.headers.get('x-request-id') });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    });

    test('with CORS_ORIGINS empty (the default) no origin gets access, and answers do not vary by Origin', async () => {
      const closed = await serve({ corsOrigins: [] });
      const pre = await preflight(closed, '/api/auth/login', 'https://app.example.org');
      expect(pre.status).toBe(403);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const get = await closed.request('GET', '/api/towns', { headers: { Origin: 'https://app.example.org' } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
      expect(get.headers.get('vary') ?? '').not.toMatch(/Origin/);
    });

    test('an OPTIONS that is not a preflight is still answered by the routers', async () => {
      const res = await server.request('OPTIONS', '/api/towns');
      expect(res.status).toBe(200);
      expect(res.headers.get('allow')).toMatch(/GET/);
    });
  });

  describe('rate limits', () => {
    const login = (server: TestServer, username: string, password = 'wrong-password', headers: Record<string, string> = {}) =>
      server.request('POST', '/api/auth/login', { json: { username, password }, headers });
    let seq = 0;
    /** Each attempt a different unknown username, so the per-username lock-out never comes into it. */
    const stranger = () => `stranger-${++seq}`;

    function expect429(res: HttpResponse, message: RegExp, retryAfter: number): void {
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe(String(retryAfter));
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // The wait is in the body too: WeChat's uploadFile does not show the app response headers.
      expect(res.body).toEqual({ error: { code: 'too_many_requests', message: expect.stringMatching(message), retryAfterSeconds: retryAfter, requestId: res.headers.get('x-request-id') } });
      expectCommonHeaders(res);
      expectNothingInternal(res.text);
    }

    test('the defaults: 10 logins a minute per address, 60 upload requests a minute per user, no proxy trusted', () => {
      const defaults = loadConfig({}, env.tmpDir);
      expect(defaults).toMatchObject({ rateLimitLoginPerMinute: 10, rateLimitUploadPerMinute: 60, trustProxy: 0, corsOrigins: [], hstsMaxAgeSeconds: 31536000 });
      for (const [name, value] of [
        ['RATE_LIMIT_LOGIN_PER_MINUTE', '-1'],
        ['RATE_LIMIT_UPLOAD_PER_MINUTE', 'many'],
        ['TRUST_PROXY', 'maybe'],
        ['TRUST_PROXY', '11'],
        ['HSTS_MAX_AGE_SECONDS', '1.5'],
      ])
        expect(() => loadConfig({ [name]: value }, env.tmpDir)).toThrow(ConfigError);
      expect(loadConfig({ TRUST_PROXY: 'true' }, env.tmpDir).trustProxy).toBe(1);
      expect(loadConfig({ RATE_LIMIT_LOGIN_PER_MINUTE: '0' }, env.tmpDir).rateLimitLoginPerMinute).toBe(0);
    });

    test('logins per address: over the limit is 429 with Retry-After and a Chinese message, whatever the username or password, until the minute has passed', async () => {
      const server = await serve({ rateLimitLoginPerMinute: 3 });
      for (let i = 0; i < 3; i++) expect((await login(server, stranger())).status).toBe(401);
      expect429(await login(server, stranger()), /^登录太频繁了，请 60 秒后再试$/, 60);
      // Even the right password waits: the address, not the account, is over its budget.
      expect429(await login(server, 'acct-a1', PASSWORD), /登录太频繁/, 60);
      clock.advance(20_000);
      expect429(await login(server, stranger()), /请 40 秒后再试/, 40);
      clock.advance(40_000);
      expect((await login(server, 'acct-a1', PASSWORD)).status).toBe(200);
      // Other routes are not counted.
      for (let i = 0; i < 5; i++) expect((await server.request('GET', '/api/towns')).status).toBe(200);
      // Path spellings the router accepts count the same.
      expect((await login(server, stranger())).status).toBe(401);
      expect((await server.request('POST', '/API/Auth/Login/', { json: { username: stranger(), password: 'x-wrong-pw' } })).status).toBe(401);
      expect((await server.request('POST', '/api/auth/login/', { json: { username: stranger(), password: 'x-wrong-pw' } })).status).toBe(429);
      clock.advance(60_000);
    });

    test('the client address is the socket, so a forged X-Forwarded-For does not buy more attempts', async () => {
      const server = await serve({ rateLimitLoginPerMinute: 2 });
      expect((await login(server, stranger(), 'x', { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(401);
      expect((await login(server, stranger(), 'x', { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(401);
      expect((await login(server, stranger(), 'x', { 'X-Forwarded-For': '203.0.113.3' })).status).toBe(429);
      clock.advance(60_000);
    });

    test('behind TRUST_PROXY=1 the address is the one the proxy appended to X-Forwarded-For; what the client wrote before it is ignored', async () => {
      const server = await serve({ rateLimitLoginPerMinute: 2, trustProxy: 1 });
      const from = (chain: string) => login(server, stranger(), 'x', { 'X-Forwarded-For': chain });
      expect((await from('198.51.100.7')).status).toBe(401);
      expect((await from('1.1.1.1, 198.51.100.7')).status).toBe(401);
      expect((await from('2.2.2.2, 198.51.100.7')).status).toBe(429);
      expect((await from('198.51.100.8')).status).toBe(401);
      // One phone, many addresses in its /64: one budget.
      expect((await from('2001:db8:1:2::1')).status).toBe(401);
      expect((await from('2001:db8:1:2:ffff::9')).status).toBe(401);
      expect((await from('2001:db8:1:2:0:0:0:abcd')).status).toBe(429);
      clock.advance(60_000);
    });

    test('uploads per user: counted once the user is known and before the body is read; another accountant has their own budget', async () => {
      const server = await serve({ rateLimitUploadPerMinute: 2 });
      const tokenOf = async (username: string) => (await login(server, username, PASSWORD)).body.token as string;
      const a1 = await tokenOf('acct-a1');
      const a2 = await tokenOf('acct-a2');
      const upload = (token: string | undefined, villageId: number) =>
        server.request('POST', `/api/villages/${villageId}/months/2026-03/vouchers`, { body: new FormData(), token });
      // Empty forms: refused by the route (400), but counted.
      for (let i = 0; i < 2; i++) expect((await upload(a1, staff.villageA1)).status).toBe(400);
      expect429(await upload(a1, staff.villageA1), /^上传太频繁了，请 60 秒后再试$/, 60);
      expect((await upload(a2, staff.villageA2)).status).toBe(400);
      // No token: 401 first, never counted against anyone.
      for (let i = 0; i < 3; i++) expect((await upload(undefined, staff.villageA1)).status).toBe(401);
      clock.advance(60_000);
      expect((await upload(a1, staff.villageA1)).status).toBe(400);
      clock.advance(60_000);
    });

    test('0 turns a limit off', async () => {
      const server = await serve({ rateLimitLoginPerMinute: 0, rateLimitUploadPerMinute: 0 });
      for (let i = 0; i < 15; i++) expect((await login(server, stranger())).status).toBe(401);
    });
  });

  describe('tokens', () => {
    test('an expired token is refused on a staff write (401 token_expired) before the upload is read', async () => {
      const server = await serve();
      const token = (await server.request('POST', '/api/auth/login', { json: { username: 'acct-a1', password: PASSWORD } })).body.token as string;
      expect((await server.request('GET', '/api/me', { token })).status).toBe(200);
      clock.advance(3600_000 + 1000);
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(1024)], { type: 'image/jpeg' }), 'a.jpg');
      const res = await server.request('POST', `/api/villages/${staff.villageA1}/months/2026-03/vouchers`, { body: form, token });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'token_expired', message: '登录已过期，请重新登录' });
      expect(await env.container.models.Voucher.count()).toBe(0);
    });
  });
});

describe.each(databaseKinds())('internal errors on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    server = await startTestServer(env.container);
    await createStaffFixture(env.container);
    admin = (await server.request('POST', '/api/auth/login', { json: { username: 'admin', password: PASSWORD } })).body.token;
  });
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  function expectInternal(res: HttpResponse): void {
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'internal', message: '服务器出了点问题，请稍后再试', requestId: res.headers.get('x-request-id') } });
    expectNothingInternal(res.text);
    expectCommonHeaders(res);
  }

  test('a query against a table that is gone answers 500 with a plain Chinese message: no stack, no SQL, no database name', async () => {
    const q = env.container.sequelize.getQueryInterface();
    await q.renameTable('towns', 'towns_gone');
    try {
      expectInternal(await server.request('GET', '/api/towns'));
    } finally {
      await q.renameTable('towns_gone', 'towns');
    }
    expect((await server.request('GET', '/api/towns')).status).toBe(200);
  });

  test('so does a hand-written SQL query (full-text search) that fails', async () => {
    const q = env.container.sequelize.getQueryInterface();
    await q.renameTable('public_search', 'public_search_gone');
    try {
      expectInternal(await server.request('GET', '/api/search?q=%E5%8A%B3%E5%8A%A1%E8%B4%B9'));
    } finally {
      await q.renameTable('public_search_gone', 'public_search');
    }
    expect((await server.request('GET', '/api/search?q=%E5%8A%B3%E5%8A%A1%E8%B4%B9')).status).toBe(200);
  });

  test('a staff route whose user lookup fails answers the same way', async () => {
    const q = env.container.sequelize.getQueryInterface();
    await q.renameTable('users', 'users_gone');
    try {
      expectInternal(await server.request('GET', '/api/me', { token: admin }));
      expectInternal(await server.request('POST', '/api/auth/login', { json: { username: 'admin', password: PASSWORD } }));
    } finally {
      await q.renameTable('users_gone', 'users');
    }
    expect((await server.request('GET', '/api/me', { token: admin })).status).toBe(200);
  });
});
