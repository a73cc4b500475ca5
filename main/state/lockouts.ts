// Password-guessing lockouts (auth_lockout): a login is kept only while it has recent failures or
// a lock, so the operator can see who is locked. Every row is found by its login here and nowhere
// else, so how a login is keyed is decided in this file alone.
import type { Db } from './open.js';
import type { Writer } from './write.js';

export interface LockoutRow {
  login: string;
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
  /** Attempts refused without asking the billing while locked. */
  blocked: number;
}

interface Row {
  login: string;
  failures: number;
  window_start: number;
  locked_until: number | null;
  blocked: number;
}

export function createLockouts(db: Db, write: Writer) {
  const active = db.prepare<[number, number], Row>('SELECT login, failures, window_start, locked_until, blocked FROM auth_lockout WHERE locked_until > ? OR window_start > ?');
  const dropInactive = db.prepare<[number, number]>('DELETE FROM auth_lockout WHERE NOT (locked_until > ? OR window_start > ?)');
  const remove = db.prepare<[string]>('DELETE FROM auth_lockout WHERE login = ?');
  const upsert = db.prepare<[string, number, number, number | null, number]>(`INSERT INTO auth_lockout (login, failures, window_start, locked_until, blocked) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(login) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until, blocked = excluded.blocked`);
  const blocked = db.prepare<[number, string]>('UPDATE auth_lockout SET blocked = ? WHERE login = ?');
  return {
    /** Rows still locked at `now` or with failures since `windowSince`; the rest are deleted. */
    loadActive(now: number, windowSince: number): LockoutRow[] {
      const rows = active.all(now, windowSince).map((r) => ({
        login: r.login, failures: r.failures, windowStart: r.window_start, lockedUntil: r.locked_until, blocked: r.blocked,
      }));
      write.run(() => dropInactive.run(now, windowSince));
      return rows;
    },
    save: (r: LockoutRow): void => void write.run(() => upsert.run(r.login, r.failures, r.windowStart, r.lockedUntil, r.blocked)),
    /** Whether there was a row. */
    remove: (login: string): boolean => write.run(() => remove.run(login).changes > 0),
    /** Refused-attempt counts, batched. */
    saveBlocked(counts: Iterable<[login: string, blocked: number]>): void {
      write.tx(() => {
        for (const [login, n] of counts) blocked.run(n, login);
      }, 'deferred');
    },
  };
}

export type Lockouts = ReturnType<typeof createLockouts>;
