import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createContainer } from '../container';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import { UsageError, type AnyCommand, type CliIO } from './command';
import { backup } from './commands/backup';
import { board } from './commands/board';
import { demoSeed } from './commands/demo-seed';
import { migrate } from './commands/migrate';
import { ocr } from './commands/ocr';
import { restore } from './commands/restore';
import { townAdd } from './commands/town-add';
import { userAdd } from './commands/user-add';
import { userPasswd } from './commands/user-passwd';
import { verify } from './commands/verify';
import { villageAdd } from './commands/village-add';
import { worker } from './commands/worker';

const COMMANDS: AnyCommand[] = [userAdd, userPasswd, townAdd, villageAdd, migrate, demoSeed, worker, verify, ocr, board, backup, restore];

function usage(): string {
  return [
    'usage: npm run -s cli -- <command> [--flag value ...]',
    '',
    ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`),
  ].join('\n');
}

/** Exit codes: 0 done, 1 refused or failed (the message says why), 2 bad arguments. */
export async function runCli(argv: string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let values: Record<string, string | undefined>;
  let positionals: string[];
  try {
    const options = Object.fromEntries(
      Object.entries(command.options).map(([key, spec]) => [key, { type: spec.flag ? ('boolean' as const) : ('string' as const) }]),
    );
    const parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: Boolean(command.positionals) });
    values = Object.fromEntries(Object.entries(parsed.values).map(([key, value]) => [key, value === true ? 'true' : (value as string | undefined)]));
    positionals = parsed.positionals;
    for (const [key, spec] of Object.entries(command.options))
      if (spec.required && !values[key]) throw new UsageError(`--${key} is required`);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\nusage: npm run -s cli -- ${command.usage}`);
    return 2;
  }

  if (command.needsDatabase === false) return reportErrors(command, io, () => command.run(values, positionals, io, env));
  const config = loadConfig(env);
  // Log lines go to stderr so a command's own output stays clean; the worker logs at info.
  const logger = createLogger(command.name === 'worker' ? config.logLevel : 'warn', process.stderr);
  const container = await createContainer(config, logger);
  try {
    return await reportErrors(command, io, () => command.run(container, values, io));
  } finally {
    await container.close();
  }
}

/** Usage errors exit 2, refusals 1 with their message; anything else is a bug and propagates. */
async function reportErrors(command: AnyCommand, io: CliIO, run: () => Promise<number | void>): Promise<number> {
  try {
    return (await run()) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nusage: npm run -s cli -- ${command.usage}`);
      return 2;
    }
    if (error instanceof AppError) {
      io.err(`${command.name}: ${error.userMessage}${error.details.field ? ` (${error.details.field})` : ''}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') })
    .then((code) => process.exit(code))
    .catch((error) => {
      process.stderr.write(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
}
