import { databaseKinds } from '../../helpers/databases';
import { startTestServer, type TestServer } from '../../helpers/http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';
import { seedReadyVoucher } from '../../helpers/review';

type Who = 'anonymous' | keyof StaffFixture['users'];
const EVERYONE: Who[] = ['anonymous', 'accountantA1', 'accountantA2', 'accountantB1', 'officialA', 'officialB', 'admin'];

describe.each(databaseKinds())('role and place boundaries on %s', (kind) => {
  let env: TestEnv;
  let server: TestServer;
  let staff: StaffFixture;
  const tokens = new Map<Who, string>();
  let created = 0;
  /** Fresh subjects per call, so each caller meets the same state: months ready to submit, to approve, to reject; pending amendments. */
  const fresh = { submit: [] as string[], approve: [] as string[], reject: [] as string[], amendments: [] as number[] };
  const next = <T>(list: T[]) => list.shift()!;
  let publishedVoucher = 0;
  let publishedImageUrl = '';
  const everyone = (status: number) => Object.fromEntries(EVERYONE.map((w) => [w, status])) as Record<Who, number>;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    server = await startTestServer(env.container);
    staff = await createStaffFixture(env.container);
    for (const who of EVERYONE.filter((w) => w !== 'anonymous')) {
      const res = await server.request('POST', '/api/auth/login', { json: { username: staff.users[who as keyof StaffFixture['users']].username, password: PASSWORD } });
      tokens.set(who, res.body.token);
    }
    const { auth, review, amendments } = env.container.services;
    const [accountant, official] = [await auth.authenticate(tokens.get('accountantA1')!), await auth.authenticate(tokens.get('officialA')!)];
    for (let i = 0; i < EVERYONE.length; i++) {
      for (const [list, year] of [[fresh.submit, 2010], [fresh.approve, 2011], [fresh.reject, 2012]] as const) {
        const month = `${year}-${String(i + 1).padStart(2, '0')}`;
        await seedReadyVoucher(env, staff.villageA1, month);
        if (year !== 2010) await review.submit(accountant, staff.villageA1, month);
        list.push(month);
      }
      await seedReadyVoucher(env, staff.villageA1, '2013-01');
    }
    await review.submit(accountant, staff.villageA1, '2013-01');
    await review.approve(official, staff.villageA1, '2013-01', {});
    const published = await env.container.repositories.vouchers.listForMonth(staff.villageA1, '2013-01');
    publishedVoucher = published[0].id;
    publishedImageUrl = (await env.container.services.publicRead.month(staff.villageA1, '2013-01')).vouchers[0].thumbUrl;
    for (const v of published) fresh.amendments.push((await amendments.request(accountant, v.id, { changes: { fields: { amountFen: 1 } }, reason: '更正' })).id);
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
    {
      route: 'POST submit a month',
      call: () => ['POST', `/api/villages/${staff.villageA1}/months/${next(fresh.submit)}/submit`],
      expect: { anonymous: 401, accountantA1: 200, accountantA2: 403, accountantB1: 403, officialA: 403, officialB: 403, admin: 200 },
    },
    {
      route: 'POST approve a month',
      call: () => ['POST', `/api/villages/${staff.villageA1}/months/${next(fresh.approve)}/approve`, {}],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 403, admin: 200 },
    },
    {
      route: 'POST reject a month',
      call: () => ['POST', `/api/villages/${staff.villageA1}/months/${next(fresh.reject)}/reject`, { reason: '金额不对' }],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 403, admin: 200 },
    },
    {
      route: 'GET /api/review-queue',
      call: () => ['GET', '/api/review-queue'],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 200, admin: 200 },
    },
    {
      route: 'POST request an amendment',
      call: () => ['POST', `/api/vouchers/${publishedVoucher}/amendments`, { changes: { fields: { payee: '更正后的收款方' } }, reason: '收款方写错' }],
      expect: { anonymous: 401, accountantA1: 201, accountantA2: 403, accountantB1: 403, officialA: 201, officialB: 403, admin: 201 },
    },
    {
      route: 'POST approve an amendment',
      call: () => ['POST', `/api/amendments/${next(fresh.amendments)}/approve`, {}],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 403, admin: 200 },
    },
    {
      route: 'GET pending amendments (each sees their own villages)',
      call: () => ['GET', '/api/amendments/pending'],
      expect: { anonymous: 401, accountantA1: 200, accountantA2: 200, accountantB1: 200, officialA: 200, officialB: 200, admin: 200 },
    },
    {
      route: "GET a month's amendments",
      call: () => ['GET', `/api/villages/${staff.villageA1}/months/2013-01/amendments`],
      expect: { anonymous: 401, accountantA1: 200, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 403, admin: 200 },
    },
    {
      route: "GET a village's chain (public)",
      call: () => ['GET', `/api/villages/${staff.villageA1}/chain`],
      expect: { anonymous: 200, accountantA1: 200, accountantA2: 200, accountantB1: 200, officialA: 200, officialB: 200, admin: 200 },
    },
    ...(
      [
        ["GET a village's published months (public)", () => `/api/villages/${staff.villageA1}`],
        ['GET a published month (public)', () => `/api/villages/${staff.villageA1}/months/2013-01`],
        ['GET a published receipt (public)', () => `/api/vouchers/${publishedVoucher}/public`],
        ["GET a village's statistics (public)", () => `/api/villages/${staff.villageA1}/stats?year=2013`],
        ['GET a published image (public)', () => publishedImageUrl],
        ['GET search of published receipts (public)', () => `/api/search?q=${encodeURIComponent('收款方')}`],
        ['GET a published month as CSV (public)', () => `/api/villages/${staff.villageA1}/months/2013-01/export.csv`],
        ['GET the bulletin-board sheet of a published month (public)', () => `/api/villages/${staff.villageA1}/months/2013-01/board.pdf`],
        ['GET the OpenAPI document (public)', () => '/api/openapi.json'],
      ] as Array<[string, () => string]>
    ).map(([route, path]) => ({ route, call: (): [string, string] => ['GET', path()], expect: everyone(200) })),
    {
      route: 'GET the short link printed as a QR code (public)',
      call: () => ['GET', `/m/${staff.villageA1}/2013-01`],
      expect: everyone(302),
    },
    {
      route: 'GET a month not published yet, whoever asks (public read side)',
      call: () => ['GET', `/api/villages/${staff.villageA1}/months/2011-01`],
      expect: everyone(404),
    },
    {
      route: 'GET /api/audit',
      call: () => ['GET', '/api/audit'],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 200, admin: 200 },
    },
    {
      route: "GET /api/audit for one village",
      call: () => ['GET', `/api/audit?villageId=${staff.villageA1}`],
      expect: { anonymous: 401, accountantA1: 403, accountantA2: 403, accountantB1: 403, officialA: 200, officialB: 403, admin: 200 },
    },
  ];

  describe.each(table)('$route', ({ call, expect: expected }) => {
    test.each(EVERYONE)('%s', async (who) => {
      const [method, path, json] = call();
      const res = await server.request(method, path, { json, token: tokens.get(who), redirect: 'manual' });
      expect({ who, status: res.status }).toEqual({ who, status: expected[who] });
      if (res.status >= 400) expect(typeof res.body.error.message).toBe('string');
    });
  });

  test('a month nobody has touched yet is a draft', async () => {
    const res = await server.request('GET', `/api/villages/${staff.villageA1}/months/2026-03/status`, { token: tokens.get('accountantA1') });
    expect(res.body).toEqual({ villageId: staff.villageA1, month: '2026-03', status: 'draft', rejectionReason: null, submittedAt: null, publishedAt: null, digest: null });
  });

  test('a village that does not exist is 404 for staff, whatever their place', async () => {
    const res = await server.request('GET', '/api/villages/99999/months/2026-03/status', { token: tokens.get('admin') });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('找不到这个村');
  });
});
