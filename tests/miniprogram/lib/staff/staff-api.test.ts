/**
 * The staff API module against the real server. The mini-program's own api/client.ts does the
 * requests; only Taro.request underneath is replaced, by fetch with Taro's contract (resolve with
 * statusCode and parsed JSON for any HTTP answer, reject when there is none).
 */
import { memoryStore } from '../../../../miniprogram/src/lib/key-value-store';
import { createStaffApi, isReloadError, type StaffApiDeps } from '../../../../miniprogram/src/lib/staff/staff-api';
import { createStaffSession, SESSION_KEY, type StaffSession } from '../../../../miniprogram/src/lib/staff/staff-session';
import { readUploadAnswer } from '../../../../miniprogram/src/lib/staff/upload-queue';
import { idCardLine, seedReadyVoucher, useStaffServer } from '../../../helpers/review';
import { PASSWORD } from '../../../helpers/staff-fixture';

jest.mock('@tarojs/taro', () => ({ __esModule: true, default: { request: (options: TaroRequestOptions) => mockTaroRequest(options) } }));

interface TaroRequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
}

async function mockTaroRequest(options: TaroRequestOptions): Promise<{ statusCode: number; data: unknown }> {
  const response = await fetch(options.url, {
    method: options.method ?? 'GET',
    headers: options.header,
    body: options.data === undefined ? undefined : JSON.stringify(options.data),
  });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : '';
  } catch {
    // Taro leaves a body it cannot parse as text.
  }
  return { statusCode: response.status, data };
}

/** api/client.ts, loaded untyped: the root tsconfig cannot resolve its Taro-only imports. */
type Client = { request: StaffApiDeps['request']; ApiError: StaffApiDeps['ApiError'] };

const MONTH = '2026-10';
const CHINESE = /[\u4e00-\u9fff]/;

