import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
/** `node --import tsx` runs TypeScript in one process, so signals (and SIGKILL) reach the real program. */
export const NODE_TS = [process.execPath, '--import', 'tsx'];

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output matches, or rejects when the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** Starts a TypeScript entry point (or any command) with extra environment, collecting stdout and stderr. */
export function spawnProcess(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Spawned {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          const match = output.match(pattern);
          if (match) {
            clearInterval(timer);
            resolve(match);
          } else if (child.exitCode !== null || Date.now() > deadline) {
            clearInterval(timer);
            reject(new Error(`no ${pattern} in output (exit ${child.exitCode}):\n${output.slice(-3000)}`));
          }
        }, 25);
        const deadline = Date.now() + timeoutMs;
      });
    },
  };
}
