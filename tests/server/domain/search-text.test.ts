import type { Redaction } from '../../../shared/schemas/vouchers';
import {
  FIELD_SEPARATOR,
  bigramToken,
  maskLongNumbers,
  normalizeSearchText,
  publicOcrSegments,
  queryTerms,
  searchDocument,
  searchEntry,
  segmentTokens,
  unigramToken,
} from '../../../server/domain/search-text';

type Box = [number, number, number, number];
const line = (text: string, box: Box = [0, 0, 100, 20]) => ({ text, box, confidence: 0.9 });
const boxed = (...boxes: Box[]): Redaction[] => boxes.map((box) => ({ box, type: 'manual', source: 'manual' }));
const voucher = (facts: Partial<Parameters<typeof searchDocument>[0]> = {}) => ({
  payee: null, description: null, invoiceCode: null, invoiceNumber: null, ocrLines: null, redactions: [], ...facts,
});
/** Whether a query's tokens are all in a document (what the full-text index checks) and its text is in it too. */
const finds = (doc: { text: string; tokens: string }, q: string) => {
  const terms = queryTerms(q)!;
  const have = new Set(doc.tokens.split(' '));
  return terms.tokens.every((t) => have.has(t)) && doc.text.includes(terms.text);
};

describe('normalising text for search', () => {
  test('full-width letters and digits become ASCII, letters lower case, and whitespace and invisible characters go', () => {
    expect(normalizeSearchText('ＡＢＣ　１２３ 水 泥\t款\u200b')).toBe('abc123水泥款');
    expect(normalizeSearchText('Ｘ')).toBe('x');
    expect(normalizeSearchText('  \n ')).toBe('');
  });
});

describe('tokens', () => {
  test('one per character and one per adjacent pair, in ASCII letters and digits the engines index as words', () => {
    expect(unigramToken('中')).toBe('u4e2d');
    expect(bigramToken('中', '文')).toBe('b4e2d6587');
    expect(segmentTokens('水泥')).toEqual(['u6c34', 'u6ce5', 'b6c346ce5']);
    expect(segmentTokens('a')).toEqual(['u0061']);
  });

  test('every token is at least five characters of [0-9a-z], characters beyond the BMP included', () => {
    for (const token of segmentTokens('a1中𠮷🌾-%_\'"*+\\')) expect(token).toMatch(/^[0-9a-z]{5,}$/);
    expect(unigramToken('𠮷')).toBe('uz020bb7');
  });

  test('a pair reads back one way only: a wide character is marked, not just written longer', () => {
    // U+0100 then U+10001 must not collide with U+10001 read from "010001…".
    expect(bigramToken('\u0100', String.fromCodePoint(0x10001))).not.toBe(bigramToken(String.fromCodePoint(0x10001), '\u0100'));
    expect(bigramToken('\u0100', String.fromCodePoint(0x10001))).toBe('b0100z010001');
  });
});

describe('queries', () => {
  test('two or more characters need all their pairs, each once; one character needs itself', () => {
    expect(queryTerms('水泥')).toEqual({ text: '水泥', tokens: ['b6c346ce5'] });
    expect(queryTerms('哈哈哈')).toEqual({ text: '哈哈哈', tokens: [bigramToken('哈', '哈')] });
    expect(queryTerms('电')).toEqual({ text: '电', tokens: ['u7535'] });
    expect(queryTerms(' 电 费 ')).toEqual({ text: '电费', tokens: [bigramToken('电', '费')] });
  });

  test('nothing searchable left is null', () => {
    expect(queryTerms(' \u200b ')).toBeNull();
  });

  test('SQL and query-syntax characters are plain characters with ordinary tokens', () => {
    const terms = queryTerms(`' OR 1=1 --`)!;
    expect(terms.text).toBe(`'or1=1--`);
    for (const token of terms.tokens) expect(token).toMatch(/^[0-9a-z]+$/);
  });
});

