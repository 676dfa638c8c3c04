import fs from 'node:fs';

/**
 * Fault injection for the crash-recovery test (tests/server/crash-recovery.test.ts), and only
 * for it. A crash point names a moment between two durable steps; when the process is started
 * with `YYM_CRASH_AT=<name>` (or `<name>@<n>`: at the n-th pass in this process) it dies there
 * with SIGKILL: no finally blocks, no rollback by us, no response, like a power cut or the OOM
 * killer. Unset (always, in production), a point is one comparison with a constant.
 */
export type CrashPoint =
  /** An upload's original is in storage; its voucher row is not committed yet. */
  | 'upload.stored'
  /** An upload's voucher row, job and audit record are committed; the 202 is not sent yet. */
  | 'upload.committed'
  /** A processing job has stored the derived images; the voucher does not name them yet. */
  | 'process.derived'
  /** A processing job has committed the voucher as ready; the job is not marked done yet. */
  | 'process.saved'
  /** An approval has written the publication, chain entry, search rows and audit; not committed. */
  | 'approve.uncommitted'
  /** An approval is committed; the response is not sent yet. */
  | 'approve.committed';

function armedFrom(raw: string | undefined): { name: string; at: number } | null {
  if (!raw) return null;
  const match = /^([a-z.]+)(?:@(\d+))?$/.exec(raw);
  if (!match) throw new Error(`YYM_CRASH_AT must be <point> or <point>@<n>, got "${raw}"`);
  return { name: match[1], at: Number(match[2] ?? 1) };
}

const armed = armedFrom(process.env.YYM_CRASH_AT);
let passes = 0;

export function crashPoint(name: CrashPoint): void {
  if (armed === null || armed.name !== name) return;
  passes++;
  if (passes < armed.at) return;
  // Synchronous, so the line is out before the process is.
  fs.writeSync(2, `[crash-point] ${name} (pass ${passes}): SIGKILL\n`);
  process.kill(process.pid, 'SIGKILL');
}
