// Password-guessing lockouts (auth_lockout): a row per login with recent failures or a lock, so
// a lock survives a restart and the operator can see who is locked. A row is found by its key, a
// keyed hash of the login (security/login-keys.ts): the table never holds what was typed.
import type { Db } from './open.js';
import type { WriteOptions, Writer } from './write.js';

export interface LockoutRow {
  key: string;
  /** The subscriber the last scan knew by that login; null for a login nobody has. */
  userId: string | null;
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
  /** Attempts refused without asking the billing while locked. */
  blocked: number;
}

interface Row {
  key: string;
  user_id: string | null;
  failures: number;
  window_start: number;
  locked_until: number | null;
  blocked: number;
}

/** Writes made for a request never wait for a lock: the guard keeps them for its next batch. */
const NO_WAIT: WriteOptions = { wait: false };

export function createLockouts(db: Db, write: Writer) {
  const active = db.prepare<[number, number], Row>('SELECT key, user_id, failures, window_start, locked_until, blocked FROM auth_lockout WHERE locked_until > ? OR window_start > ?');
  const dropInactive = db.prepare<[number, number]>('DELETE FROM auth_lockout WHERE NOT (locked_until > ? OR window_start > ?)');
  const remove = db.prepare<[string]>('DELETE FROM auth_lockout WHERE key = ?');
  const upsert = db.prepare<[string, string | null, number, number, number | null, number]>(`INSERT INTO auth_lockout (key, user_id, failures, window_start, locked_until, blocked) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(key) DO UPDATE SET user_id = excluded.user_id, failures = excluded.failures, window_start = excluded.window_start,
      locked_until = excluded.locked_until, blocked = excluded.blocked`);
  const save = (r: LockoutRow) => upsert.run(r.key, r.userId, r.failures, r.windowStart, r.lockedUntil, r.blocked);
  return {
    /** Rows still locked at `now` or with failures since `windowSince`. */
    loadActive(now: number, windowSince: number): LockoutRow[] {
      return active.all(now, windowSince).map((r) => ({
        key: r.key, userId: r.user_id, failures: r.failures, windowStart: r.window_start, lockedUntil: r.locked_until, blocked: r.blocked,
      }));
    },
    /** Deletes the rows loadActive would not return. */
    prune: (now: number, windowSince: number): void => void write.run(() => dropInactive.run(now, windowSince)),
    save: (r: LockoutRow): void => void write.run(() => save(r), NO_WAIT),
    /** Whether there was a row. */
    remove: (key: string): boolean => write.run(() => remove.run(key).changes > 0, NO_WAIT),
    /** Rows and removals kept back (batched bookkeeping, or a database that did not take them), in one transaction. */
    writeBatch(rows: LockoutRow[], removals: Iterable<string>): void {
      write.tx(() => {
        for (const key of removals) remove.run(key);
        for (const r of rows) save(r);
      });
    },
    /** Whether the database takes writes, as last seen: while it does not, the guard does not try. */
    writable: (): boolean => write.health().ok,
  };
}

export type Lockouts = ReturnType<typeof createLockouts>;
