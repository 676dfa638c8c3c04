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
    ctx.status = 200;
    if (ctx.method === 'GET') ctx.body = fs.createReadStream(file);
  };
}
