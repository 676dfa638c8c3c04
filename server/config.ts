import path from 'node:path';
import type { S3Settings } from './storage/s3-storage';

export interface Config {
  port: number;
  host: string;
  /** `sqlite:./data/yiyanming.sqlite` or `mysql://user:pass@host:3306/db`. */
  databaseUrl: string;
  /** Local folder (`local`, the default) or an S3-compatible bucket (`s3`). */
  storageDriver: 'local' | 's3';
  storageDir: string;
  /** Set when `storageDriver` is `s3`. */
  s3: S3Settings | null;
  /** Public receipt images: streamed through the API, or a redirect to a short-lived presigned storage link (S3 only). */
  publicImageDelivery: 'stream' | 'redirect';
  publicImageUrlTtlSeconds: number;
  /** Built H5 mini-program served on the same port; missing folder = API only. */
  webDir: string;
  logLevel: string;
  /** Signing secret for staff tokens; when unset one is generated once and kept in the database. */
  authSecret: string | null;
  tokenTtlSeconds: number;
  jsonBodyLimitBytes: number;
  loginMaxFailures: number;
  loginLockSeconds: number;
  workersInProcess: boolean;
  workerConcurrency: number;
  jobLeaseSeconds: number;
  jobPollMs: number;
  /** How long a stopping worker lets its running jobs finish before it hands them back to the queue. */
  workerShutdownGraceMs: number;
  demoData: boolean;
  /** Uploads stream here before they are checked and filed. */
  tmpDir: string;
  uploadMaxBytes: number;
  uploadMaxFiles: number;
  /** An upload whose body stops arriving for this long is answered with an error and its connection closed. */
  uploadIdleTimeoutMs: number;
  ocrEngine: 'paddle' | 'tesseract';
  /** onnxruntime threads per PP-OCR session; with several workers on one machine, workers × threads ≈ cores. */
  ocrThreads: number;
  /** Where villagers reach the app: links and QR codes printed on the bulletin-board sheet point here. */
  publicBaseUrl: string;
  /** How long another process's amendment may take to show on a public month page. */
  publicCacheRevalidateMs: number;
  /** Origins (`https://host[:port]`) whose pages may call the API from a browser; empty: none. */
  corsOrigins: string[];
  /** Logins per client IP per minute; 0: no limit. Counted in this process's memory. */
  rateLimitLoginPerMinute: number;
  /** Upload requests per staff user per minute; 0: no limit. Counted in this process's memory. */
  rateLimitUploadPerMinute: number;
  /** Reverse proxies in front of the server: 0 trusts no X-Forwarded-* header; N takes the client from the N-th X-Forwarded-For entry from the right. */
  trustProxy: number;
  /** Strict-Transport-Security max-age sent on https requests; 0: not sent. */
  hstsMaxAgeSeconds: number;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function boolFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1/0 or true/false, got "${raw}"`);
}

/** `TRUST_PROXY`: how many reverse proxies stand in front (0 to 10); `true`/`false` read as 1/0. */
function trustProxyFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const lower = raw.toLowerCase();
  if (['true', 'yes', 'on'].includes(lower)) return 1;
  if (['false', 'no', 'off'].includes(lower)) return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 10) throw new ConfigError(`TRUST_PROXY must be 0 (no proxy) or the number of proxies in front (1 to 10), got "${raw}"`);
  return value;
}

function ocrEngineFrom(raw: string | undefined): 'paddle' | 'tesseract' {
  if (!raw) return 'paddle';
  if (raw === 'paddle' || raw === 'tesseract') return raw;
  throw new ConfigError(`OCR_ENGINE must be paddle or tesseract, got "${raw}"`);
}

/** `CORS_ORIGINS`: comma-separated origins, each `http(s)://host[:port]` without path; normalised as browsers send them. */
export function corsOriginsFrom(raw: string | undefined): string[] {
  if (!raw || !raw.trim()) return [];
  const origins = new Set<string>();
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError(`CORS_ORIGINS must list origins like https://example.org, got "${item}"`);
    }
    if (!/^https?:$/.test(url.protocol) || url.hostname.includes('*') || url.username || url.password || url.pathname !== '/' || url.search || url.hash)
      throw new ConfigError(`CORS_ORIGINS must list origins like https://example.org (no path, no *), got "${item}"`);
    origins.add(url.origin);
  }
  return [...origins];
}

