// Structured logs: JSON lines when stdout is not a terminal (services, CI), readable when it is.
// Anything that looks like a password or token is censored before it is written.
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const SECRET_KEYS = ['password', 'pswd', 'passwd', 'psw', 'gen_pwd', 'token', 'secret', 'authorization', 'cookie', 'apiToken', 'corePassword', 'billingPassword'];

/** Censored at the top level and up to three levels down (pino's redaction needs explicit paths). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Defaults to whether stdout is a terminal. */
  pretty?: boolean;
  /** For tests: where lines go (defaults to stdout). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'billing-bridge' },
  };
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (usePretty) {
    return pino(base, pretty({ colorize: true, destination: options.destination ?? 1, ignore: 'pid,hostname,service' }));
  }
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: false }));
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
