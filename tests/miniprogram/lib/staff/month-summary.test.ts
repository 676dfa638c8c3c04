import { PUBLICATION_STATUSES } from '../../../../shared/schemas/months';
import { FLAG_TYPES, type StaffVoucher, type VoucherFlag } from '../../../../shared/schemas/vouchers';
import {
  FLAG_TEXT,
  MONTH_STATUS_TEXT,
  currentMonthInShanghai,
  isEditableStatus,
  openFlags,
  summarizeMonth,
} from '../../../../miniprogram/src/lib/staff/month-summary';

const CHINESE = /[\u4e00-\u9fff]/;

type ListedVoucher = Pick<StaffVoucher, 'id' | 'status' | 'flags' | 'amountFen' | 'withdrawn'>;

/** A read voucher with no flags, changed as the test needs. */
const voucher = (id: number, changes: Partial<ListedVoucher> = {}): ListedVoucher => ({
  id,
  status: 'ready',
  flags: [],
  amountFen: 1000,
  withdrawn: null,
  ...changes,
});

const flag = (type: VoucherFlag['type'], acknowledged = false): VoucherFlag => ({ type, message: '请看一下', acknowledged });
const withdrawn = { reason: '重复报销，撤回', at: '2026-04-02T03:00:00.000Z' };

describe('the words for a month and its flags', () => {
  test('every publication status reads in Chinese', () => {
    expect(Object.keys(MONTH_STATUS_TEXT).sort()).toEqual([...PUBLICATION_STATUSES].sort());
    for (const status of PUBLICATION_STATUSES) expect(MONTH_STATUS_TEXT[status]).toMatch(CHINESE);
  });

  test('every flag type reads in Chinese', () => {
    expect(Object.keys(FLAG_TEXT).sort()).toEqual([...FLAG_TYPES].sort());
    for (const type of FLAG_TYPES) expect(FLAG_TEXT[type]).toMatch(CHINESE);
  });

  test('vouchers can be changed while the month is a draft or sent back, not once submitted or published', () => {
    expect(PUBLICATION_STATUSES.filter(isEditableStatus)).toEqual(['draft', 'rejected']);
  });
});

describe('the flags still to look at on a voucher', () => {
  test('acknowledged flags are left out; the rest come needs_checking, duplicate, personal_data', () => {
    const v = voucher(1, {
      flags: [flag('personal_data'), flag('needs_checking', true), flag('duplicate'), flag('needs_checking'), flag('personal_data', true)],
    });
    expect(openFlags(v).map((f) => f.type)).toEqual(['needs_checking', 'duplicate', 'personal_data']);
  });

  test('the flags themselves are handed back untouched, and the voucher\'s list is not reordered', () => {
    const dup: VoucherFlag = { type: 'duplicate', message: '和凭证 7 可能重复', otherVoucherId: 7, acknowledged: false };
    const check = flag('needs_checking');
    const v = voucher(1, { flags: [dup, check] });
    expect(openFlags(v)).toEqual([check, dup]);
    expect(v.flags).toEqual([dup, check]);
  });

  test('none at all, or all acknowledged, is an empty list', () => {
    expect(openFlags(voucher(1))).toEqual([]);
    expect(openFlags(voucher(1, { flags: [flag('duplicate', true), flag('needs_checking', true)] }))).toEqual([]);
  });
});

