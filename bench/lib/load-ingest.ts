/**
 * Accountants uploading receipt photos to the real server and waiting until their vouchers are
 * read (bench/load, bench/scale), and the per-voucher times the job runner logged.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOAD_PASSWORD, type LoadVillage, type UploadFile } from './load-villages';

/** How often the vouchers are listed while waiting for them. */
export const POLL_MS = 500;

export interface Accountant extends LoadVillage {
  token: string;
  files: UploadFile[];
}

export async function loginAccountant(origin: string, village: LoadVillage, files: UploadFile[]): Promise<Accountant> {
  const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: village.username, password: LOAD_PASSWORD }) });
  if (!res.ok) throw new Error(`login of ${village.username} answered ${res.status}`);
  return { ...village, token: ((await res.json()) as { token: string }).token, files };
}

export interface IngestOutcome {
  attempted: number;
  accepted: number;
  uploadErrors: string[];
  uploadMs: number[];
  /** Seconds from the first upload sent. */
  lastAckAt: number;
  lastReadyAt: number;
  ready: number;
  failed: number;
  timedOut: boolean;
  engines: Set<string>;
}

/**
 * Every accountant uploads their files one per request, `uploadsAtOnce` at a time, while a
 * poller lists each month's vouchers (as the app does, only more often) until all accepted
 * vouchers are ready or failed. `onUploaded` runs once the last upload is acknowledged.
 */
export async function ingest(origin: string, month: string, accountants: Accountant[], uploadsAtOnce: number, deadline: number, onUploaded: () => void): Promise<IngestOutcome> {
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const out: IngestOutcome = { attempted: 0, accepted: 0, uploadErrors: [], uploadMs: [], lastAckAt: 0, lastReadyAt: 0, ready: 0, failed: 0, timedOut: false, engines: new Set() };
  const abort = new AbortController();
  const deadlineTimer = setTimeout(() => abort.abort(new Error('bench deadline')), Math.max(0, deadline - performance.now()));
  const pending = new Map<number, Set<number>>(accountants.map((a) => [a.villageId, new Set<number>()]));

  const uploadOne = async (a: Accountant, file: UploadFile) => {
    out.attempted++;
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(file.bytes)], { type: 'image/jpeg' }), file.name);
    const sent = performance.now();
    try {
      const res = await fetch(`${origin}/api/villages/${a.villageId}/months/${month}/vouchers`, { method: 'POST', headers: { Authorization: `Bearer ${a.token}` }, body: form, signal: abort.signal });
      const body = (await res.json().catch(() => null)) as { results?: Array<{ id?: number; error?: { code: string; message: string } }> } | null;
      const result = body?.results?.[0];
      if (res.status === 202 && result?.id !== undefined) {
        out.accepted++;
        out.uploadMs.push(performance.now() - sent);
        out.lastAckAt = Math.max(out.lastAckAt, since());
        pending.get(a.villageId)!.add(result.id);
      } else out.uploadErrors.push(`${a.username} ${file.name}: HTTP ${res.status} ${result?.error?.code ?? ''} ${result?.error?.message ?? ''}`.trim());
    } catch (error) {
      out.uploadErrors.push(`${a.username} ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  let uploading = true;
  const uploads = Promise.all(
    accountants.map(async (a) => {
      const queue = [...a.files];
      await Promise.all(
        Array.from({ length: uploadsAtOnce }, async () => {
          for (let file = queue.shift(); file; file = queue.shift()) await uploadOne(a, file);
        }),
      );
    }),
  ).then(() => {
    uploading = false;
    onUploaded();
  });

  const poll = async () => {
    while (uploading || [...pending.values()].some((ids) => ids.size > 0)) {
      if (abort.signal.aborted) {
        out.timedOut = true;
        return;
      }
      await Promise.all(
        accountants.map(async (a) => {
          const ids = pending.get(a.villageId)!;
          if (ids.size === 0) return;
          try {
            const res = await fetch(`${origin}/api/villages/${a.villageId}/months/${month}/vouchers`, { headers: { Authorization: `Bearer ${a.token}` }, signal: abort.signal });
            if (!res.ok) return;
            const { vouchers } = (await res.json()) as { vouchers: Array<{ id: number; status: string; ocrEngine: string | null }> };
            for (const v of vouchers) {
              if (!ids.has(v.id) || v.status === 'processing') continue;
              ids.delete(v.id);
              if (v.status === 'ready') out.ready++;
              else out.failed++;
              if (v.ocrEngine) out.engines.add(v.ocrEngine);
              out.lastReadyAt = Math.max(out.lastReadyAt, since());
            }
          } catch {
            // The deadline aborted it, or a dropped connection: the next round asks again.
          }
        }),
      );
      await sleep(POLL_MS);
    }
  };
  await Promise.all([uploads, poll()]);
  clearTimeout(deadlineTimer);
  return out;
}

/** `[vouchers.process:done]` lines of the job runners' logs: per-voucher processing and OCR times. */
export function processingTimes(logFiles: string[]): { ms: number[]; ocrMs: number[]; retries: number } {
  const ms: number[] = [];
  const ocrMs: number[] = [];
  let retries = 0;
  const text = logFiles.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('\n');
  for (const line of text.split('\n')) {
    if (line.includes('[vouchers.process:done]')) {
      const entry = JSON.parse(line) as { ms: number; ocrMs: number };
      ms.push(entry.ms);
      ocrMs.push(entry.ocrMs);
    } else if (line.includes('[jobs.runner:retry]') || line.includes('[jobs.runner:failed]')) retries++;
  }
  return { ms, ocrMs, retries };
}