describe('masking long numbers', () => {
  test.each([
    ['an ID card number', '身份证号11010519491231002X住址', ['身份证号', '住址']],
    ['an ID card number in lower case', '11010519491231002x', ['', '']],
    ['a phone number in groups', '电话 138 1234 5678 王', ['电话 ', ' 王']],
    ['a phone number with hyphens', '电话138-1234-5678', ['电话', '']],
    ['a bank card number in fours', '卡号 6228 4800 0000 0000 018', ['卡号 ', '']],
    ['full-width digits', '１３８１２３４５６７８', ['', '']],
  ])('%s is cut out', (_name, text, pieces) => {
    expect(maskLongNumbers(text)).toEqual(pieces);
  });

  test('six digits or fewer stay: amounts, short codes', () => {
    expect(maskLongNumbers('金额 120.50 元 编号 123456、3月5日')).toEqual(['金额 120.50 元 编号 123456、3月5日']);
  });

  test('erring on the safe side: a date written with hyphens is digits enough to go too', () => {
    expect(maskLongNumbers('2025-03-05')).toEqual(['', '']);
  });
});

describe('the public OCR text', () => {
  test('a line touching any redaction box is left out whole; lines clear of every box stay', () => {
    const ocrLines = [line('收款人 张三', [10, 10, 200, 30]), line('水泥 十包', [10, 100, 200, 30])];
    expect(publicOcrSegments({ ocrLines, redactions: boxed([150, 30, 40, 20]) })).toEqual(['水泥 十包']);
    // Touching edges do not overlap.
    expect(publicOcrSegments({ ocrLines, redactions: boxed([210, 10, 50, 30]) })).toEqual(['收款人 张三', '水泥 十包']);
  });

  test('lines without a readable box are left out, since nobody can tell what they cover', () => {
    expect(publicOcrSegments({ ocrLines: [{ text: '张三' }, 'x', null, line('水泥')], redactions: [] })).toEqual(['水泥']);
  });

  test('a phone number outside every box is cut out of its line, not searchable', () => {
    const doc = searchDocument(voucher({ ocrLines: [line('联系电话 13912345678 李')] }));
    expect(doc.text).toBe(`联系电话${FIELD_SEPARATOR}李`);
    expect(finds(doc, '13912345678')).toBe(false);
    expect(finds(doc, '1391')).toBe(false);
    expect(finds(doc, '电话')).toBe(true);
  });
});

describe('a voucher as a search document', () => {
  const doc = searchDocument(
    voucher({
      payee: '村东头 水泥店',
      description: '修桥用水泥',
      invoiceCode: '033001900111',
      invoiceNumber: '04512345',
      ocrLines: [line('增值税普通发票'), line('村东头水泥店')],
    }),
  );

  test('holds each field, normalised, one per segment; text repeated (the payee on the receipt) once', () => {
    expect(doc.text.split(FIELD_SEPARATOR)).toEqual(['村东头水泥店', '修桥用水泥', '033001900111', '04512345', '增值税普通发票']);
    expect(new Set(doc.tokens.split(' ')).size).toBe(doc.tokens.split(' ').length);
  });

  test('finds words, single characters and invoice digits; the invoice code and number are public facts, never masked', () => {
    for (const q of ['水泥', '水', '东头水泥店', '04512345', '4512', '033001900111', '普通发票']) expect({ q, found: finds(doc, q) }).toEqual({ q, found: true });
  });

  test('misses words not there, pairs that are not adjacent, and words spanning two fields', () => {
    for (const q of ['电费', '水店', '泥店修', '店修桥', '5033']) expect({ q, found: finds(doc, q) }).toEqual({ q, found: false });
  });

  test('an entry carries where and when the voucher was filed', () => {
    const entry = searchEntry({ ...voucher({ payee: '电费' }), id: 7, villageId: 3, month: '2025-03', date: '2025-03-05' }, 2, new Date(0));
    expect(entry).toEqual({ voucherId: 7, villageId: 3, townId: 2, month: '2025-03', date: '2025-03-05', updatedAt: new Date(0), text: '电费', tokens: 'u7535 u8d39 b75358d39' });
  });
});
