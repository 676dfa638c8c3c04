import { pollVoucherStatuses, type VoucherProgress } from '../../../../miniprogram/src/lib/staff/voucher-status-poller';

const processing = (id: number): VoucherProgress => ({ id, status: 'processing', processingError: null });
const ready = (id: number): VoucherProgress => ({ id, status: 'ready', processingError: null });
const failed = (id: number, processingError: string): VoucherProgress => ({ id, status: 'failed', processingError });

/** A status source answering from a script, one list per check (the last repeats); records when it was asked. */
function scripted(lists: VoucherProgress[][]) {
  const askedAt: number[] = [];
  const start = Date.now();
  const fetchStatuses = jest.fn(async () => {
    askedAt.push(Date.now() - start);
    return lists[Math.min(askedAt.length - 1, lists.length - 1)];
  });
  return { fetchStatuses, askedAt };
}

describe('waiting for uploaded photos to be read', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-30T08:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  test('asks with doubling pauses up to the cap, and stops as soon as every voucher has settled', async () => {
    const source = scripted([
      [processing(1), processing(2), ready(3)],
      [processing(1), processing(2)],
      [ready(1), processing(2)],
      [ready(1), processing(2)],
      [ready(1), failed(2, '图片读不出来')],
    ]);
    const updates: VoucherProgress[][] = [];
    const poll = pollVoucherStatuses({ ids: [1, 2], fetchStatuses: source.fetchStatuses, initialDelayMs: 1000, maxDelayMs: 4000, onUpdate: (s) => updates.push(s) });
    await jest.advanceTimersByTimeAsync(60_000);
    // 1 s, then +2, +4, +4 (capped), +4.
    expect(source.askedAt).toEqual([1000, 3000, 7000, 11000, 15000]);
    await expect(poll.result).resolves.toEqual({
      statuses: [ready(1), failed(2, '图片读不出来')],
      pending: [],
      timedOut: false,
      stopped: false,
    });
    // Only watched vouchers are reported; 3 was not uploaded in this batch.
    expect(updates[0]).toEqual([processing(1), processing(2)]);
    expect(updates).toHaveLength(5);
  });

  test('gives up at the deadline, the last check landing on it, and says what is still pending', async () => {
    const source = scripted([[processing(1), ready(2)]]);
    const poll = pollVoucherStatuses({ ids: [1, 2, 5], fetchStatuses: source.fetchStatuses, initialDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 10_000 });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(source.askedAt).toEqual([1000, 3000, 7000, 10000]);
    const result = await poll.result;
    expect(result.timedOut).toBe(true);
    // 5 was never listed (deleted meanwhile?): still counted as pending.
    expect(result.pending).toEqual([1, 5]);
    expect(result.statuses).toEqual([processing(1), ready(2)]);
  });

  test('defaults: first check after 2 s, pauses capped at 15 s, three minutes in all', async () => {
    const source = scripted([[processing(1)]]);
    const poll = pollVoucherStatuses({ ids: [1], fetchStatuses: source.fetchStatuses });
    await jest.advanceTimersByTimeAsync(600_000);
    expect(source.askedAt.slice(0, 5)).toEqual([2000, 6000, 14000, 29000, 44000]);
    expect(source.askedAt[source.askedAt.length - 1]).toBe(180_000);
    expect((await poll.result).timedOut).toBe(true);
  });

  test('a failed check (network, 5xx) is just tried again later; a 4xx ends polling with the error', async () => {
    let n = 0;
    const flaky = jest.fn(async () => {
      n++;
      if (n === 1) throw Object.assign(new Error('网络不好'), { status: 0, code: 'network' });
      if (n === 2) throw Object.assign(new Error('忙'), { status: 503, code: 'unavailable' });
      return [ready(1)];
    });
    const poll = pollVoucherStatuses({ ids: [1], fetchStatuses: flaky, initialDelayMs: 1000 });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(flaky).toHaveBeenCalledTimes(3);
    await expect(poll.result).resolves.toMatchObject({ statuses: [ready(1)], timedOut: false });

    const expired = Object.assign(new Error('登录已过期，请重新登录'), { status: 401, code: 'token_expired' });
    const denied = jest.fn(async () => {
      throw expired;
    });
    const poll2 = pollVoucherStatuses({ ids: [1], fetchStatuses: denied, initialDelayMs: 1000 });
    const outcome = poll2.result.catch((err) => err);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(denied).toHaveBeenCalledTimes(1);
    expect(await outcome).toBe(expired);
  });

  test('stop() ends it at once (the page was left); nothing is fetched afterwards', async () => {
    const source = scripted([[processing(1)]]);
    const poll = pollVoucherStatuses({ ids: [1], fetchStatuses: source.fetchStatuses, initialDelayMs: 1000 });
    await jest.advanceTimersByTimeAsync(1500);
    poll.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(source.fetchStatuses).toHaveBeenCalledTimes(1);
    await expect(poll.result).resolves.toMatchObject({ stopped: true, timedOut: false, pending: [1] });
  });

  test('nothing to watch: done without asking', async () => {
    const source = scripted([[]]);
    await expect(pollVoucherStatuses({ ids: [], fetchStatuses: source.fetchStatuses }).result).resolves.toEqual({ statuses: [], pending: [], timedOut: false, stopped: false });
    expect(source.fetchStatuses).not.toHaveBeenCalled();
  });
});
