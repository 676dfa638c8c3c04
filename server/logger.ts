import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; `destination` lets tests and the CLI send them elsewhere. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['password', '*.password', 'token', '*.token', 'req.headers.authorization'], remove: true },
    },
    destination,
  );
}
