import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

type Who = 'anonymous' | keyof StaffFixture['users'];
const EVERYONE: Who[] = ['anonymous', 'accountantA1', 'accountantA2', 'accountantB1', 'officialA', 'officialB', 'admin'];

describe.each(databaseKinds())('role and place boundaries on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let staff: StaffFixture;
  const tokens = new Map<Who, string>();
  let created = 0;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    server = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
    for (const who of EVERYONE.filter((w) => w !== 'anonymous')) {
      const res = await server.request('POST', '/api/auth/login', { json: { username: staff.users[who as keyof StaffFixture['users']].username, password: PASSWORD } });
      tokens.set(who, res.body.token);
    }
  });
  afterAll(async () => {
    await server.close();
    await env.close();
  });

  // Expected status for each route and caller. Village A1 belongs to town A.
  const table: Array<{ route: string; call: () => [string, string, unknown?]; expect: Record<Who, number> }> = [
    {
      route: 'GET /api/towns (public)',
      call: () => ['GET', '/api/towns'],
      expect: { anonymous: 200, accountantA1: 200, accountantA2: 200, accountantB1: 200, officialA: 200, officialB: 200, admin: 200 },
    },
    {
      route: 'GET /api/me',
      call: () => ['GET', '/api/me'],
      expect: { anonymous: 401, accountantA1: 200, accountantA2: 200, accountantB1: 200, officialA: 200, officialB: 200, admin: 200 },
    },
    {
      route: 'GET /api/admin/users',
      call: () => ['GET', '/api/admin/users'],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 403, officialB: 403, admin: 200 },
    },
    {
      route: 'POST /api/admin/users',
      call: () => ['POST', '/api/admin/users', { username: `new-user-${++created}`, password: 'long-enough-pw', displayName: '新会计', role: 'accountant', villageId: staff.villageA2 }],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 403, officialB: 403, admin: 201 },
    },
    {
      route: "GET a village's month status",
      call: () => ['GET', `/api/villages/${staff.villageA1}/months/2026-03/status`],
      expect: { anonymous: 401, accountantA1: 200, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 403, admin: 200 },
    },
  ];

  describe.each(table)('$route', ({ call, expect: expected }) => {
    test.each(EVERYONE)('%s', async (who) => {
      const [method, path, json] = call();
      const res = await server.request(method, path, { json, token: tokens.get(who) });
      expect({ who, status: res.status }).toEqual({ who, status: expected[who] });
      if (res.status >= 400) expect(typeof res.body.error.message).toBe('string');
    });
  });

  test('a month nobody has touched yet is a draft', async () => {
    const res = await server.request('GET', `/api/villages/${staff.villageA1}/months/2026-03/status`, { token: tokens.get('accountantA1') });
    expect(res.body).toEqual({ villageId: staff.villageA1, month: '2026-03', status: 'draft', rejectionReason: null, submittedAt: null, publishedAt: null });
  });

  test('a village that does not exist is 404 for staff, whatever their place', async () => {
    const res = await server.request('GET', '/api/villages/99999/months/2026-03/status', { token: tokens.get('admin') });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('找不到这个村');
  });
});
