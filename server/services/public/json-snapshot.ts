import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** A public answer fixed as bytes, with a strong ETag derived from those bytes alone. */
export interface JsonSnapshot<T> {
  body: T;
  bytes: Buffer;
  etag: string;
  /** The same bytes gzipped once, for clients that accept it (a month is ~100 KB, ~10 KB gzipped). */
  gzip?: { bytes: Buffer; etag: string };
}

export function jsonSnapshot<T>(body: T): JsonSnapshot<T> {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  // Any process computes the same tag for the same bytes, so caches stay valid across API processes.
  const tag = createHash('sha256').update(bytes).digest('base64url').slice(0, 32);
  return { body, bytes, etag: `"${tag}"` };
}

/** For snapshots kept and served many times: compress now rather than on every request. */
export function withGzip<T>(snapshot: JsonSnapshot<T>): JsonSnapshot<T> {
  // A different encoding is a different representation, so it gets its own strong tag.
  return { ...snapshot, gzip: { bytes: gzipSync(snapshot.bytes, { level: 9 }), etag: `${snapshot.etag.slice(0, -1)}-gz"` } };
}
