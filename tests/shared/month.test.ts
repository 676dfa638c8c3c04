import { isMonth, monthInShanghai, monthSchema } from '../../shared/month';

describe('a month is YYYY-MM', () => {
  test('only zero-padded months 01–12 pass', () => {
    expect(isMonth('2026-03')).toBe(true);
    expect(isMonth('2026-3')).toBe(false);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-00')).toBe(false);
    expect(monthSchema.safeParse('2026/03').success).toBe(false);
  });

  test('the schema explains the format in Chinese', () => {
    const result = monthSchema.safeParse('March');
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toContain('YYYY-MM');
  });

  test('the current month is counted in Shanghai time, not UTC', () => {
    // 2026-03-31 17:00 UTC is already 1 April in China.
    expect(monthInShanghai(new Date('2026-03-31T17:00:00Z'))).toBe('2026-04');
    expect(monthInShanghai(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03');
  });
});