describe('staff API calls against the real server', () => {
  const ids = { v1: 0, v2: 0, doomed: 0, exposed: 0 };
  const t = useStaffServer('sqlite', async (t) => {
    ids.v1 = (await seedReadyVoucher(t.env, t.staff.villageA1, MONTH)).id;
    ids.v2 = (await seedReadyVoucher(t.env, t.staff.villageA1, MONTH)).id;
    ids.doomed = (await seedReadyVoucher(t.env, t.staff.villageA1, '2026-09')).id;
    ids.exposed = (await seedReadyVoucher(t.env, t.staff.villageA1, '2026-07', { ocrLines: [idCardLine()] })).id;
  });
  let client: Client;

  beforeAll(() => {
    // config.ts reads this build-time constant when client.ts is first loaded.
    (globalThis as { __API_BASE_URL__?: string }).__API_BASE_URL__ = t.server.baseUrl;
    client = require('../../../../miniprogram/src/api/client') as Client;
  });

  function staffApp(): { api: ReturnType<typeof createStaffApi>; session: StaffSession; store: ReturnType<typeof memoryStore> } {
    const store = memoryStore();
    const session = createStaffSession(store);
    return { api: createStaffApi({ request: client.request, ApiError: client.ApiError, session }), session, store };
  }

  async function loggedIn(username: string) {
    const app = staffApp();
    await app.api.login({ username, password: PASSWORD });
    return app;
  }

  async function failure(promise: Promise<unknown>): Promise<InstanceType<Client['ApiError']>> {
    const err = await promise.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(client.ApiError);
    return err as InstanceType<Client['ApiError']>;
  }

  test('login keeps the session; me() answers with the user; a wrong password keeps nothing', async () => {
    const { api, session, store } = await loggedIn('acct-a1');
    expect(session.user()).toMatchObject({ username: 'acct-a1', role: 'accountant', villageId: t.staff.villageA1 });
    expect(session.expiresAt()! - Date.now()).toBeGreaterThan(60_000);
    expect(await api.me()).toMatchObject({ id: t.staff.users.accountantA1.id, role: 'accountant' });
    expect(store.data[SESSION_KEY]).toBeDefined();

    const other = staffApp();
    const err = await failure(other.api.login({ username: 'acct-a1', password: 'wrong-password' }));
    expect(err.status).toBe(401);
    expect(err.message).toMatch(CHINESE);
    expect(other.session.current()).toBeNull();
  });

  test('without a session nothing is sent and the page is told to log in', async () => {
    const err = await failure(staffApp().api.listVouchers(t.staff.villageA1, MONTH));
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  test('a token the server refuses ends the session', async () => {
    const { api, session } = staffApp();
    session.save({ token: 'forged.token.value', expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: { id: 1, username: 'admin', displayName: 'x', role: 'admin', villageId: null, townId: null } });
    const err = await failure(api.me());
    expect(err.status).toBe(401);
    expect(session.current()).toBeNull();
  });

  test('vouchers: list, read, correct with the version seen, and a stale version becomes a reload error', async () => {
    const { api } = await loggedIn('acct-a1');
    const list = await api.listVouchers(t.staff.villageA1, MONTH);
    expect(list.map((v) => v.id).sort()).toEqual([ids.v1, ids.v2].sort());
    const seen = await api.getVoucher(ids.v1);
    expect(seen).toMatchObject({ id: ids.v1, status: 'ready', width: 640, height: 480 });

    const box = { box: [10, 20, 300, 40] as [number, number, number, number], type: 'manual' as const, source: 'manual' as const };
    const saved = await api.patchVoucher(ids.v1, { version: seen.version, fields: { payee: '石门村供销社' }, redactions: [box] });
    expect(saved).toMatchObject({ payee: '石门村供销社', redactions: [box], version: seen.version + 1 });

    const err = await failure(api.patchVoucher(ids.v1, { version: seen.version, fields: { payee: '旧的' } }));
    expect(isReloadError(err)).toBe(true);
    expect(err.status).toBe(409);
    expect(err.message).toMatch(CHINESE);
    expect((await api.getVoucher(ids.v1)).payee).toBe('石门村供销社');
  });

  test('deleting a voucher answers with no body and it is gone', async () => {
    const { api } = await loggedIn('acct-a1');
    await expect(api.deleteVoucher(ids.doomed)).resolves.toBeUndefined();
    expect((await failure(api.getVoucher(ids.doomed))).status).toBe(404);
  });

  test('review: submit, queue, reject with a reason, submit again, approve; a published month refuses changes with reload', async () => {
    const accountant = await loggedIn('acct-a1');
    const official = await loggedIn('official-a');
    const otherTown = await loggedIn('official-b');
    const village = t.staff.villageA1;

    expect(await accountant.api.monthStatus(village, MONTH)).toMatchObject({ status: 'draft', month: MONTH });
    expect(await accountant.api.submitMonth(village, MONTH)).toMatchObject({ status: 'submitted' });

    const queue = await official.api.reviewQueue();
    expect(queue).toEqual([expect.objectContaining({ villageId: village, month: MONTH, voucherCount: 2, uncoveredPersonalData: 0 })]);
    expect(await otherTown.api.reviewQueue()).toEqual([]);
    const forbidden = await failure(otherTown.api.approveMonth(village, MONTH));
    expect(forbidden.status).toBe(403);
    expect(otherTown.session.current()).not.toBeNull(); // 403 is not a logout

    expect(await official.api.rejectMonth(village, MONTH, '第二张发票看不清')).toMatchObject({ status: 'rejected', rejectionReason: '第二张发票看不清' });
    expect(await accountant.api.submitMonth(village, MONTH)).toMatchObject({ status: 'submitted' });
    const published = await official.api.approveMonth(village, MONTH);
    expect(published).toMatchObject({ status: 'published' });
    expect(published.digest).toMatch(/^[0-9a-f]{64}$/);

    const again = await failure(official.api.approveMonth(village, MONTH));
    expect(isReloadError(again)).toBe(true);
    const v = await accountant.api.getVoucher(ids.v2);
    expect(isReloadError(await failure(accountant.api.patchVoucher(ids.v2, { version: v.version, fields: { payee: '改不了' } })))).toBe(true);
    expect(isReloadError(await failure(accountant.api.reprocessVoucher(ids.v2)))).toBe(true);
  });

  test('an ID number left uncovered refuses approval with its own code (not a reload); an override reason publishes', async () => {
    const accountant = await loggedIn('acct-a1');
    const official = await loggedIn('official-a');
    await accountant.api.submitMonth(t.staff.villageA1, '2026-07');
    const refused = await failure(official.api.approveMonth(t.staff.villageA1, '2026-07'));
    expect(refused).toMatchObject({ status: 409, code: 'personal_data_uncovered' });
    expect(isReloadError(refused)).toBe(false);
    expect(refused.message).toContain(`凭证 ${ids.exposed}`);
    expect(await official.api.approveMonth(t.staff.villageA1, '2026-07', '这是单位代码，不是身份证号')).toMatchObject({ status: 'published' });
  });

  test('amendments to the published month: request, list, reject with a reason, request again, approve', async () => {
    const accountant = await loggedIn('acct-a1');
    const official = await loggedIn('official-a');
    const village = t.staff.villageA1;

    const first = await accountant.api.requestAmendment(ids.v2, { fields: { payee: '更正后的收款方' } }, '收款方写错了');
    expect(first).toMatchObject({ voucherId: ids.v2, status: 'pending', reason: '收款方写错了' });
    expect((await accountant.api.listAmendments(village, MONTH)).map((a) => a.id)).toEqual([first.id]);
    expect(await official.api.rejectAmendment(first.id, '请附上说明')).toMatchObject({ status: 'rejected', rejectionReason: '请附上说明' });

    const second = await accountant.api.requestAmendment(ids.v2, { fields: { payee: '更正后的收款方' } }, '收款方写错了，已附说明');
    expect((await official.api.pendingAmendments()).map((a) => a.id)).toEqual([second.id]);
    const approved = await official.api.approveAmendment(second.id);
    expect(approved).toMatchObject({ status: 'approved' });
    expect(approved.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(isReloadError(await failure(official.api.approveAmendment(second.id)))).toBe(true);
  });

  test('the upload target takes a single-file form, and a refused file reads back with its Chinese message', async () => {
    const { api } = await loggedIn('acct-a1');
    const target = api.uploadTarget(t.staff.villageA1, '2026-08');
    expect(target.header.Authorization).toMatch(/^Bearer /);
    const form = new FormData();
    form.append('files', new Blob(['not a picture']), 'note.txt');
    const response = await fetch(t.server.baseUrl + target.path, { method: 'POST', headers: target.header, body: form });
    const outcome = readUploadAnswer(response.status, await response.text());
    expect(outcome).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect('message' in outcome && outcome.message).toMatch(CHINESE);
  });
});
