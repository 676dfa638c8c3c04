import type { Container } from '../container';

/** Wrong or missing arguments: the CLI prints the message and usage, and exits 2. */
export class UsageError extends Error {}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Flags this command takes; all are strings. */
  options: Record<string, { required?: boolean; description: string }>;
  run(container: Container, args: Record<string, string | undefined>, io: CliIO): Promise<number | void>;
}

export function need(args: Record<string, string | undefined>, name: string): string {
  const value = args[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
