/**
 * Canonical JSON: object keys sorted by UTF-16 code units (JavaScript's default sort), no
 * whitespace, strings and numbers written as JSON.stringify writes them. Anyone can rebuild
 * the same bytes from the same values, so a digest of them can be checked independently.
 * Values JSON cannot carry exactly (undefined, NaN, Infinity, dates, class instances) are
 * refused rather than silently changed.
 */
export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => write(item, `${path}[${i}]`)).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], `${path}.${key}`)}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`canonical JSON: ${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}, which JSON cannot hold exactly`);
}
