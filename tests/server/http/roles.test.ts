import Router from '@koa/router';
import sharp from 'sharp';
import { createRouters } from '../../../server/app';
import type { User } from '../../../shared/schemas/users';
import { databaseKinds } from '../../helpers/databases';
import { registeredRoutes } from '../../helpers/openapi';
import { seedReadyVoucher, useStaffServer, type Who as StaffWho } from '../../helpers/review';
import { PASSWORD } from '../../helpers/staff-fixture';
import { filesForm } from '../../helpers/upload';

/**
 * Every route of the server against every kind of caller. Village A1 and A2 belong to town A,
 * village B1 to town B; every subject below is in village A1, so a row says who, beyond A1's
 * accountant, A's officials and the admin, can reach A1's data.
 */
type Caller = 'anonymous' | StaffWho;
const CALLERS: Caller[] = ['anonymous', 'accountantA1', 'accountantA2', 'accountantB1', 'officialA', 'officialB', 'admin'];
/** Callers who are not staff of village A1: nothing unpublished of A1 may ever reach them. */
const OUTSIDERS: Caller[] = ['anonymous', 'accountantA2', 'accountantB1', 'officialB'];
/** Written into every unpublished payee and pending correction of A1, so any answer that carries it is a leak. */
const UNPUBLISHED = '未公开';

/** Expected status for each caller, in the order of CALLERS. */
type Statuses = [anonymous: number, accountantA1: number, accountantA2: number, accountantB1: number, officialA: number, officialB: number, admin: number];

interface Request {
  path: string;
  json?: unknown;
  form?: FormData;
}

interface Row {
  /** The route as the routers register it: method and OpenAPI path. */
  route: string;
  /** What the call is about, when it matters. */
  subject: string;
  expect: Statuses;
  /** Runs once per caller, so a call that changes state makes its own fresh subject each time. */
  call: () => Request | Promise<Request>;
}

