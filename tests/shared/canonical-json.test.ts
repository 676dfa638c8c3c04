import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';

describe('canonical JSON', () => {
  test('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}');
  });

  test('orders keys by UTF-16 code units, as JSON.stringify of sorted keys would', () => {
    const value = { 村: 1, b: 2, B: 3, é: 4, '𠮷': 5, '10': 6, '9': 7, '！': 8 };
    const expected = `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(value[k as keyof typeof value])}`)
      .join(',')}}`;
    expect(canonicalJson(value)).toBe(expected);
    // Code units, not code points: 𠮷 (U+20BB7, written 0xD842 0xDFB7) sorts before ！ (U+FF01).
    expect(canonicalJson(value)).toBe('{"10":6,"9":7,"B":3,"b":2,"é":4,"村":1,"𠮷":5,"！":8}');
  });

  test('the same values give the same bytes whatever order they were built in', () => {
    const a = canonicalJson({ month: '2026-03', village: { name: '甲一村', id: 1 }, totalFen: 12345 });
    const b = canonicalJson({ totalFen: 12345, village: { id: 1, name: '甲一村' }, month: '2026-03' });
    expect(a).toBe(b);
    // The digest is the sha256 of the UTF-8 bytes.
    expect(createHash('sha256').update(Buffer.from(a, 'utf8')).digest('hex')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('strings are escaped as JSON.stringify escapes them; Chinese stays as UTF-8 characters', () => {
    expect(canonicalJson({ s: '引号"反斜杠\\换行\n\u0001' })).toBe('{"s":"引号\\"反斜杠\\\\换行\\n\\u0001"}');
    expect(Buffer.from(canonicalJson('村'), 'utf8')).toEqual(Buffer.from([0x22, 0xe6, 0x9d, 0x91, 0x22]));
  });

  test('round-trips: parsing canonical text and writing it again changes nothing', () => {
    const text = canonicalJson({ list: [1, -2.5, 0, 1e21, 'a'], nested: { k: [], e: {} } });
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  test.each([
    ['undefined', { a: undefined }],
    ['NaN', { a: NaN }],
    ['Infinity', [Infinity]],
    ['a Date', { at: new Date(0) }],
    ['a class instance', { m: new Map() }],
  ])('refuses %s instead of changing it silently', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(/canonical JSON/);
  });
});
