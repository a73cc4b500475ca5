// Structured logs: JSON lines when stdout is not a terminal (services, CI), readable when it is,
// unless `--log-format` or BILLING_BRIDGE_LOG_FORMAT chooses. Under journald each JSON line
// carries its syslog priority. Anything that looks like a password or token is censored before
// it is written.
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import sonicBoom from 'sonic-boom';
import { openSync } from 'node:fs';
import { isJournalStream, withPriority } from './journal.js';

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
 * It receives the same redacted JSON as stdout, so nothing secret can reach it. Lines are kept as
 * written and parsed only when read: every API request logs a line, the log view is opened rarely.
 */
export class LogRing {
  private readonly lines: string[] = [];
  /** Where the next line goes once the ring is full (the oldest line). */
  private next = 0;

  constructor(private readonly size = 1000) {}

  /** The stream side, for pino.multistream: a chunk may hold several lines. */
  write(chunk: string | Buffer): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let from = 0;
    for (let nl = text.indexOf('\n'); from < text.length; nl = text.indexOf('\n', from)) {
      const end = nl < 0 ? text.length : nl;
      if (end > from) this.push(text.slice(from, end));
      from = end + 1;
    }
    return true;
  }

  recent(limit = 200, minLevel: LogEntry['level'] = 'trace'): LogEntry[] {
    const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
    const floor = order.indexOf(minLevel);
    const oldestFirst = this.lines.length < this.size ? this.lines : [...this.lines.slice(this.next), ...this.lines.slice(0, this.next)];
    const entries: LogEntry[] = [];
    for (const line of oldestFirst) {
      const entry = parseLine(line);
      if (entry && order.indexOf(entry.level) >= floor) entries.push(entry);
    }
    return entries.slice(-limit);
  }

  private push(line: string): void {
    if (this.lines.length < this.size) {
      this.lines.push(line);
      return;
    }
    this.lines[this.next] = line;
    this.next = (this.next + 1) % this.size;
  }
}

function parseLine(line: string): LogEntry | null {
  try {
    const { time, level, msg, pid: _pid, hostname: _host, service: _service, ...fields } = JSON.parse(line) as Record<string, unknown>;
    return {
      time: new Date(typeof time === 'number' ? time : Date.now()).toISOString(),
      level: LEVEL_NAMES[Number(level)] ?? 'info',
      msg: String(msg ?? ''),
      fields,
    };
  } catch {
    return null; // not a JSON line
  }
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

let chosenFormat: LogFormat | undefined;

/** The format the command line chose (`--log-format`); it wins over the environment. */
export function setLogFormat(format: LogFormat | undefined): void {
  chosenFormat = format;
}

/** --log-format, else BILLING_BRIDGE_LOG_FORMAT, else readable text on a terminal and JSON elsewhere. */
export function logFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (chosenFormat) return chosenFormat;
  const fromEnv = env.BILLING_BRIDGE_LOG_FORMAT;
  if (fromEnv === 'json' || fromEnv === 'pretty') return fromEnv;
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/** Colours only for a person at a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Defaults to logFormat() === 'pretty'. */
  pretty?: boolean;
  /** Where lines go (defaults to stdout): tests, the shell's log file, benchmarks. */
  destination?: NodeJS.WritableStream | DestinationStream;
  /** Also keep recent lines here. */
  ring?: LogRing;
}

const CHINDINGS = pino.symbols.chindingsSym;

/**
 * pino appends a child's bindings to its parent's as text, so a child of a child that binds the
 * same key (component: sync, then component: delivery) writes the key twice on every line. Run
 * once per child logger, not per line: its bindings text is rewritten with each key once, the
 * innermost value winning, as JSON.parse would read the line anyway.
 */