function httpUrlFrom(name: string, raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL like http://127.0.0.1:7480, got "${raw}"`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) throw new ConfigError(`${name} must be an http(s) URL without query or user, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

function storageDriverFrom(raw: string | undefined): 'local' | 's3' {
  if (!raw || raw === 'local') return 'local';
  if (raw === 's3') return 's3';
  throw new ConfigError(`STORAGE_DRIVER must be local or s3, got "${raw}"`);
}

/** `S3_*`: everything the S3 adapter needs, checked here so a typo stops the start with its name. */
function s3SettingsFrom(env: NodeJS.ProcessEnv): S3Settings {
  const bucket = env.S3_BUCKET ?? '';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`S3_BUCKET must be a bucket name (3–63 of a-z 0-9 . -), got "${bucket}"`);
  const accessKeyId = env.S3_ACCESS_KEY_ID ?? '';
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY ?? '';
  if (!accessKeyId || !secretAccessKey) throw new ConfigError('STORAGE_DRIVER=s3 needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  const endpoint = httpUrlFrom('S3_ENDPOINT', env.S3_ENDPOINT);
  const prefix = env.S3_PREFIX ?? '';
  if (prefix && !/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*\/$/.test(prefix)) throw new ConfigError(`S3_PREFIX must look like "yiyanming/" (ending with /), got "${prefix}"`);
  return {
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    bucket,
    accessKeyId,
    secretAccessKey,
    // Path-style by default off AWS: radosgw and MinIO behind one host name rarely have wildcard DNS.
    forcePathStyle: boolFrom(env, 'S3_FORCE_PATH_STYLE', endpoint !== null),
    prefix,
    createBucket: boolFrom(env, 'S3_CREATE_BUCKET', false),
    publicEndpoint: httpUrlFrom('S3_PUBLIC_ENDPOINT', env.S3_PUBLIC_ENDPOINT) ?? endpoint,
  };
}

function imageDeliveryFrom(raw: string | undefined, driver: 'local' | 's3'): 'stream' | 'redirect' {
  if (!raw || raw === 'stream') return 'stream';
  if (raw !== 'redirect') throw new ConfigError(`PUBLIC_IMAGE_DELIVERY must be stream or redirect, got "${raw}"`);
  if (driver !== 's3') throw new ConfigError('PUBLIC_IMAGE_DELIVERY=redirect needs STORAGE_DRIVER=s3 (local files have no links of their own)');
  return raw;
}

/** Reads the environment once; every default is safe for a single machine (loopback, SQLite, local disk). */
function publicBaseUrlFrom(raw: string | undefined, host: string, port: number): string {
  if (!raw) return `http://${host}:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL, got "${raw}"`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL without query, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dataDir = path.resolve(cwd, 'data');
  const databaseUrl = env.DATABASE_URL || `sqlite:${path.join(dataDir, 'yiyanming.sqlite')}`;
  if (!/^(sqlite|mysql|mariadb):/.test(databaseUrl))
    throw new ConfigError(`DATABASE_URL must start with sqlite:, mysql: or mariadb:, got "${databaseUrl.split(':')[0]}:"`);
  return {
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    storageDriver: storageDriverFrom(env.STORAGE_DRIVER),
    storageDir: path.resolve(cwd, env.STORAGE_DIR || path.join(dataDir, 'files')),
    s3: storageDriverFrom(env.STORAGE_DRIVER) === 's3' ? s3SettingsFrom(env) : null,
    publicImageDelivery: imageDeliveryFrom(env.PUBLIC_IMAGE_DELIVERY, storageDriverFrom(env.STORAGE_DRIVER)),
    publicImageUrlTtlSeconds: intFrom(env, 'PUBLIC_IMAGE_URL_TTL_SECONDS', 900, 60, 7 * 24 * 3600),
    webDir: path.resolve(cwd, env.WEB_DIR || path.join('miniprogram', 'dist', 'h5')),
    logLevel: env.LOG_LEVEL || 'info',
    authSecret: env.AUTH_SECRET || null,
    tokenTtlSeconds: intFrom(env, 'TOKEN_TTL_SECONDS', 12 * 3600, 1, 30 * 24 * 3600),
    jsonBodyLimitBytes: intFrom(env, 'JSON_BODY_LIMIT_BYTES', 256 * 1024, 1024, 16 * 1024 * 1024),
    loginMaxFailures: intFrom(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginLockSeconds: intFrom(env, 'LOGIN_LOCK_SECONDS', 15 * 60, 1, 24 * 3600),
    workersInProcess: boolFrom(env, 'WORKERS_IN_PROCESS', true),
    workerConcurrency: intFrom(env, 'WORKER_CONCURRENCY', 1, 1, 64),
    jobLeaseSeconds: intFrom(env, 'JOB_LEASE_SECONDS', 60, 1, 3600),
    jobPollMs: intFrom(env, 'JOB_POLL_MS', 500, 10, 60000),
    workerShutdownGraceMs: intFrom(env, 'WORKER_SHUTDOWN_GRACE_MS', intFrom(env, 'JOB_LEASE_SECONDS', 60, 1, 3600) * 1000, 0, 3_600_000),
    demoData: boolFrom(env, 'DEMO_DATA', true),
    tmpDir: path.resolve(cwd, env.TMP_DIR || path.join(dataDir, 'tmp')),
    uploadMaxBytes: intFrom(env, 'UPLOAD_MAX_BYTES', 20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    uploadMaxFiles: intFrom(env, 'UPLOAD_MAX_FILES', 50, 1, 500),
    uploadIdleTimeoutMs: intFrom(env, 'UPLOAD_IDLE_TIMEOUT_MS', 30_000, 100, 10 * 60_000),
    ocrEngine: ocrEngineFrom(env.OCR_ENGINE),
    ocrThreads: intFrom(env, 'OCR_THREADS', 2, 1, 64),
    publicCacheRevalidateMs: intFrom(env, 'PUBLIC_CACHE_REVALIDATE_MS', 1000, 0, 60_000),
    publicBaseUrl: publicBaseUrlFrom(env.PUBLIC_BASE_URL, env.HOST || '127.0.0.1', intFrom(env, 'PORT', 3000, 0, 65535)),
    corsOrigins: corsOriginsFrom(env.CORS_ORIGINS),
    rateLimitLoginPerMinute: intFrom(env, 'RATE_LIMIT_LOGIN_PER_MINUTE', 10, 0, 100_000),
    rateLimitUploadPerMinute: intFrom(env, 'RATE_LIMIT_UPLOAD_PER_MINUTE', 60, 0, 100_000),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    hstsMaxAgeSeconds: intFrom(env, 'HSTS_MAX_AGE_SECONDS', 365 * 24 * 3600, 0, 2 * 365 * 24 * 3600),
  };
}
