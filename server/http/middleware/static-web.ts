import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// Taro names built assets by content hash (main.1a2b3c4d.js), so they can be cached for good.
const HASHED = /\.[0-9a-f]{8,}\.(?:js|css|png|jpe?g|svg|webp|woff2?|ttf)$/;

/**
 * The Content-Security-Policy of an HTML page of the app: scripts only from this origin, plus
 * the page's own inline scripts by their sha256 (Taro's font-size snippet), so markup that ever
 * reaches the page as HTML cannot run (an `onerror` attribute, a `<script>` in a payee).
 * Cached per file version.
 */
const policies = new Map<string, { mtimeMs: number; policy: string }>();
async function contentSecurityPolicy(file: string, mtimeMs: number): Promise<string> {
  const cached = policies.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.policy;
  const html = await fs.promises.readFile(file, 'utf8');
  const hashes = [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
  );
  const policy = [`script-src 'self' ${hashes.join(' ')}`.trim(), "object-src 'none'", "base-uri 'self'"].join('; ');
  policies.set(file, { mtimeMs, policy });
  return policy;
}

/**
 * Serves the built H5 mini-program. Unknown paths that look like pages get index.html so the
 * app's own router can show them; /api and /healthz paths are never answered here.
 */
export function staticWeb(webDir: string): Middleware<AppState> {
  const root = path.resolve(webDir);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api/') || ctx.path === '/api') return next();
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    if (relative.includes('\0')) return next();
    const candidate = path.resolve(root, '.' + path.posix.normalize('/' + relative));
    if (candidate !== root && !candidate.startsWith(root + path.sep)) return next();

    let file = candidate;
    let stat = await fs.promises.stat(file).catch(() => null);
    if (stat?.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = await fs.promises.stat(file).catch(() => null);
    }
    if (!stat?.isFile()) {
      // A page route of the single-page app, not a missing asset.
      if (path.extname(relative) !== '' || !ctx.accepts('html')) return next();
      file = path.join(root, 'index.html');
      stat = await fs.promises.stat(file).catch(() => null);
      if (!stat?.isFile()) return next();
    }
    const ext = path.extname(file).toLowerCase();
    ctx.type = TYPES[ext] ?? 'application/octet-stream';
    ctx.length = stat.size;
    ctx.lastModified = stat.mtime;
    ctx.set('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (ext === '.html') ctx.set('Content-Security-Policy', await contentSecurityPolicy(file, stat.mtimeMs));
    ctx.status = 200;
    if (ctx.method === 'GET') ctx.body = fs.createReadStream(file);
  };
}
