import { clientAddressKey, SlidingWindowLimiter, waitText } from '../../../../server/http/middleware/rate-limit';

describe('SlidingWindowLimiter', () => {
  test('allows `limit` hits in any window and says how long until the next one', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter(3, 60_000, () => now);
    expect(limiter.take('a')).toBe(0);
    now += 10_000;
    expect(limiter.take('a')).toBe(0);
    now += 10_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(40_000); // the first hit leaves the window at +60 s
    expect(limiter.take('b')).toBe(0); // keys are independent
    now += 40_000;
    expect(limiter.take('a')).toBe(0); // the first hit has left
    expect(limiter.take('a')).toBe(10_000); // the second leaves 10 s later
  });

  test('refused hits are not counted: a client that keeps knocking is not locked out for longer', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(1, 1000, () => now);
    expect(limiter.take('k')).toBe(0);
    for (let i = 0; i < 9; i++) {
      now += 100;
      expect(limiter.take('k')).toBeGreaterThan(0);
    }
    now = 1000;
    expect(limiter.take('k')).toBe(0);
  });

  test('remembers a bounded number of keys: stale ones go first, then the oldest', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(1, 1000, () => now, 100);
    for (let i = 0; i < 100; i++) limiter.take(`old-${i}`);
    now = 5000;
    limiter.take('new');
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 200; i++) limiter.take(`live-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.take('live-199')).toBeGreaterThan(0); // the newest are still counted
  });

  test('refuses a limit that is not a positive integer', () => {
    expect(() => new SlidingWindowLimiter(0, 1000, () => 0)).toThrow();
  });
});

describe('clientAddressKey', () => {
  test.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:0:0:9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['1::2:3:4:5:6:7', '1:0:2:3::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['', ''],
  ])('%s → %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key);
  });
});

test('waitText: seconds under two minutes, whole minutes after', () => {
  expect(waitText(1)).toBe('1 秒');
  expect(waitText(119)).toBe('119 秒');
  expect(waitText(121)).toBe('3 分钟');
});
