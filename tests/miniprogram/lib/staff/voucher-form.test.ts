import { CATEGORIES } from '../../../../shared/categories';
import type { VoucherFields } from '../../../../shared/schemas/vouchers';
import {
  FORM_LABELS,
  fieldsFromForm,
  formOf,
  normalizeDate,
  type FormField,
  type VoucherForm,
} from '../../../../miniprogram/src/lib/staff/voucher-form';

const CHINESE = /[\u4e00-\u9fff]/;

/** A voucher the recognizer could not read at all. */
const blank: VoucherFields = {
  amountFen: null,
  date: null,
  invoiceCode: null,
  invoiceNumber: null,
  payee: null,
  description: null,
  category: null,
};

/** A voucher with every field filled in, as the server would hand it over. */
const filled: VoucherFields = {
  amountFen: 12345,
  date: '2026-03-05',
  invoiceCode: '144031900111',
  invoiceNumber: '12345678',
  payee: '镇供销社',
  description: '村委会打印纸',
  category: '办公用品',
};

/** The voucher's own form with some boxes retyped, checked against the real category list. */
function edit(changes: Partial<VoucherForm>, voucher: VoucherFields = blank) {
  return fieldsFromForm({ ...formOf(voucher), ...changes }, voucher, CATEGORIES);
}

/** Every message the form can show must be readable by the accountant. */
function expectChineseErrors(errors: Partial<Record<FormField, string>>) {
  for (const message of Object.values(errors)) expect(message).toMatch(CHINESE);
}

describe('the voucher editor shows the voucher as it stands', () => {
  test('the amount is in yuan with two decimals, the other fields as stored', () => {
    expect(formOf(filled)).toEqual({
      amount: '123.45',
      date: '2026-03-05',
      invoiceCode: '144031900111',
      invoiceNumber: '12345678',
      payee: '镇供销社',
      description: '村委会打印纸',
      category: '办公用品',
    });
    expect(formOf({ ...blank, amountFen: 5 }).amount).toBe('0.05');
    expect(formOf({ ...blank, amountFen: 100 }).amount).toBe('1.00');
    expect(formOf({ ...blank, amountFen: 0 }).amount).toBe('0.00');
  });

  test('a negative amount (a refund) keeps its sign', () => {
    expect(formOf({ ...blank, amountFen: -12345 }).amount).toBe('-123.45');
    expect(formOf({ ...blank, amountFen: -5 }).amount).toBe('-0.05');
  });

  test('fields not read yet are empty boxes', () => {
    expect(formOf(blank)).toEqual({ amount: '', date: '', invoiceCode: '', invoiceNumber: '', payee: '', description: '', category: '' });
  });

  test('every box has a Chinese label', () => {
    for (const key of Object.keys(formOf(blank)) as FormField[]) expect(FORM_LABELS[key]).toMatch(CHINESE);
  });
});

describe('dates as people type them', () => {
  test.each([
    ['2026.3.5'],
    ['2026/03/05'],
    ['2026/3/5'],
    ['2026-3-5'],
    ['2026年3月5日'],
    ['2026年03月05日'],
    ['2026 年 3 月 5 日'],
    ['2026年3月5'],
    ['  2026-03-05  '],
  ])('%j is 2026-03-05', (typed) => {
    expect(normalizeDate(typed)).toBe('2026-03-05');
  });

  test('anything else is only trimmed', () => {
    expect(normalizeDate('  三月五号 ')).toBe('三月五号');
    expect(normalizeDate('20260305')).toBe('20260305');
    expect(normalizeDate('26.3.5')).toBe('26.3.5');
    expect(normalizeDate('')).toBe('');
    expect(normalizeDate('   ')).toBe('');
  });

  test('the numbers are not checked here: a month 13 is only padded', () => {
    expect(normalizeDate('2026.13.1')).toBe('2026-13-01');
  });
});

