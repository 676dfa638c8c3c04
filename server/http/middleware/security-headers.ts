import type { Middleware } from 'koa';
import type { AppState } from '../state';

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security max-age for requests that arrived over https; 0: never sent. */
  hstsMaxAgeSeconds: number;
  /** Origins public images are redirected to (presigned storage links): pages may show and fetch them. */
  imageOrigins?: string[];
}

/** Everything that is not a page of the app (JSON, images, CSV, scripts): nothing may load, run or frame it. */
export const NON_DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The policy of the app's HTML pages, directive by directive. The built H5 app needs:
 * scripts from this origin (its one inline snippet is allowed by hash, see below);
 * styles from this origin plus `<style>` elements Taro's router and components insert at run
 * time (hence 'unsafe-inline' for styles only); images from this origin, `blob:` (photos picked
 * for upload) and `data:` (inline SVG icons); Taro's icon font as a `data:` URL; API calls to
 * this origin only. Nothing may frame the app.
 */
export const PAGE_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' blob: data:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'self'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The page policy for an HTML response. A directive the response already carries wins (the
 * static-file middleware sets `script-src 'self' 'sha256-…'` for the page's own inline script),
 * every other directive comes from PAGE_DIRECTIVES.
 */
export function pagePolicy(existing: string, imageOrigins: string[] = []): string {
  const directives = new Map<string, string>();
  for (const part of existing.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values.join(' '));
  }
  const extra = imageOrigins.length ? ` ${imageOrigins.join(' ')}` : '';
  for (const [name, value] of PAGE_DIRECTIVES)
    if (!directives.has(name)) directives.set(name, name === 'img-src' || name === 'connect-src' ? value + extra : value);
  return [...directives].map(([name, value]) => (value ? `${name} ${value}` : name)).join('; ');
}

/**
 * Headers every response gets, errors included (so this runs outside the error handler):
 * no MIME sniffing, no framing, no referrer, its own browsing context group, HSTS over https,
 * and a Content-Security-Policy chosen by what the response is once it is known.
 */
export function securityHeaders(options: SecurityHeaderOptions): Middleware<AppState> {
  const hsts = options.hstsMaxAgeSeconds > 0 ? `max-age=${options.hstsMaxAgeSeconds}` : null;
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    // ctx.secure reads X-Forwarded-Proto only when TRUST_PROXY made app.proxy true.
    if (hsts && ctx.secure) ctx.set('Strict-Transport-Security', hsts);

    const type = ctx.response.type;
    const existing = String(ctx.response.get('Content-Security-Policy') ?? '');
    if (type === 'text/html') ctx.set('Content-Security-Policy', pagePolicy(existing, options.imageOrigins));
    // Browsers' PDF viewers break under default-src 'none' (their toolbar is inline-styled);
    // a PDF we drew runs nothing, so it gets only the framing rule.
    else if (type === 'application/pdf') ctx.set('Content-Security-Policy', existing || "frame-ancestors 'none'");
    else if (!existing) ctx.set('Content-Security-Policy', NON_DOCUMENT_POLICY);
  };
}
