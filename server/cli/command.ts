import type { Container } from '../container';

/** Wrong or missing arguments: the CLI prints the message and usage, and exits 2. */
export class UsageError extends Error {}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export interface OptionSpec {
  required?: boolean;
  description: string;
  /** A switch without a value ("--jsonl"); when given, its value reads "true". */
  flag?: boolean;
}

interface CommandInfo {
  name: string;
  usage: string;
  summary: string;
  /** Flags this command takes; values are strings. */
  options: Record<string, OptionSpec>;
  /** What the arguments after the flags are ("FILE..."); without it a stray argument is a usage error. */
  positionals?: string;
}

/** A command that works on the database: it gets the container (migrated) and its closing is handled. */
export interface Command extends CommandInfo {
  needsDatabase?: true;
  run(container: Container, args: Record<string, string | undefined>, io: CliIO): Promise<number | void>;
}

/**
 * A command that needs no container: it reads files offline, or (restore) opens the database
 * itself from the environment's configuration because it must see it before anything is written.
 */
export interface StandaloneCommand extends CommandInfo {
  needsDatabase: false;
  run(args: Record<string, string | undefined>, positionals: string[], io: CliIO, env: NodeJS.ProcessEnv): Promise<number | void>;
}

export type AnyCommand = Command | StandaloneCommand;

export function need(args: Record<string, string | undefined>, name: string): string {
  const value = args[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
