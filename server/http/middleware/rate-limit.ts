import net from 'node:net';
import type { Middleware } from 'koa';
import type { Clock } from '../../adapters/clock';
import { AppError } from '../../errors';
import type { AppContext, AppState } from '../state';

/**
 * At most `limit` hits per key in any `windowMs` (a sliding window over each key's recent hit
 * times). Refused hits are not counted, so a client that keeps knocking is let in again as soon
 * as its oldest counted hit leaves the window. Kept in this process's memory: several server
 * processes each count on their own.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    /** Bound on remembered keys, so a flood of distinct clients cannot grow memory without end. */
    private readonly maxKeys = 50_000,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
  }

  /** Counts a hit for `key` and returns 0, or, when the key is over its limit, the milliseconds until it is not. */
  take(key: string): number {
    const now = this.now();
    const cutoff = now - this.windowMs;
    let times = this.hits.get(key);
    if (times) {
      let expired = 0;
      while (expired < times.length && times[expired] <= cutoff) expired++;
      if (expired) times.splice(0, expired);
      if (times.length >= this.limit) return Math.max(1, times[0] + this.windowMs - now);
    } else {
      if (this.hits.size >= this.maxKeys) this.sweep(cutoff);
      times = [];
      this.hits.set(key, times);
    }
    times.push(now);
    return 0;
  }

  /** How many keys are remembered (for tests). */
  get size(): number {
    return this.hits.size;
  }

  private sweep(cutoff: number): void {
    for (const [key, times] of this.hits) if (times.length === 0 || times[times.length - 1] <= cutoff) this.hits.delete(key);
    // Still full of live keys: forget the oldest tenth rather than sweeping again on every new key.
    if (this.hits.size >= this.maxKeys) {
      let drop = Math.ceil(this.maxKeys / 10);
      for (const key of this.hits.keys()) {
        if (drop-- <= 0) break;
        this.hits.delete(key);
      }
    }
  }
}

/**
 * The key for a client address: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64
 * prefix, since one household or phone is usually given a whole /64 to pick addresses from.
 */
export function clientAddressKey(address: string): string {
  const ip = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!net.isIPv6(ip)) return ip;
  const count = (part: string) => (part === '' ? 0 : part.split(':').reduce((n, h) => n + (h.includes('.') ? 2 : 1), 0));
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = !tail ? [] : tail.split(':');
  const groups = tail === undefined ? headParts : [...headParts, ...Array<string>(8 - count(head) - count(tail)).fill('0'), ...tailParts];
  return (
    groups
      .slice(0, 4)
      .map((h) => parseInt(h, 16).toString(16))
      .join(':') + '::/64'
  );
}

export interface RateLimitOptions {
  /** Requests allowed per key per window; 0 turns the limit off. */
  limit: number;
  windowMs?: number;
  clock: Clock;
  /** Which requests count; all that reach the middleware when absent. */
  applies?: (ctx: AppContext) => boolean;
  /** Whose budget the request spends. */
  key: (ctx: AppContext) => string;
  /** The Chinese message of the 429 answer. */
  message: (retryAfterSeconds: number) => string;
}

/** Answers 429 `too_many_requests` with Retry-After (seconds) once a key is over its limit. */
export function rateLimit(options: RateLimitOptions): Middleware<AppState> {
  if (options.limit <= 0) return (_ctx, next) => next();
  const limiter = new SlidingWindowLimiter(options.limit, options.windowMs ?? 60_000, () => options.clock.now().getTime());
  return async (ctx, next) => {
    if (options.applies && !options.applies(ctx)) return next();
    const waitMs = limiter.take(options.key(ctx));
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new AppError('too_many_requests', options.message(retryAfterSeconds), { retryAfterSeconds });
    }
    await next();
  };
}

/** "N 秒" under two minutes, else whole minutes. */
export function waitText(seconds: number): string {
  return seconds < 120 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

const LOGIN_PATH = /^\/api\/auth\/login\/?$/i;

/** Login attempts per client address, whatever the username: spraying many usernames from one place is slowed too. */
export function loginRateLimit(limit: number, clock: Clock): Middleware<AppState> {
  return rateLimit({
    limit,
    clock,
    applies: (ctx) => ctx.method === 'POST' && LOGIN_PATH.test(ctx.path),
    key: (ctx) => clientAddressKey(ctx.ip),
    message: (seconds) => `登录太频繁了，请 ${waitText(seconds)}后再试`,
  });
}

/** Upload requests per staff user (per address before the user is known); run after `requireUser`. */
export function uploadRateLimit(limit: number, clock: Clock): Middleware<AppState> {
  return rateLimit({
    limit,
    clock,
    key: (ctx) => (ctx.state.user ? `user:${ctx.state.user.id}` : `ip:${clientAddressKey(ctx.ip)}`),
    message: (seconds) => `上传太频繁了，请 ${waitText(seconds)}后再试`,
  });
}