describe('a month at a glance', () => {
  test('an empty month', () => {
    expect(summarizeMonth([])).toEqual({
      count: 0,
      totalFen: 0,
      missingAmount: 0,
      processing: 0,
      failed: 0,
      openFlags: { needs_checking: 0, duplicate: 0, personal_data: 0 },
      blockers: [],
    });
  });

  test('counts the vouchers and adds their amounts, refunds included; those without an amount are counted apart', () => {
    const summary = summarizeMonth([
      voucher(1, { amountFen: 12345 }),
      voucher(2, { amountFen: 655 }),
      voucher(3, { amountFen: null }),
      voucher(4, { amountFen: -1000 }),
      voucher(5, { amountFen: null, status: 'processing' }),
    ]);
    expect(summary.count).toBe(5);
    expect(summary.totalFen).toBe(12345 + 655 - 1000);
    expect(summary.missingAmount).toBe(2);
  });

  test('withdrawn vouchers stay listed but are not in the count, the total or the missing amounts', () => {
    const summary = summarizeMonth([
      voucher(1, { amountFen: 5000 }),
      voucher(2, { amountFen: 3000, withdrawn }),
      voucher(3, { amountFen: null, withdrawn }),
    ]);
    expect(summary).toMatchObject({ count: 1, totalFen: 5000, missingAmount: 0 });
  });

  test('a withdrawn voucher\'s status and open flags are still counted, and it can still block (as on the server, which checks every listed voucher)', () => {
    const summary = summarizeMonth([
      voucher(1),
      voucher(2, { withdrawn, flags: [flag('duplicate'), flag('personal_data')] }),
      voucher(3, { withdrawn, status: 'failed', amountFen: null }),
    ]);
    expect(summary).toMatchObject({ count: 1, totalFen: 1000, missingAmount: 0, failed: 1 });
    expect(summary.openFlags).toEqual({ needs_checking: 0, duplicate: 1, personal_data: 1 });
    expect(summary.blockers.map((b) => b.id)).toEqual([2, 3]);
  });

  test('counts vouchers still being read and those that failed', () => {
    const summary = summarizeMonth([
      voucher(1, { status: 'processing', amountFen: null }),
      voucher(2, { status: 'processing', amountFen: null }),
      voucher(3, { status: 'failed', amountFen: null }),
      voucher(4),
    ]);
    expect(summary).toMatchObject({ processing: 2, failed: 1, count: 4, missingAmount: 3 });
  });

  test('counts open flags by type; acknowledged ones are not counted', () => {
    const summary = summarizeMonth([
      voucher(1, { flags: [flag('needs_checking'), flag('personal_data')] }),
      voucher(2, { flags: [flag('needs_checking', true), flag('duplicate')] }),
      voucher(3, { flags: [flag('personal_data', true), flag('duplicate', true)] }),
      voucher(4, { flags: [flag('needs_checking')] }),
    ]);
    expect(summary.openFlags).toEqual({ needs_checking: 2, duplicate: 1, personal_data: 1 });
  });

  describe('what stops the month being submitted', () => {
    test('one line per blocking voucher, with its id and its 1-based place in the list', () => {
      const summary = summarizeMonth([
        voucher(11),
        voucher(12, { status: 'processing', amountFen: null }),
        voucher(13),
        voucher(14, { status: 'failed', amountFen: null }),
        voucher(15, { flags: [flag('duplicate')] }),
        voucher(16, { flags: [flag('needs_checking')] }),
      ]);
      expect(summary.blockers).toEqual([
        { id: 12, position: 2, reason: '还在识别中' },
        { id: 14, position: 4, reason: '处理失败，请重新识别或删除' },
        { id: 15, position: 5, reason: '可能重复，请确认' },
        { id: 16, position: 6, reason: '需要核对，请确认' },
      ]);
      for (const b of summary.blockers) expect(b.reason).toMatch(CHINESE);
    });

    test('a voucher still being read or failed blocks for that reason, whatever its flags', () => {
      const flags = [flag('duplicate'), flag('needs_checking')];
      expect(summarizeMonth([voucher(1, { status: 'processing', flags })]).blockers[0].reason).toBe('还在识别中');
      expect(summarizeMonth([voucher(1, { status: 'failed', flags })]).blockers[0].reason).toBe('处理失败，请重新识别或删除');
    });

    test('an open duplicate is named before an open needs_checking on the same voucher', () => {
      const summary = summarizeMonth([voucher(1, { flags: [flag('needs_checking'), flag('duplicate')] })]);
      expect(summary.blockers).toEqual([{ id: 1, position: 1, reason: '可能重复，请确认' }]);
    });

    test('an acknowledged duplicate gives way to the open needs_checking', () => {
      const summary = summarizeMonth([voucher(1, { flags: [flag('duplicate', true), flag('needs_checking')] })]);
      expect(summary.blockers).toEqual([{ id: 1, position: 1, reason: '需要核对，请确认' }]);
    });

    test('personal data alone does not block (the boxes are the official\'s to check), nor do acknowledged flags', () => {
      const summary = summarizeMonth([
        voucher(1, { flags: [flag('personal_data')] }),
        voucher(2, { flags: [flag('duplicate', true), flag('needs_checking', true)] }),
        voucher(3, { flags: [flag('personal_data'), flag('duplicate', true)] }),
        voucher(4, { amountFen: null }),
      ]);
      expect(summary.blockers).toEqual([]);
    });
  });
});

describe('the current month in Beijing time', () => {
  test.each([
    ['2026-03-31T15:59:59Z', '2026-03'],
    ['2026-03-31T16:00:00Z', '2026-04'],
    ['2026-03-31T16:30:00Z', '2026-04'],
    ['2026-12-31T15:59:59Z', '2026-12'],
    ['2026-12-31T16:00:00Z', '2027-01'],
    ['2026-01-01T00:00:00Z', '2026-01'],
    ['2025-12-31T23:00:00Z', '2026-01'],
    ['2026-09-15T12:00:00+08:00', '2026-09'],
  ])('at %s it is %s', (instant, month) => {
    expect(currentMonthInShanghai(Date.parse(instant))).toBe(month);
  });
});
