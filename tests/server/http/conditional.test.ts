import { acceptsGzip, ifNoneMatchHits } from '../../../server/http/conditional';

/** If-None-Match as RFC 9110 has it: weak comparison, lists, and the star. */
describe('If-None-Match', () => {
  test.each([
    [undefined, '"a"', false],
    ['', '"a"', false],
    ['"a"', '"a"', true],
    ['W/"a"', '"a"', true],
    ['"b", "a"', '"a"', true],
    ['"b","c"', '"a"', false],
    ['*', '"a"', true],
    ['a', '"a"', false],
  ])('%p against %s hits: %p', (header, etag, hits) => {
    expect(ifNoneMatchHits(header, etag)).toBe(hits);
  });
});

describe('Accept-Encoding', () => {
  test.each([
    [undefined, false],
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['x-gzip', false],
  ])('%p takes gzip: %p', (header, takes) => {
    expect(acceptsGzip(header)).toBe(takes);
  });
});
