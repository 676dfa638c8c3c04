import type { JsonSnapshot } from '../services/public/json-snapshot';
import type { AppContext } from './state';

/** RFC 9110 If-None-Match: a list of tags or `*`, compared weakly (a W/ prefix does not matter). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** Whether the client takes gzip: listed in Accept-Encoding and not refused with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip') return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}

/**
 * Answers with fixed bytes and their strong ETag, or 304 when the client holds them already.
 * `no-cache` lets browsers and proxies keep the copy but ask each time: a month can be amended.
 */
export function sendSnapshot(ctx: AppContext, snapshot: Pick<JsonSnapshot<unknown>, 'bytes' | 'etag' | 'gzip'>, cacheControl = 'public, no-cache'): void {
  const gzip = snapshot.gzip && acceptsGzip(ctx.get('Accept-Encoding')) ? snapshot.gzip : null;
  const etag = gzip ? gzip.etag : snapshot.etag;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', cacheControl);
  if (snapshot.gzip) ctx.vary('Accept-Encoding');
  const held = ctx.get('If-None-Match');
  if (ifNoneMatchHits(held, snapshot.etag) || (snapshot.gzip && ifNoneMatchHits(held, snapshot.gzip.etag))) {
    ctx.status = 304;
    return;
  }
  ctx.type = 'application/json; charset=utf-8';
  if (gzip) ctx.set('Content-Encoding', 'gzip');
  ctx.body = gzip ? gzip.bytes : snapshot.bytes;
}