/** `/api/vouchers/{id}` → a pattern matching `/api/vouchers/17`: a row must call the route it names. */
function pathPattern(template: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${template.split(/\{\w+\}/).map(escape).join('[^/]+')}$`);
}

/** Registered routes that no row covers, and rows naming a route that is not registered. HEAD and OPTIONS come with the others. */
function coverage(routers: Router<any>[], rows: Array<Pick<Row, 'route'>>) {
  const registered = registeredRoutes(routers).filter((r) => !/^(HEAD|OPTIONS) /.test(r));
  const covered = new Set(rows.map((r) => r.route));
  return {
    withoutRow: [...new Set(registered)].filter((r) => !covered.has(r)).sort(),
    notRegistered: [...covered].filter((r) => !registered.includes(r)).sort(),
  };
}

describe.each(databaseKinds())('who may call each route, on %s', (kind) => {
  /** Subjects made once, for the rows that change nothing: reads, and calls refused to everyone. */
  const shared = {
    /** A draft month of A1 with one ready voucher. */
    draft: { month: '', voucherId: 0, publicImageFile: '' },
    /** A submitted month of A1, waiting for town A's officials. */
    submitted: { month: '', voucherId: 0 },
    /** A published month of A1, with a correction of it still pending. */
    published: { month: '', voucherId: 0, imageUrl: '', digest: '' },
  };
  const acting = {} as Record<StaffWho, User>; // the fixture's accounts, for seeding through the services

  const t = useStaffServer(kind, async () => {
    for (const who of Object.keys(t.tokens) as StaffWho[]) acting[who] = await t.env.container.services.auth.authenticate(t.tokens[who]);
    const draft = await draftVoucher();
    shared.draft = { month: draft.month, voucherId: draft.id, publicImageFile: draft.publicThumbKey!.slice('images/'.length) };
    const submitted = await submittedVoucher();
    shared.submitted = { month: submitted.month, voucherId: submitted.id };
    const published = await publishedVoucher();
    const page = await t.env.container.services.publicRead.month(a1(), published.month);
    const status = await t.env.container.services.months.statusOf(a1(), published.month);
    shared.published = { month: published.month, voucherId: published.id, imageUrl: page.vouchers[0].thumbUrl, digest: status.digest! };
    await t.env.container.services.amendments.request(acting.accountantA1, published.id, correction);
  }, 60_000);

  const a1 = () => t.staff.villageA1;

  // Fresh subjects, all in village A1.
  let monthsUsed = 0;
  let imagesMade = 0;
  let usersMade = 0;
  /** A month of A1 that nothing has touched yet (all in the past, so uploads and submissions are allowed). */
  const freshMonth = () => {
    const n = monthsUsed++;
    return `${2001 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  };
  /** A ready voucher in a fresh draft month; its payee is unpublished data unless the facts say otherwise. */
  const draftVoucher = (payee = `${UNPUBLISHED}的收款方`) => seedReadyVoucher(t.env, a1(), freshMonth(), { payee });
  const submittedVoucher = async (payee?: string) => {
    const voucher = await draftVoucher(payee);
    await t.env.container.services.review.submit(acting.accountantA1, a1(), voucher.month);
    return voucher;
  };
  /** Published months are public, so they carry no unpublished text. */
  const publishedVoucher = async () => {
    const voucher = await submittedVoucher('已公开的收款方');
    await t.env.container.services.review.approve(acting.officialA, a1(), voucher.month, {});
    return voucher;
  };
  const pendingAmendment = async () => {
    const voucher = await publishedVoucher();
    return (await t.env.container.services.amendments.request(acting.accountantA1, voucher.id, { changes: { fields: { amountFen: 1 } }, reason: '金额写错' })).id;
  };
  /** A small PNG whose bytes no other upload has. */
  const freshImage = async () => {
    const n = ++imagesMade;
    return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: (n * 53) % 256, g: (n * 29) % 256, b: 200 } } }).png().toBuffer();
  };

  const villageMonth = (month: string, rest = '') => `/api/villages/${a1()}/months/${month}${rest}`;
  const image = (voucherId: number, query: string) => `/api/vouchers/${voucherId}/image?${query}`;
  const patchBody = (voucher: { version: number }) => ({ version: voucher.version, fields: { description: '办公用纸' } });
  /** A correction that stays pending, so its text is unpublished. */
  const correction = { changes: { fields: { payee: `${UNPUBLISHED}的更正` } }, reason: '收款方写错' };
  const newAccount = () => ({ username: `new-user-${++usersMade}`, password: 'long-enough-pw', displayName: '新会计', role: 'accountant', villageId: t.staff.villageA2 });
  const upload = async (month: string): Promise<Request> => ({ path: villageMonth(month, '/vouchers'), form: filesForm([{ name: 'receipt.png', data: await freshImage(), type: 'image/png' }]) });

  // The expected status of each call, per caller (the columns of CALLERS):
  //           anon A1   A2   B1   offA offB admin
  const table: Row[] = [
    // Meta and login: anyone.
    { route: 'GET /healthz', subject: 'liveness',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/healthz' }) },
    { route: 'GET /readyz', subject: 'readiness',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/readyz' }) },
    { route: 'GET /api/openapi.json', subject: 'the HTTP contract',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/api/openapi.json' }) },
    { route: 'POST /api/auth/login', subject: "A1's accountant logs in",
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/api/auth/login', json: { username: t.staff.users.accountantA1.username, password: PASSWORD } }) },
    { route: 'GET /api/me', subject: 'who am I',
      expect: [401, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/api/me' }) },
    { route: 'GET /api/towns', subject: 'the village picker',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/api/towns' }) },

    // Accounts: the admin only.
    { route: 'GET /api/admin/users', subject: 'every account',
      expect: [401, 403, 403, 403, 403, 403, 200], call: () => ({ path: '/api/admin/users' }) },
    { route: 'POST /api/admin/users', subject: 'a new account',
      expect: [401, 403, 403, 403, 403, 403, 201], call: () => ({ path: '/api/admin/users', json: newAccount() }) },

    // A month's review: A1's accountant submits, town A's officials decide.
    { route: 'GET /api/villages/{villageId}/months/{month}/status', subject: 'a draft month',
      expect: [401, 200, 403, 403, 200, 403, 200], call: () => ({ path: villageMonth(shared.draft.month, '/status') }) },
    { route: 'POST /api/villages/{villageId}/months/{month}/submit', subject: 'a fresh draft',
      expect: [401, 200, 403, 403, 403, 403, 200], call: async () => ({ path: villageMonth((await draftVoucher()).month, '/submit') }) },
    { route: 'POST /api/villages/{villageId}/months/{month}/approve', subject: 'a fresh submitted month',
      expect: [401, 403, 403, 403, 200, 403, 200], call: async () => ({ path: villageMonth((await submittedVoucher('待审核的收款方')).month, '/approve'), json: {} }) },
    { route: 'POST /api/villages/{villageId}/months/{month}/reject', subject: 'a fresh submitted month',
      expect: [401, 403, 403, 403, 200, 403, 200], call: async () => ({ path: villageMonth((await submittedVoucher()).month, '/reject'), json: { reason: '金额不对' } }) },
    { route: 'GET /api/review-queue', subject: "each official's own town",
      expect: [401, 403, 403, 403, 200, 200, 200], call: () => ({ path: '/api/review-queue' }) },

    // Vouchers before publication: A1's staff see them; A1's accountant changes them, A's officials only while reviewing.
    { route: 'POST /api/villages/{villageId}/months/{month}/vouchers', subject: 'an upload into a fresh month',
      expect: [401, 202, 403, 403, 403, 403, 202], call: () => upload(freshMonth()) },
    { route: 'POST /api/villages/{villageId}/months/{month}/vouchers', subject: 'an upload into a submitted month (nobody may)',
      expect: [401, 409, 403, 403, 403, 403, 409], call: () => upload(shared.submitted.month) },
    { route: 'GET /api/villages/{villageId}/months/{month}/vouchers', subject: 'a draft month',
      expect: [401, 200, 403, 403, 200, 403, 200], call: () => ({ path: villageMonth(shared.draft.month, '/vouchers') }) },
    { route: 'GET /api/vouchers/{id}', subject: 'a draft voucher',
      expect: [401, 200, 403, 403, 200, 403, 200], call: () => ({ path: `/api/vouchers/${shared.draft.voucherId}` }) },
    { route: 'PATCH /api/vouchers/{id}', subject: 'a fresh draft voucher',
      expect: [401, 200, 403, 403, 403, 403, 200], call: async () => { const v = await draftVoucher(); return { path: `/api/vouchers/${v.id}`, json: patchBody(v) }; } },
    { route: 'PATCH /api/vouchers/{id}', subject: 'a fresh voucher of a submitted month',
      expect: [401, 409, 403, 403, 200, 403, 200], call: async () => { const v = await submittedVoucher(); return { path: `/api/vouchers/${v.id}`, json: patchBody(v) }; } },
    { route: 'PATCH /api/vouchers/{id}', subject: 'a published voucher (nobody may)',
      expect: [401, 409, 403, 403, 409, 403, 409], call: () => ({ path: `/api/vouchers/${shared.published.voucherId}`, json: { version: 1, fields: { description: '改了' } } }) },
    { route: 'POST /api/vouchers/{id}', subject: 'a fresh draft voucher (the PATCH alias)',
      expect: [401, 200, 403, 403, 403, 403, 200], call: async () => { const v = await draftVoucher(); return { path: `/api/vouchers/${v.id}`, json: patchBody(v) }; } },
    { route: 'POST /api/vouchers/{id}', subject: 'a fresh voucher of a submitted month (the PATCH alias)',
      expect: [401, 409, 403, 403, 200, 403, 200], call: async () => { const v = await submittedVoucher(); return { path: `/api/vouchers/${v.id}`, json: patchBody(v) }; } },
    { route: 'DELETE /api/vouchers/{id}', subject: 'a fresh draft voucher',
      expect: [401, 204, 403, 403, 403, 403, 204], call: async () => ({ path: `/api/vouchers/${(await draftVoucher()).id}` }) },
    { route: 'DELETE /api/vouchers/{id}', subject: 'a voucher of a submitted month (nobody may)',
      expect: [401, 409, 403, 403, 403, 403, 409], call: () => ({ path: `/api/vouchers/${shared.submitted.voucherId}` }) },
    { route: 'POST /api/vouchers/{id}/reprocess', subject: 'a fresh draft voucher',
      expect: [401, 202, 403, 403, 403, 403, 202], call: async () => ({ path: `/api/vouchers/${(await draftVoucher()).id}/reprocess` }) },
    { route: 'POST /api/vouchers/{id}/reprocess', subject: 'a voucher of a submitted month (nobody may)',
      expect: [401, 409, 403, 403, 403, 403, 409], call: () => ({ path: `/api/vouchers/${shared.submitted.voucherId}/reprocess` }) },

    // A voucher's images: unpublished ones only for A1's staff (a stranger is told it does not exist);
    // published ones redacted for anyone, unredacted and original still only for A1's staff.
    { route: 'GET /api/vouchers/{id}/image', subject: 'a draft voucher, redacted thumbnail',
      expect: [404, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.draft.voucherId, 'variant=thumb&redacted=1') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a draft voucher, redacted display copy',
      expect: [404, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.draft.voucherId, 'variant=display') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a draft voucher, unredacted display copy',
      expect: [404, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.draft.voucherId, 'variant=display&redacted=0') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a draft voucher, original',
      expect: [404, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.draft.voucherId, 'variant=original') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a submitted voucher, redacted thumbnail',
      expect: [404, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.submitted.voucherId, 'variant=thumb&redacted=1') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a published voucher, redacted thumbnail',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: image(shared.published.voucherId, 'variant=thumb&redacted=1') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a published voucher, display copy (redacted by default)',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: image(shared.published.voucherId, 'variant=display') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a published voucher, unredacted thumbnail',
      expect: [403, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.published.voucherId, 'variant=thumb&redacted=0') }) },
    { route: 'GET /api/vouchers/{id}/image', subject: 'a published voucher, original',
      expect: [403, 200, 403, 403, 200, 403, 200], call: () => ({ path: image(shared.published.voucherId, 'variant=original') }) },

    // Corrections of published months: A1's staff ask, town A's officials decide.
    { route: 'POST /api/vouchers/{id}/amendments', subject: 'a fresh published voucher',
      expect: [401, 201, 403, 403, 201, 403, 201], call: async () => ({ path: `/api/vouchers/${(await publishedVoucher()).id}/amendments`, json: correction }) },
    { route: 'POST /api/vouchers/{id}/amendments', subject: 'a draft voucher (corrections are for published months)',
      expect: [401, 409, 403, 403, 409, 403, 409], call: () => ({ path: `/api/vouchers/${shared.draft.voucherId}/amendments`, json: { changes: { fields: { amountFen: 1 } }, reason: '金额写错' } }) },
    { route: 'POST /api/amendments/{id}/approve', subject: 'a fresh pending correction',
      expect: [401, 403, 403, 403, 200, 403, 200], call: async () => ({ path: `/api/amendments/${await pendingAmendment()}/approve`, json: {} }) },
    { route: 'POST /api/amendments/{id}/reject', subject: 'a fresh pending correction',
      expect: [401, 403, 403, 403, 200, 403, 200], call: async () => ({ path: `/api/amendments/${await pendingAmendment()}/reject`, json: { reason: '不用改' } }) },
    { route: 'GET /api/amendments/pending', subject: "each caller's own villages",
      expect: [401, 200, 200, 200, 200, 200, 200], call: () => ({ path: '/api/amendments/pending' }) },
    { route: 'GET /api/villages/{villageId}/months/{month}/amendments', subject: 'a published month with a pending correction',
      expect: [401, 200, 403, 403, 200, 403, 200], call: () => ({ path: villageMonth(shared.published.month, '/amendments') }) },

    // The public chain.
    { route: 'GET /api/villages/{villageId}/chain', subject: "A1's chain",
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: `/api/villages/${a1()}/chain` }) },
    { route: 'GET /api/chain/{digest}', subject: "a published month's manifest",
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: `/api/chain/${shared.published.digest}` }) },

    // Reading published months: anyone; a month not published is not there, whoever asks.
    { route: 'GET /api/villages/{villageId}', subject: 'the village and its published months',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: `/api/villages/${a1()}` }) },
    { route: 'GET /api/villages/{villageId}/months/{month}', subject: 'a published month',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: villageMonth(shared.published.month) }) },
    { route: 'GET /api/villages/{villageId}/months/{month}', subject: 'a draft month',
      expect: [404, 404, 404, 404, 404, 404, 404], call: () => ({ path: villageMonth(shared.draft.month) }) },
    { route: 'GET /api/villages/{villageId}/months/{month}', subject: 'a submitted month',
      expect: [404, 404, 404, 404, 404, 404, 404], call: () => ({ path: villageMonth(shared.submitted.month) }) },
    { route: 'GET /api/vouchers/{id}/public', subject: 'a published receipt',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: `/api/vouchers/${shared.published.voucherId}/public` }) },
    { route: 'GET /api/vouchers/{id}/public', subject: 'a draft voucher',
      expect: [404, 404, 404, 404, 404, 404, 404], call: () => ({ path: `/api/vouchers/${shared.draft.voucherId}/public` }) },
    { route: 'GET /api/villages/{villageId}/stats', subject: "the year of the published month",
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: `/api/villages/${a1()}/stats?year=${shared.published.month.slice(0, 4)}` }) },
    { route: 'GET /api/images/{file}', subject: 'a published image',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: shared.published.imageUrl }) },
    { route: 'GET /api/images/{file}', subject: "a draft voucher's redacted thumbnail",
      expect: [404, 404, 404, 404, 404, 404, 404], call: () => ({ path: `/api/images/${shared.draft.publicImageFile}` }) },
    { route: 'GET /api/search', subject: 'a word in published and unpublished payees',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: `/api/search?q=${encodeURIComponent('收款方')}` }) },
    { route: 'GET /api/villages/{villageId}/months/{month}/export.csv', subject: 'a published month',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: villageMonth(shared.published.month, '/export.csv') }) },
    { route: 'GET /api/villages/{villageId}/months/{month}/export.csv', subject: 'a draft month',
      expect: [404, 404, 404, 404, 404, 404, 404], call: () => ({ path: villageMonth(shared.draft.month, '/export.csv') }) },
    { route: 'GET /api/villages/{villageId}/months/{month}/board.pdf', subject: 'a published month',
      expect: [200, 200, 200, 200, 200, 200, 200], call: () => ({ path: villageMonth(shared.published.month, '/board.pdf') }) },
    { route: 'GET /api/villages/{villageId}/months/{month}/board.pdf', subject: 'a submitted month',
      expect: [404, 404, 404, 404, 404, 404, 404], call: () => ({ path: villageMonth(shared.submitted.month, '/board.pdf') }) },
    { route: 'GET /m/{villageId}/{month}', subject: 'the short link printed as a QR code',
      expect: [302, 302, 302, 302, 302, 302, 302], call: () => ({ path: `/m/${a1()}/${shared.published.month}` }) },

    // The audit log: admins see all of it, officials their own town's.
    { route: 'GET /api/audit', subject: "each official's own town",
      expect: [401, 403, 403, 403, 200, 200, 200], call: () => ({ path: '/api/audit' }) },
    { route: 'GET /api/audit', subject: 'village A1',
      expect: [401, 403, 403, 403, 200, 403, 200], call: () => ({ path: `/api/audit?villageId=${a1()}` }) },
  ];

  test('every registered route has a row, and every row names a registered route', () => {
    const routers = createRouters(t.env.container);
    expect(registeredRoutes(routers).length).toBeGreaterThan(30);
    expect(coverage(routers, table)).toEqual({ withoutRow: [], notRegistered: [] });
  });

  test('a route added to a router without a row is caught, and so is a row for a route that is gone', () => {
    const extra = new Router();
    extra.delete('/api/villages/:villageId/months/:month', (ctx) => {
      ctx.status = 204;
    });
    const gone = { route: 'GET /api/vouchers/{id}/history' };
    expect(coverage([...createRouters(t.env.container), extra], [...table, gone])).toEqual({
      withoutRow: ['DELETE /api/villages/{villageId}/months/{month}'],
      notRegistered: ['GET /api/vouchers/{id}/history'],
    });
  });

  test(`what the village's staff see carries the text "${UNPUBLISHED}", so the leak check below is not vacuous`, async () => {
    const voucher = await t.server.request('GET', `/api/vouchers/${shared.draft.voucherId}`, { token: t.tokens.accountantA1 });
    expect(voucher.text).toContain(UNPUBLISHED);
    const pending = await t.server.request('GET', '/api/amendments/pending', { token: t.tokens.officialA });
    expect(pending.text).toContain(UNPUBLISHED);
  });

  describe.each(table)('$route: $subject', ({ route, expect: statuses, call }) => {
    const [method, template] = route.split(' ');
    test.each(CALLERS)('%s', async (who) => {
      const request = await call();
      expect({ route, path: request.path.split('?')[0] }).toEqual({ route, path: expect.stringMatching(pathPattern(template)) });
      const token = who === 'anonymous' ? undefined : t.tokens[who];
      const res = await t.server.request(method, request.path, { json: request.json, body: request.form, token, redirect: 'manual' });
      expect({ who, status: res.status }).toEqual({ who, status: statuses[CALLERS.indexOf(who)] });
      if (res.status >= 400) expect(typeof res.body.error.message).toBe('string');
      if (OUTSIDERS.includes(who)) expect({ who, leaked: res.text.includes(UNPUBLISHED) }).toEqual({ who, leaked: false });
    });
  });

  test('the lists every staff member may read (review queue, pending corrections, audit log) hold only their own villages', async () => {
    const { villageA1, villageA2, villageB1 } = t.staff;
    const places: Record<StaffWho, Array<number | null>> = {
      accountantA1: [villageA1],
      accountantA2: [villageA2],
      accountantB1: [villageB1],
      officialA: [villageA1, villageA2],
      officialB: [villageB1],
      admin: [villageA1, villageA2, villageB1, null],
    };
    const lists = [['/api/review-queue', 'months'], ['/api/amendments/pending', 'amendments'], ['/api/audit', 'events']] as const;
    for (const who of Object.keys(places) as StaffWho[]) {
      for (const [path, key] of lists) {
        const res = await t.server.request('GET', path, { token: t.tokens[who] });
        if (res.status !== 200) continue; // who is refused is the table's business
        const villages: Array<number | null> = res.body[key].map((item: { villageId: number | null }) => item.villageId);
        expect({ who, path, elsewhere: villages.filter((v) => !places[who].includes(v)) }).toEqual({ who, path, elsewhere: [] });
        // Not vacuous: town A's official finds A1's submitted month, its pending corrections and its events.
        if (who === 'officialA') expect({ path, holdsA1: villages.includes(villageA1) }).toEqual({ path, holdsA1: true });
      }
    }
  });

  test('a month nobody has touched yet is a draft', async () => {
    const res = await t.server.request('GET', `/api/villages/${a1()}/months/2026-03/status`, { token: t.tokens.accountantA1 });
    expect(res.body).toEqual({ villageId: a1(), month: '2026-03', status: 'draft', rejectionReason: null, submittedAt: null, publishedAt: null, digest: null });
  });

  test('a village that does not exist is 404 for staff, whatever their place', async () => {
    const res = await t.server.request('GET', '/api/villages/99999/months/2026-03/status', { token: t.tokens.admin });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('找不到这个村');
  });
});