function bindEachKeyOnce(child: Logger): void {
  const chindings = (child as unknown as Record<symbol, string>)[CHINDINGS];
  if (!chindings) return;
  const merged = JSON.stringify(JSON.parse(`{${chindings.slice(1)}}`));
  (child as unknown as Record<symbol, string>)[CHINDINGS] = merged === '{}' ? '' : `,${merged.slice(1, -1)}`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    // One pass over each line's fields (any depth) instead of pino's path-based redaction.
    formatters: { log: (fields: Record<string, unknown>) => censorSecrets(fields) },
    base: { service: 'billing-bridge' },
    onChild: bindEachKeyOnce,
  };
  const usePretty = options.pretty ?? logFormat() === 'pretty';
  if (usePretty) {
    const out = pretty({ colorize: !options.destination && useColor(), destination: options.destination ?? 1, ignore: 'pid,hostname,service' });
    return pino(base, options.ring ? pino.multistream([{ stream: out, level: 'trace' }, { stream: options.ring, level: 'trace' }]) : out);
  }
  const out = options.destination ?? stdoutDestination();
  return pino(base, options.ring ? tee(out, options.ring) : out);
}

/** stdout in batches; with the priority in front of each line when stdout is the journal. */
function stdoutDestination(): DestinationStream {
  const out = batchedDestination(1);
  if (!isJournalStream(1)) return out;
  return { write: (line: string) => out.write(withPriority(line)), flush: (cb?: (err?: Error) => void) => out.flush(cb) } as DestinationStream;
}

/** JSON lines to one destination and the ring (what pino.multistream does, without per-line level checks). */
function tee(out: NodeJS.WritableStream | DestinationStream, ring: LogRing): DestinationStream {
  const flushable = out as { flush?: (cb?: (err?: Error) => void) => void };
  return {
    write(line: string) {
      out.write(line);
      ring.write(line);
    },
    ...(typeof flushable.flush === 'function' && { flush: (cb?: (err?: Error) => void) => flushable.flush!(cb) }),
  } as DestinationStream;
}

// sonic-boom is CommonJS: at run time its default import is the class itself, while its types
// describe the module object.
const SonicBoom = sonicBoom as unknown as typeof import('sonic-boom').SonicBoom;

/** Longest a line waits before it is handed to the file or pipe. */
const BATCH_MS = 50;
/** Hand over sooner when this much is waiting (characters). */
const BATCH_CHARS = 16 * 1024;

export interface BatchedDestination extends DestinationStream {
  flush(cb?: (err?: Error) => void): void;
}

const batched = new Map<number | string, BatchedDestination>();

/**
 * A file descriptor or path written in batches, at most BATCH_MS late. Every API request logs a
 * line: a write per line, or sonic-boom's own buffering (it measures its whole growing buffer on
 * each write), cost several microseconds a line in the benchmark; joining lines here and handing
 * sonic-boom one string per batch costs under one. Whatever waits is written synchronously
 * when the process exits, a crash included. One per destination, shared by the loggers using it.
 */
export function batchedDestination(dest: number | string): BatchedDestination {
  const known = batched.get(dest);
  if (known) return known;
  const stream = new SonicBoom({ fd: typeof dest === 'number' ? dest : openSync(dest, 'a'), sync: false });
  let lines: string[] = [];
  let chars = 0;
  let closed = false;
  // Armed by the first line of a batch, so an idle agent has no timer running.
  let timer: NodeJS.Timeout | null = null;
  const handOver = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    chars = 0;
    if (!closed) stream.write(text);
  };
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // Whoever read our output has gone (a closed pipe): stop writing, as pino does.
    if (err.code === 'EPIPE') closed = true;
    else process.stderr.write(`billing-bridge: cannot write the log: ${err.message}\n`);
  });
  process.on('exit', () => {
    handOver();
    try {
      if (!closed) stream.flushSync();
    } catch {
      // Nothing more can be done while the process exits.
    }
  });
  const destination: BatchedDestination = {
    write(line: string) {
      lines.push(line);
      chars += line.length;
      if (chars >= BATCH_CHARS) handOver();
      else timer ??= setTimeout(handOver, BATCH_MS).unref();
    },
    flush(cb) {
      handOver();
      stream.flush(cb);
    },
  };
  batched.set(dest, destination);
  return destination;
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
