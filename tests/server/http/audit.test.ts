import { databaseKinds } from '../../helpers/databases';
import { seedReadyVoucher, useStaffServer, type Who } from '../../helpers/review';

/** GET /api/audit: everything for admins, their town's villages for officials, nothing for accountants. */
describe.each(databaseKinds())('reading the audit log on %s', (kind) => {
  let voucherA1: number;

  const t = useStaffServer(kind, async () => {
    await t.server.request('POST', '/api/auth/login', { json: { username: 'acct-a1', password: 'wrong-password' } });
    const v = await seedReadyVoucher(t.env, t.staff.villageA1, '2025-01', { payee: '旧收款方' });
    voucherA1 = v.id;
    await t.server.request('PATCH', `/api/vouchers/${v.id}`, { json: { version: v.version, fields: { payee: '新收款方' } }, token: t.tokens.accountantA1 });
    await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/2025-01/submit`, { token: t.tokens.accountantA1 });
    await seedReadyVoucher(t.env, t.staff.villageB1, '2025-01');
    await t.server.request('POST', `/api/villages/${t.staff.villageB1}/months/2025-01/submit`, { token: t.tokens.accountantB1 });
  });

  const read = (who: Who, query = '') => t.server.request('GET', `/api/audit${query}`, { token: t.tokens[who] });

  test('admins see every event, newest first, logins and failed logins included', async () => {
    const res = await read('admin');
    expect(res.status).toBe(200);
    const actions = res.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.created', 'voucher.updated', 'month.submitted']));
    const ids = res.body.events.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
  });

  test('an edit shows who did it, when, and the values before and after', async () => {
    const res = await read('officialA', `?villageId=${t.staff.villageA1}`);
    const edit = res.body.events.find((e: { action: string }) => e.action === 'voucher.updated');
    expect(edit).toMatchObject({
      actorUserId: t.staff.users.accountantA1.id,
      actorName: 'acct-a1',
      actorRole: 'accountant',
      subjectType: 'voucher',
      subjectId: String(voucherA1),
      villageId: t.staff.villageA1,
      at: expect.any(String),
      details: { before: { payee: '旧收款方' }, after: { payee: '新收款方' } },
    });
  });

  test("officials see their town's villages only; another town's village is 403", async () => {
    const res = await read('officialA');
    expect(res.status).toBe(200);
    expect(res.body.events.length).toBeGreaterThan(0);
    expect(new Set(res.body.events.map((e: { villageId: number }) => e.villageId))).toEqual(new Set([t.staff.villageA1, t.staff.villageA2]));
    expect((await read('officialA', `?villageId=${t.staff.villageB1}`)).status).toBe(403);
    expect((await read('officialB')).body.events.every((e: { villageId: number }) => e.villageId === t.staff.villageB1)).toBe(true);
  });

  test('accountants may not read it (403); nobody logged in is 401', async () => {
    expect((await read('accountantA1')).status).toBe(403);
    expect((await t.server.request('GET', '/api/audit')).status).toBe(401);
  });

  test('from and to narrow by time: days of China\'s calendar or exact times', async () => {
    const now = Date.now();
    const day = (offset: number) => new Date(now + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    expect((await read('admin', `?from=${day(0)}&to=${day(0)}`)).body.events.length).toBeGreaterThan(0);
    expect((await read('admin', `?from=${day(1)}`)).body.events).toEqual([]);
    expect((await read('admin', `?to=${day(-1)}`)).body.events).toEqual([]);
    const later = new Date(now + 3600_000).toISOString();
    expect((await read('admin', `?from=${encodeURIComponent(later)}`)).body.events).toEqual([]);
  });

  test('pages with limit and beforeId', async () => {
    const all = (await read('admin', '?limit=500')).body.events.map((e: { id: number }) => e.id);
    const first = await read('admin', '?limit=2');
    expect(first.body.events.map((e: { id: number }) => e.id)).toEqual(all.slice(0, 2));
    expect(first.body.nextBeforeId).toBe(all[1]);
    const second = await read('admin', `?limit=2&beforeId=${first.body.nextBeforeId}`);
    expect(second.body.events.map((e: { id: number }) => e.id)).toEqual(all.slice(2, 4));
  });

  test.each([
    ['a village id that is not a number', '?villageId=abc', 'villageId'],
    ['a day that does not exist', '?from=2026-13-01', 'from'],
    ['a time without its zone', '?to=2026-03-01T08:00', 'to'],
    ['a limit of 0', '?limit=0', 'limit'],
  ])('%s is 400 naming it', async (_name, query, field) => {
    const res = await read('admin', query);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });
});
