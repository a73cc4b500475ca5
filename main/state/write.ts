// Every write to the state database goes through here, so what must happen around a write (a
// full disk, a busy file) has one place to live. A write SQLite refuses for a reason that passes
// by itself (the disk is full, another program holds the write lock, the disk reports errors, the
// file became read-only) becomes a StateWriteError and opens an episode; status and readiness read
// it, and a probe every few seconds notices when the database takes a new row again. Nothing here
// retries a caller's write: what it does instead (keep it in memory, retry later, tell the
// operator) is the caller's own business.
//
// better-sqlite3 is synchronous: while SQLite waits for another connection's lock (busy_timeout),
// the whole event loop waits with it. So a write for a request never waits (the caller keeps it
// for later), a background write waits a moment (covers a backup tool's brief lock), and during
// an episode nothing waits at all.
import { ExposedError } from '../../shared/wire.js';
import type { Db } from './open.js';

export type WriteTrouble = 'full' | 'busy' | 'io' | 'readonly';

/** How the trouble is put to people (status, /readyz, logs, error answers). */
const TEXT: Record<WriteTrouble, string> = {
  full: 'the disk holding the state database is full (or the database reached its size limit)',
  busy: 'another program holds a write lock on the state database',
  io: 'the disk reports errors writing the state database',
  readonly: 'the state database cannot be written (read-only file or file system)',
};

const MESSAGES = {
  problem: (trouble: WriteTrouble, since: string) =>
    `the state database has taken no writes since ${since}: ${TEXT[trouble]}. The API keeps answering and lockouts are kept in memory; `
    + 'scans and deliveries wait, and everything is written once the database takes writes again (no restart needed)',
  answer: (trouble: WriteTrouble) => `The agent cannot save to its state database right now: ${TEXT[trouble]}. Nothing was changed; try again shortly.`,
};

/** SQLite's codes (better-sqlite3 puts the extended one in `code`) for trouble that passes by itself. */
export function classify(err: unknown): WriteTrouble | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_READONLY')) return 'readonly';
  return null;
}

/** A write the database did not take; answered 503 wherever it reaches a caller. */
export class StateWriteError extends ExposedError {
  override name = 'StateWriteError';
  override readonly headers = { 'Retry-After': '10' };
  constructor(
    readonly trouble: WriteTrouble,
    cause: Error,
  ) {
    super(503, 'state_unavailable', `${TEXT[trouble]} (${cause.message})`, { cause });
  }

  override get publicMessage(): string {
    return MESSAGES.answer(this.trouble);
  }
}

export type WriteHealth =
  | { ok: true }
  | { ok: false; trouble: WriteTrouble; since: number; error: string; message: string };

export interface WriteOptions {
  /** false: a request is waiting, so never wait for another program's lock (default true). */
  wait?: boolean;
}

export interface Writer {
  /** One statement (or a few) in SQLite's own autocommit. */
  run<T>(write: () => T, options?: WriteOptions): T;
  /**
   * All or nothing. `immediate` takes the write lock at BEGIN, for transactions that write the
   * main tables; staging into TEMP tables can start deferred. Inside another transaction this is
   * a savepoint.
   */
  tx<T>(write: () => T, mode?: 'immediate' | 'deferred', options?: WriteOptions): T;
  /** Whether the database takes writes, as last seen. */
  health(): WriteHealth;
  /** Tries a new row (rolled back) and a small commit now: /readyz, and the end of an episode. */
  probe(): WriteHealth;
  /** Called when an episode starts (health not ok) and when it ends (ok). */
  watch(listener: (health: WriteHealth) => void): void;
  close(): void;
}

/** How long a background write waits for another program's lock; requests never wait. */
export const BACKGROUND_WAIT_MS = 200;
/** How often an episode is probed for its end. */
export const PROBE_EVERY_MS = 2_000;

export function createWriter(db: Db, now: () => number = Date.now): Writer {
  // SQLite applies this pragma when it is prepared, so it is prepared each time (about 15 µs).
  const waitMs = { none: 0, background: BACKGROUND_WAIT_MS };
  let waiting: 'none' | 'background' | null = null;
  const setWait = (w: 'none' | 'background') => {
    if (waiting === w) return;
    db.pragma(`busy_timeout = ${waitMs[w]}`);
    waiting = w;
  };
  setWait('background');

  let episode: { trouble: WriteTrouble; since: number; error: string } | null = null;
  let probeTimer: NodeJS.Timeout | undefined;
  const listeners: Array<(h: WriteHealth) => void> = [];
  const health = (): WriteHealth => (episode === null
    ? { ok: true }
    : { ok: false, ...episode, message: MESSAGES.problem(episode.trouble, new Date(episode.since).toISOString()) });
  const tell = () => {
    const h = health();
    for (const l of listeners) l(h);
  };

  const failed = (err: unknown): never => {
    if (err instanceof StateWriteError) throw err;
    const trouble = classify(err);
    if (trouble === null) throw err;
    const error = `${(err as { code: string }).code}: ${(err as Error).message}`;
    if (episode === null) {
      episode = { trouble, since: now(), error };
      probeTimer = setInterval(() => void probe(), PROBE_EVERY_MS);
      probeTimer.unref();
      tell();
    } else {
      episode.trouble = trouble;
      episode.error = error;
    }
    throw new StateWriteError(trouble, err as Error);
  };
  const ended = () => {
    if (episode === null) return;
    episode = null;
    clearInterval(probeTimer);
    tell();
  };

  const guarded = <T>(write: () => T, options?: WriteOptions): T => {
    const quick = options?.wait === false || episode !== null;
    if (quick) setWait('none');
    try {
      return write();
    } catch (err) {
      return failed(err);
    } finally {
      // Reads keep the short wait too (a WAL reader rarely needs one, but never none).
      if (quick) setWait('background');
    }
  };

  // A row of a page's size cannot fit in free space: it needs a new page, which a full database
  // cannot have (an UPDATE in place still works there, so that proves nothing). Rolled back.
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const probeStatements = {
    newRow: db.prepare<[number]>('INSERT INTO write_probe (id, filler) VALUES (NULL, zeroblob(?))'),
    // A small commit: the journal takes a frame and fsyncs (a disk that fails writes fails this).
    mark: db.prepare<[number]>('INSERT INTO write_probe (id, filler) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET filler = excluded.filler'),
  };
  const rollback = new Error('probe');
  const probe = (): WriteHealth => {
    if (!db.open) {
      clearInterval(probeTimer);
      return health();
    }
    try {
      guarded(() => {
        try {
          db.transaction(() => {
            probeStatements.newRow.run(pageSize);
            throw rollback;
          }).immediate();
        } catch (err) {
          if (err !== rollback) throw err;
        }
        probeStatements.mark.run(now());
      });
      ended();
    } catch (err) {
      if (!(err instanceof StateWriteError)) throw err;
    }
    return health();
  };

  return {
    run: guarded,
    tx: (write, mode = 'immediate', options) => guarded(() => {
      const transaction = db.transaction(write);
      return mode === 'immediate' ? transaction.immediate() : transaction.deferred();
    }, options),
    health,
    probe,
    watch: (listener) => void listeners.push(listener),
    close: () => clearInterval(probeTimer),
  };
}