describe('saving the voucher editor', () => {
  describe('only what changed is sent', () => {
    test('an untouched form sends nothing and has nothing to complain about', () => {
      expect(edit({}, filled)).toEqual({ fields: {}, errors: {} });
      expect(edit({}, blank)).toEqual({ fields: {}, errors: {} });
      expect(edit({}, { ...filled, amountFen: -12345 })).toEqual({ fields: {}, errors: {} });
    });

    test('retyping a field the same way (a different spelling of the same value) sends nothing', () => {
      expect(edit({ amount: '￥123.45', date: '2026年3月5日', invoiceCode: '1440 3190 0111', payee: '  镇供销社 ' }, filled)).toEqual({ fields: {}, errors: {} });
    });

    test('one changed box gives one field', () => {
      expect(edit({ payee: '县五金店' }, filled)).toEqual({ fields: { payee: '县五金店' }, errors: {} });
    });

    test('a mistake in one box does not hold back the others, but its own field is left out', () => {
      const result = edit({ payee: '县五金店', amount: 'abc' }, filled);
      expect(result.fields).toEqual({ payee: '县五金店' });
      expect(Object.keys(result.errors)).toEqual(['amount']);
    });
  });

  describe('amount', () => {
    test.each([
      ['128.5', 12850],
      ['128.50', 12850],
      ['128', 12800],
      ['1,234.50', 123450],
      ['1，234.50', 123450],
      ['￥12', 1200],
      ['¥12.3', 1230],
      ['12元', 1200],
      [' 12 元 ', 1200],
      ['-3.5', -350],
      ['0', 0],
    ])('%j is %d fen', (typed, fen) => {
      const { fields, errors } = edit({ amount: typed });
      expect(errors).toEqual({});
      expect(fields).toEqual({ amountFen: fen });
    });

    test.each([
      ['0.29', 29],
      ['0.57', 57],
      ['1.15', 115],
      ['19.99', 1999],
      ['4.35', 435],
      ['1005.07', 100507],
    ])('%j is exactly %d fen (never through floats)', (typed, fen) => {
      expect(edit({ amount: typed }).fields.amountFen).toBe(fen);
    });

    test.each([['12.345'], ['abc'], ['1.2.3'], ['12.'], ['.5'], ['十二元'], ['12-']])('%j is not an amount', (typed) => {
      const { fields, errors } = edit({ amount: typed }, filled);
      expect(errors.amount).toMatch(CHINESE);
      expect(fields).not.toHaveProperty('amountFen');
    });

    test('up to one hundred million yuan either way; more is refused', () => {
      expect(edit({ amount: '100000000' })).toEqual({ fields: { amountFen: 10_000_000_000 }, errors: {} });
      expect(edit({ amount: '-100000000.00' })).toEqual({ fields: { amountFen: -10_000_000_000 }, errors: {} });
      for (const typed of ['100000000.01', '-100000000.01', '123456789', '99999999999999999999']) {
        const { fields, errors } = edit({ amount: typed });
        expect(errors.amount).toMatch(CHINESE);
        expect(fields).not.toHaveProperty('amountFen');
      }
    });

    test('an emptied box clears the amount', () => {
      expect(edit({ amount: '' }, filled)).toEqual({ fields: { amountFen: null }, errors: {} });
      expect(edit({ amount: '   ' }, filled)).toEqual({ fields: { amountFen: null }, errors: {} });
    });
  });

  describe('date', () => {
    test('a real day is accepted, whichever way it was typed', () => {
      expect(edit({ date: '2026-04-30' }, filled)).toEqual({ fields: { date: '2026-04-30' }, errors: {} });
      expect(edit({ date: '2026.4.1' }, filled)).toEqual({ fields: { date: '2026-04-01' }, errors: {} });
      expect(edit({ date: '2024年2月29日' }, filled)).toEqual({ fields: { date: '2024-02-29' }, errors: {} });
    });

    test.each([['2026-02-30'], ['2025-02-29'], ['2026-13-01'], ['2026-00-10'], ['2026-04-31'], ['2026-04-00'], ['20260305'], ['三月五号']])(
      '%j is refused',
      (typed) => {
        const { fields, errors } = edit({ date: typed }, filled);
        expect(errors.date).toMatch(CHINESE);
        expect(fields).not.toHaveProperty('date');
      },
    );

    test('an emptied box clears the date', () => {
      expect(edit({ date: ' ' }, filled)).toEqual({ fields: { date: null }, errors: {} });
    });
  });

  describe('invoice code and number', () => {
    test('the code is 10 or 12 digits; spaces typed to group them are dropped', () => {
      expect(edit({ invoiceCode: '1440319001' }).fields).toEqual({ invoiceCode: '1440319001' });
      expect(edit({ invoiceCode: '1440 3190 0111' }).fields).toEqual({ invoiceCode: '144031900111' });
      expect(edit({ invoiceCode: ' 044031900111 ' }).fields).toEqual({ invoiceCode: '044031900111' });
    });

    test.each([['123456789'], ['12345678901'], ['1234567890123'], ['14403190011A'], ['1440-3190-0111']])('code %j is refused', (typed) => {
      const { fields, errors } = edit({ invoiceCode: typed }, filled);
      expect(errors.invoiceCode).toMatch(CHINESE);
      expect(fields).not.toHaveProperty('invoiceCode');
    });

    test('the number is 8 or 20 digits; spaces are dropped', () => {
      expect(edit({ invoiceNumber: '0012 3456' }).fields).toEqual({ invoiceNumber: '00123456' });
      expect(edit({ invoiceNumber: '24442000000012345678' }).fields).toEqual({ invoiceNumber: '24442000000012345678' });
      expect(edit({ invoiceNumber: '2444 2000 0000 1234 5678' }).fields).toEqual({ invoiceNumber: '24442000000012345678' });
    });

    test.each([['1234567'], ['123456789'], ['1234567890123456789'], ['123456789012345678901'], ['No.12345678']])('number %j is refused', (typed) => {
      const { fields, errors } = edit({ invoiceNumber: typed }, filled);
      expect(errors.invoiceNumber).toMatch(CHINESE);
      expect(fields).not.toHaveProperty('invoiceNumber');
    });

    test('emptied boxes clear them', () => {
      expect(edit({ invoiceCode: '', invoiceNumber: '  ' }, filled)).toEqual({ fields: { invoiceCode: null, invoiceNumber: null }, errors: {} });
    });
  });

  describe('payee and description', () => {
    test('are trimmed', () => {
      expect(edit({ payee: '  县五金店\n', description: ' 修水泵 ' }).fields).toEqual({ payee: '县五金店', description: '修水泵' });
    });

    test('the payee may be 200 characters, not more', () => {
      expect(edit({ payee: '店'.repeat(200) })).toEqual({ fields: { payee: '店'.repeat(200) }, errors: {} });
      expect(edit({ payee: ` ${'店'.repeat(200)} ` }).errors).toEqual({});
      const { fields, errors } = edit({ payee: '店'.repeat(201) }, filled);
      expect(errors.payee).toMatch(CHINESE);
      expect(fields).not.toHaveProperty('payee');
    });

    test('the description may be 500 characters, not more', () => {
      expect(edit({ description: '修'.repeat(500) })).toEqual({ fields: { description: '修'.repeat(500) }, errors: {} });
      const { fields, errors } = edit({ description: '修'.repeat(501) }, filled);
      expect(errors.description).toMatch(CHINESE);
      expect(fields).not.toHaveProperty('description');
    });

    test('emptied (or only blank) boxes clear them', () => {
      expect(edit({ payee: '   ', description: '' }, filled)).toEqual({ fields: { payee: null, description: null }, errors: {} });
    });
  });

  describe('category', () => {
    test.each(CATEGORIES.map((c) => [c]))('%s may be chosen', (category) => {
      expect(edit({ category })).toEqual({ fields: { category }, errors: {} });
    });

    test.each([['文具'], ['办公'], [' 办公用品']])('%j is not on the list', (category) => {
      const { fields, errors } = edit({ category }, filled);
      expect(errors.category).toMatch(CHINESE);
      expect(fields).not.toHaveProperty('category');
    });

    test('the list handed in is the one that counts', () => {
      expect(fieldsFromForm({ ...formOf(blank), category: '交通' }, blank, ['办公用品']).errors.category).toMatch(CHINESE);
    });

    test('no choice clears it', () => {
      expect(edit({ category: '' }, filled)).toEqual({ fields: { category: null }, errors: {} });
    });
  });

  test('a form wrong in every box names every box, in Chinese, and sends nothing', () => {
    const { fields, errors } = edit(
      {
        amount: '1.2.3',
        date: '2026-02-30',
        invoiceCode: '123',
        invoiceNumber: '456',
        payee: 'x'.repeat(201),
        description: 'y'.repeat(501),
        category: '杂费',
      },
      filled,
    );
    expect(fields).toEqual({});
    expect(Object.keys(errors).sort()).toEqual(['amount', 'category', 'date', 'description', 'invoiceCode', 'invoiceNumber', 'payee']);
    expectChineseErrors(errors);
  });
});
