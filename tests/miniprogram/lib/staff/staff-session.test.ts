import type { LoginResponse } from '../../../../shared/schemas/auth';
import type { User } from '../../../../shared/schemas/users';
import { memoryStore } from '../../../../miniprogram/src/lib/key-value-store';
import {
  EXPIRY_MARGIN_MS,
  SESSION_KEY,
  STAFF_PAGES,
  canReviewTown,
  canUpload,
  createStaffSession,
  jwtExpiry,
  staffEntries,
} from '../../../../miniprogram/src/lib/staff/staff-session';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned token shaped like the server's (the phone never checks signatures). */
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;

const T0 = Date.parse('2026-11-30T08:00:00Z');
const HOUR = 3600_000;

const accountant: User = { id: 3, username: 'acct-a1', displayName: '王会计', role: 'accountant', villageId: 7, townId: null };
const official: User = { id: 4, username: 'official-a', displayName: '李干部', role: 'official', villageId: null, townId: 2 };
const admin: User = { id: 1, username: 'admin', displayName: '管理员', role: 'admin', villageId: null, townId: null };

function login(expSeconds: number | null, expiresAtMs: number, user: User = accountant): LoginResponse {
  const claims: Record<string, unknown> = { sub: String(user.id), name: '王会计' };
  if (expSeconds !== null) claims.exp = expSeconds;
  return { token: jwt(claims), expiresAt: new Date(expiresAtMs).toISOString(), user };
}

describe('the staff login kept on the phone', () => {
  test('reads exp from the token (UTF-8 claims included) without verifying it; junk gives null', () => {
    expect(jwtExpiry(jwt({ exp: 1_800_000_000, name: '张三' }))).toBe(1_800_000_000_000);
    expect(jwtExpiry(jwt({ name: '张三' }))).toBeNull();
    expect(jwtExpiry('not-a-token')).toBeNull();
    expect(jwtExpiry('a.@@@.c')).toBeNull();
    expect(jwtExpiry(`a.${Buffer.from('{oops').toString('base64url')}.c`)).toBeNull();
  });

  test('saved, it is there until the margin before it runs out, then gone from storage too', () => {
    let now = T0;
    const store = memoryStore();
    const session = createStaffSession(store, { now: () => now });
    expect(session.current()).toBeNull();
    const saved = login((T0 + 8 * HOUR) / 1000, T0 + 8 * HOUR);
    session.save(saved);
    expect(session.current()).toEqual(saved);
    expect(session.token()).toBe(saved.token);
    expect(session.user()).toEqual(accountant);
    expect(session.expiresAt()).toBe(T0 + 8 * HOUR - EXPIRY_MARGIN_MS);

    now = T0 + 8 * HOUR - EXPIRY_MARGIN_MS - 1;
    expect(session.token()).toBe(saved.token);
    now = T0 + 8 * HOUR - EXPIRY_MARGIN_MS;
    expect(session.token()).toBeNull();
    expect(store.data[SESSION_KEY]).toBeUndefined();
  });

  test('the earlier of the token\'s exp and the server\'s expiresAt counts', () => {
    const session = createStaffSession(memoryStore(), { now: () => T0, marginMs: 0 });
    session.save(login((T0 + HOUR) / 1000, T0 + 8 * HOUR));
    expect(session.expiresAt()).toBe(T0 + HOUR);
    session.save(login((T0 + 8 * HOUR) / 1000, T0 + 2 * HOUR));
    expect(session.expiresAt()).toBe(T0 + 2 * HOUR);
    // A token we cannot read still lives until expiresAt.
    session.save({ ...login(null, T0 + 3 * HOUR), token: 'opaque' });
    expect(session.expiresAt()).toBe(T0 + 3 * HOUR);
  });

  test('an already expired login is not used', () => {
    const session = createStaffSession(memoryStore(), { now: () => T0 });
    session.save(login((T0 - 1000) / 1000, T0 + HOUR));
    expect(session.current()).toBeNull();
  });

  test('anything else in storage reads as logged out and is removed', () => {
    const store = memoryStore();
    const session = createStaffSession(store, { now: () => T0 });
    for (const junk of ['x', 42, { token: 1 }, { token: 't', expiresAt: 'soon', user: accountant }, { ...login(null, T0 + HOUR), user: { ...accountant, role: 'villager' } }]) {
      store.set(SESSION_KEY, junk);
      expect(session.current()).toBeNull();
      expect(store.data[SESSION_KEY]).toBeUndefined();
    }
    const broken = { get: () => { throw new Error('storage'); }, set: () => undefined, remove: () => { throw new Error('storage'); } };
    expect(createStaffSession(broken).current()).toBeNull();
    expect(() => createStaffSession(broken).clear()).not.toThrow();
  });

  test('a 401 (token_expired or unauthorized) ends the session; other errors leave it', () => {
    const session = createStaffSession(memoryStore(), { now: () => T0 });
    const fresh = login((T0 + HOUR) / 1000, T0 + HOUR);
    session.save(fresh);
    for (const err of [{ status: 403, code: 'forbidden' }, { status: 409, code: 'conflict' }, { status: 0, code: 'network' }, new Error('x'), null]) {
      expect(session.handleError(err)).toBe(false);
      expect(session.token()).toBe(fresh.token);
    }
    expect(session.handleError({ status: 401, code: 'token_expired', message: '登录已过期，请重新登录' })).toBe(true);
    expect(session.current()).toBeNull();
    session.save(fresh);
    expect(session.handleError({ status: 401, code: 'unauthorized' })).toBe(true);
    expect(session.current()).toBeNull();
  });

  test('updating the user (after /api/me) keeps the token', () => {
    const session = createStaffSession(memoryStore(), { now: () => T0 });
    const fresh = login((T0 + HOUR) / 1000, T0 + HOUR);
    session.save(fresh);
    session.updateUser({ ...accountant, displayName: '王小会' });
    expect(session.current()).toEqual({ ...fresh, user: { ...accountant, displayName: '王小会' } });
  });
});

