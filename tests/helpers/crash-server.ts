import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { NODE_TS, ROOT, spawnProcess, type Spawned } from './processes';

/** Where one crash-test installation keeps its data; every server started over it shares these. */
export interface Installation {
  databaseUrl: string;
  storageDir: string;
  tmpDir: string;
  webDir: string;
}

export interface RunningServer {
  process: Spawned;
  url: string;
}

/**
 * The real server (`node --import tsx server/main.ts`) as a child process on a free port, so
 * SIGKILL takes the whole of it: HTTP, the in-process job runner, the database connections.
 * `env` adds settings, e.g. `YYM_CRASH_AT` (server/adapters/crash-points.ts).
 */
export async function startServer(installation: Installation, env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), 'server/main.ts'], {
    DATABASE_URL: installation.databaseUrl,
    STORAGE_DIR: installation.storageDir,
    TMP_DIR: installation.tmpDir,
    WEB_DIR: installation.webDir,
    PORT: '0',
    DEMO_DATA: '0',
    LOG_LEVEL: 'info',
    YYM_CRASH_AT: '',
    ...env,
  }, ROOT);
  const [, url] = await child.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)\/"/, 90_000);
  return { process: child, url };
}

/** Waits for the server to die of SIGKILL (its crash point, or ours); fails if it ends any other way. */
export async function diedOfSigkill(server: RunningServer, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([server.process.exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    server.process.child.kill('SIGKILL');
    await server.process.exited;
    throw new Error(`the server did not crash within ${timeoutMs} ms:\n${server.process.output().slice(-3000)}`);
  }
  if (server.process.child.signalCode !== 'SIGKILL')
    throw new Error(`the server ended with ${server.process.child.exitCode ?? server.process.child.signalCode}, not SIGKILL:\n${server.process.output().slice(-3000)}`);
}

export async function kill(server: RunningServer): Promise<void> {
  if (server.process.child.exitCode === null && server.process.child.signalCode === null) server.process.child.kill('SIGKILL');
  await server.process.exited;
}

/** A one-file multipart body for the upload route, as bytes, with its content type. */
export async function uploadBody(name: string, data: Buffer): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.append('files', new Blob([new Uint8Array(data)], { type: 'image/jpeg' }), name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

export interface UploadAnswer {
  status: number;
  body: { results?: Array<{ file: string; id?: number; error?: { code: string; existingVoucherId?: number } }> };
}

/**
 * One file, one request, like the staff app; null when the connection died without an
 * answer (the server crashed while handling it).
 */
export async function uploadOne(url: string, token: string, villageId: number, month: string, name: string, data: Buffer): Promise<UploadAnswer | null> {
  const { body, contentType } = await uploadBody(name, data);
  let response: Response;
  try {
    response = await fetch(`${url}/api/villages/${villageId}/months/${month}/vouchers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
      body: new Uint8Array(body),
    });
  } catch {
    return null;
  }
  const text = await response.text().catch(() => null);
  if (text === null) return null;
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/**
 * Sends the headers and the first `fraction` of a one-file upload, then holds the connection
 * open; resolves once the server has written part of the file under `tmpDir` (so it is killed
 * in the middle of receiving a body). `abandon` drops the connection.
 */
export async function startHangingUpload(
  url: string,
  token: string,
  target: { villageId: number; month: string; tmpDir: string },
  name: string,
  data: Buffer,
  fraction = 0.6,
): Promise<{ abandon(): void }> {
  const { body, contentType } = await uploadBody(name, data);
  const before = new Set(uploadFolders(target.tmpDir));
  const received = () =>
    uploadFolders(target.tmpDir)
      .filter((folder) => !before.has(folder))
      .some((folder) => fs.readdirSync(folder).some((file) => fs.statSync(path.join(folder, file)).size > 0));
  const request = http.request(`${url}/api/villages/${target.villageId}/months/${target.month}/vouchers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Content-Length': String(body.length) },
  });
  request.on('error', () => undefined);
  request.write(body.subarray(0, Math.floor(body.length * fraction)));
  const deadline = Date.now() + 30_000;
  while (!received()) {
    if (Date.now() > deadline) throw new Error('the server never started writing the upload to TMP_DIR');
    await new Promise((r) => setTimeout(r, 25));
  }
  return { abandon: () => request.destroy() };
}

/** The per-request upload folders under TMP_DIR (requests being received, or left by a crash). */
export function uploadFolders(tmpDir: string): string[] {
  if (!fs.existsSync(tmpDir)) return [];
  return fs
    .readdirSync(tmpDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith('upload-'))
    .map((e) => path.join(tmpDir, e.name));
}

/** Sets the modification time of everything under `dir` to `at`: lets hours pass for a sweep's grace period. */
export function backdate(dir: string, at: Date): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) backdate(full, at);
    fs.utimesSync(full, at, at);
  }
}
