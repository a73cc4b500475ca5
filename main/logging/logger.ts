// Structured logs: JSON lines when stdout is not a terminal (services, CI), readable when it is.
// Anything that looks like a password or token is censored before it is written.
import { Writable } from 'node:stream';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export const REDACT_KEYS = ['password', 'pswd', 'passwd', 'psw', 'gen_pwd', 'token', 'secret', 'authorization', 'cookie', 'apiToken', 'corePassword', 'billingPassword'];

const SECRET_KEYS = new Set(REDACT_KEYS.map((k) => k.toLowerCase()));
const CENSORED = '[redacted]';

/**
 * Every field named like a secret, at any depth, replaced by "[redacted]". Objects without one
 * are returned as they are (no copy): most log lines are small and flat, and this runs for each.
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item, i) => {
      const next = censorSecrets(item, depth + 1);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return (out ?? value) as T;
  }
  if (value instanceof Error) return value;
  let out: Record<string, unknown> | null = null;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const next = SECRET_KEYS.has(key.toLowerCase()) ? CENSORED : censorSecrets(item, depth + 1);
    if (next !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return (out ?? value) as T;
}

export interface LogEntry {
  time: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  /** Everything else on the line (already censored). */
  fields: Record<string, unknown>;
}

const LEVEL_NAMES: Record<number, LogEntry['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * The last lines the agent logged, kept in memory for the dashboard's log view and diagnostics.
 * It receives the same redacted JSON as stdout, so nothing secret can reach it.
 */
export class LogRing extends Writable {
  private readonly entries: LogEntry[] = [];

  constructor(private readonly size = 1000) {
    super({ decodeStrings: false });
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      try {
        const { time, level, msg, pid: _pid, hostname: _host, service: _service, ...fields } = JSON.parse(line) as Record<string, unknown>;
        this.entries.push({
          time: new Date(typeof time === 'number' ? time : Date.now()).toISOString(),
          level: LEVEL_NAMES[Number(level)] ?? 'info',
          msg: String(msg ?? ''),
          fields,
        });
        if (this.entries.length > this.size) this.entries.shift();
      } catch {
        // not a JSON line; ignore
      }
    }
    done();
  }

  recent(limit = 200, minLevel: LogEntry['level'] = 'trace'): LogEntry[] {
    const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
    const floor = order.indexOf(minLevel);
    return this.entries.filter((e) => order.indexOf(e.level) >= floor).slice(-limit);
  }
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Defaults to whether stdout is a terminal. */
  pretty?: boolean;
  /** For tests: where lines go (defaults to stdout). */
  destination?: NodeJS.WritableStream;
  /** Also keep recent lines here. */
  ring?: LogRing;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    // One pass over each line's fields (any depth) instead of pino's path-based redaction.
    formatters: { log: (fields: Record<string, unknown>) => censorSecrets(fields) },
    base: { service: 'billing-bridge' },
  };
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const out = usePretty
    ? pretty({ colorize: true, destination: options.destination ?? 1, ignore: 'pid,hostname,service' })
    : options.destination ?? pino.destination({ dest: 1, sync: false });
  if (!options.ring) return pino(base, out);
  return pino(base, pino.multistream([{ stream: out, level: 'trace' }, { stream: options.ring, level: 'trace' }]));
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