describe('what each role sees', () => {
  test('a villager (no session) sees no staff entries', () => {
    expect(staffEntries(null)).toEqual([]);
    expect(staffEntries(createStaffSession(memoryStore()).user())).toEqual([]);
  });

  test('an accountant: their own village\'s months and upload', () => {
    expect(staffEntries(accountant)).toEqual([
      { key: 'months', title: '本村账目', url: `${STAFF_PAGES.months}?villageId=7`, readOnly: false },
      { key: 'upload', title: '上传凭证', url: `${STAFF_PAGES.upload}?villageId=7`, readOnly: false },
    ]);
    expect(staffEntries({ ...accountant, villageId: null })).toEqual([]);
  });

  test('an official: their town\'s review queue only', () => {
    expect(staffEntries(official)).toEqual([{ key: 'review', title: '待审核', url: `${STAFF_PAGES.review}?townId=2`, readOnly: false }]);
    expect(staffEntries({ ...official, townId: null })).toEqual([]);
  });

  test('an admin: the review queue of every town, read-only', () => {
    const entries = staffEntries(admin);
    expect(entries.map((e) => [e.key, e.readOnly])).toEqual([['review', true]]);
    expect(entries.find((e) => e.key === 'upload')).toBeUndefined();
  });

  test('who may upload to a village and who may review a town', () => {
    expect(canUpload(accountant, 7)).toBe(true);
    expect(canUpload(accountant, 8)).toBe(false);
    expect(canUpload(official, 7)).toBe(false);
    expect(canUpload(admin, 7)).toBe(false);
    expect(canUpload(null, 7)).toBe(false);
    expect(canReviewTown(official, 2)).toBe(true);
    expect(canReviewTown(official, 3)).toBe(false);
    expect(canReviewTown(admin, 2)).toBe(false);
    expect(canReviewTown(accountant, 2)).toBe(false);
  });
});
