// Password guessing against /api/auth: after a few failures a login is locked for a while and
// answered "wrong login or password" without asking the billing; and the billing gets at most so
// many password checks a minute in all. Lockouts live in the database, so a restart does not
// reset them, under a keyed hash of the login (login-keys.ts): what was typed is never stored.
// A database that does not take a write (full, locked by another program) changes nothing here:
// counts and locks are kept in memory and written once it takes them again. There is
// deliberately no per-address blocking: every check comes from core's address.
import type { Logger } from '../logging/logger.js';
import { StateWriteError, type LockoutRow, type Lockouts } from '../state/index.js';
import { ephemeralLoginKeys, refOf, type LoginKeys } from './login-keys.js';

export interface GuardSettings {
  /** Failures within the window that lock a login. */
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
  /** Billing password checks per minute, all logins together. */
  checksPerMinute: number;
}

export type Verdict =
  | { go: true }
  | { go: false; reason: 'locked' | 'busy'; retryAfterSeconds: number };

interface Entry {
  userId: string | null;
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
  blocked: number;
  /** Checks at the billing right now: they count against the limit until they end. */
  inFlight: number;
  /** Changed since the database last took the row. */
  dirty: boolean;
  /** The database has a row for it. */
  stored: boolean;
}

export interface LockedLogin {
  /** The start of the row's key: names it to the operator without the login. */
  ref: string;
  /** The subscriber the last scan knew by that login; null for a login nobody has. */
  userId: string | null;
  failures: number;
  lockedUntil: string;
  blockedAttempts: number;
}

export interface GuardStatus {
  locked: LockedLogin[];
  /** Attempts refused without a billing call since the agent started (locked or over the cap). */
  blockedAttempts: number;
  checksLastMinute: number;
  checksPerMinute: number;
}

const MINUTE = 60_000;
const FLUSH_EVERY_MS = 5_000;

const MESSAGES = {
  lostAtStop: 'lockouts the state database did not take are lost with this stop',
  writeFailed: 'could not write a lockout; it is kept in memory',
};

export interface GuardOptions {
  now?: () => number;
  /** The install's keys; without them rows are keyed with a key of the guard's own (tests). */
  keys?: LoginKeys;
  /** Where a write that failed for an unexpected reason is reported. */
  log?: Logger;
}

export class PasswordGuard {
  /** By row key (keys.keyOf of the login). */
  private readonly entries = new Map<string, Entry>();
  /** Rows to delete that the database has not taken yet. */
  private readonly removals = new Set<string>();
  /** The start-up clean-up of expired rows has not been written yet. */
  private prunePending = false;
  /** When recent billing checks started, oldest first (at most checksPerMinute of them). */
  private readonly recentChecks: number[] = [];
  private blockedTotal = 0;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly keys: LoginKeys;
  private readonly log: Logger | undefined;

  constructor(
    private readonly lockouts: Lockouts,
    private readonly settings: () => GuardSettings,
    options: GuardOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.keys = options.keys ?? ephemeralLoginKeys();
    this.log = options.log;
    const now = this.now();
    const since = now - this.settings().windowMinutes * MINUTE;
    for (const r of lockouts.loadActive(now, since)) {
      this.entries.set(r.key, { userId: r.userId, failures: r.failures, windowStart: r.windowStart, lockedUntil: r.lockedUntil, blocked: r.blocked, inFlight: 0, dirty: false, stored: true });
    }
    this.prunePending = !this.attempt(() => lockouts.prune(now, since));
    // Counting refused attempts is bookkeeping: batch it instead of a disk write per attempt. The
    // same batch writes what the database did not take when it happened.
    this.flushTimer = setInterval(() => this.flush(), FLUSH_EVERY_MS).unref();
  }

  /**
   * Seconds to wait when all logins together already had their billing checks this minute, null
   * otherwise; consumes nothing. Asked before a typed login is resolved to its billing identity,
   * so a flood of made-up logins costs no billing call either.
   */
  overCap(): number | null {
    return this.capWait(this.now());
  }

  /** Forgets checks older than a minute; seconds until one ends when the cap is full, else null. */
  private capWait(now: number): number | null {
    while (this.recentChecks.length > 0 && this.recentChecks[0]! <= now - MINUTE) this.recentChecks.shift();
    if (this.recentChecks.length < this.settings().checksPerMinute) return null;
    return Math.max(1, Math.ceil((this.recentChecks[0]! + MINUTE - now) / 1000));
  }

  /** The ref the operator is shown for this login. */
  refOf(login: string): string {
    return refOf(this.keys.keyOf(login));
  }

  /** Before asking the billing. A refusal costs no billing call and no disk write. */
  before(login: string): Verdict {
    const now = this.now();
    const s = this.settings();
    const key = this.keys.keyOf(login);
    const entry = this.current(key, now);
    if (entry) {
      if (entry.lockedUntil !== null && entry.lockedUntil > now) return this.refuse(entry, 'locked', entry.lockedUntil - now);
      if (entry.failures + entry.inFlight >= s.maxFailures) return this.refuse(entry, 'locked', MINUTE / 60);
    }
    const wait = this.capWait(now);
    if (wait !== null) {
      this.blockedTotal++;
      return { go: false, reason: 'busy', retryAfterSeconds: wait };
    }
    this.recentChecks.push(now);
    const e = entry ?? this.create(key, now);
    e.inFlight++;
    return { go: true };
  }

  /** After the billing answered (or failed: an outage is not the subscriber's failure). */
  after(login: string, outcome: 'valid' | 'invalid' | 'error'): void {
    const now = this.now();
    const key = this.keys.keyOf(login);
    const entry = this.entries.get(key);
    if (entry) entry.inFlight = Math.max(0, entry.inFlight - 1);
    if (outcome === 'valid') {
      this.entries.delete(key);
      if (entry?.stored) this.removeRow(key);
      return;
    }
    if (outcome === 'error' || !entry) return;
    const s = this.settings();
    entry.failures++;
    if (entry.failures >= s.maxFailures) entry.lockedUntil = now + s.lockMinutes * MINUTE;
    entry.userId = this.keys.userOf(login) ?? entry.userId;
    this.saveRow(key, entry);
  }

  status(): GuardStatus {
    const now = this.now();
    const locked: LockedLogin[] = [];
    for (const [key, e] of this.entries) {
      if (e.lockedUntil !== null && e.lockedUntil > now) {
        locked.push({ ref: refOf(key), userId: e.userId, failures: e.failures, lockedUntil: new Date(e.lockedUntil).toISOString(), blockedAttempts: e.blocked });
      }
    }
    return {
      locked: locked.sort((a, b) => b.lockedUntil.localeCompare(a.lockedUntil)),
      blockedAttempts: this.blockedTotal,
      checksLastMinute: this.recentChecks.filter((t) => t > now - MINUTE).length,
      checksPerMinute: this.settings().checksPerMinute,
    };
  }

  /**
   * The operator lifts a lockout (the subscriber called and proved who they are), named by the
   * login or by the ref the list shows.
   */
  unlock(loginOrRef: string): boolean {
    let key = this.keys.keyOf(loginOrRef);
    if (!this.entries.has(key) && loginOrRef.length === refOf(key).length) {
      key = [...this.entries.keys()].find((k) => refOf(k) === loginOrRef) ?? key;
    }
    const existed = this.entries.delete(key);
    let deleted = false;
    this.removals.delete(key);
    if (!this.attempt(() => (deleted = this.lockouts.remove(key)))) this.removals.add(key);
    return existed || deleted;
  }

  /**
   * Writes refused-attempt counts and whatever the database did not take before, and forgets
   * logins whose window and lock are over. While the database takes no writes, it waits.
   */
  flush(): void {
    const now = this.now();
    for (const key of [...this.entries.keys()]) this.current(key, now);
    const dirty = [...this.entries].filter(([, e]) => e.dirty);
    if (dirty.length === 0 && this.removals.size === 0 && !this.prunePending) return;
    if (!this.lockouts.writable()) return;
    const since = now - this.settings().windowMinutes * MINUTE;
    const written = this.attempt(() => {
      this.lockouts.writeBatch(dirty.map(([key, e]) => rowOf(key, e)), this.removals);
      if (this.prunePending) this.lockouts.prune(now, since);
    });
    if (!written) return;
    for (const [, e] of dirty) {
      e.dirty = false;
      e.stored = true;
    }
    this.removals.clear();
    this.prunePending = false;
  }

  close(): void {
    clearInterval(this.flushTimer);
    this.flush();
    const lost = this.unwritten();
    if (lost > 0) this.log?.warn({ lockouts: lost }, MESSAGES.lostAtStop);
  }

  /** Lockout changes the database has not taken yet. */
  unwritten(): number {
    return [...this.entries.values()].filter((e) => e.dirty).length + this.removals.size;
  }

  /** The entry, or undefined when it has none or its window and lock are over. */
  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const s = this.settings();
    const lockOver = entry.lockedUntil === null || entry.lockedUntil <= now;
    const windowOver = entry.windowStart <= now - s.windowMinutes * MINUTE;
    if (lockOver && windowOver && entry.inFlight === 0) {
      this.entries.delete(key);
      if (entry.stored) this.removeRow(key);
      return undefined;
    }
    if (lockOver && entry.lockedUntil !== null) {
      // The lock ran out: a fresh window, so the next failures count from zero.
      entry.lockedUntil = null;
      entry.failures = 0;
      entry.windowStart = now;
    }
    return entry;
  }

  private create(key: string, now: number): Entry {
    const entry: Entry = { userId: null, failures: 0, windowStart: now, lockedUntil: null, blocked: 0, inFlight: 0, dirty: false, stored: false };
    this.entries.set(key, entry);
    return entry;
  }

  private refuse(entry: Entry, reason: 'locked', ms: number): Verdict {
    entry.blocked++;
    if (entry.failures > 0) entry.dirty = true;
    this.blockedTotal++;
    return { go: false, reason, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
  }

  /** Now if the database takes it, else with the next batch that it does. */
  private saveRow(key: string, entry: Entry): void {
    this.removals.delete(key);
    entry.dirty = !(this.lockouts.writable() && this.attempt(() => this.lockouts.save(rowOf(key, entry))));
    if (!entry.dirty) entry.stored = true;
  }

  private removeRow(key: string): void {
    if (!(this.lockouts.writable() && this.attempt(() => this.lockouts.remove(key)))) this.removals.add(key);
  }

  /** Whether the write went through; a database that did not take it is not an error here. */
  private attempt(write: () => unknown): boolean {
    try {
      write();
      return true;
    } catch (err) {
      if (!(err instanceof StateWriteError)) this.log?.error({ err }, MESSAGES.writeFailed);
      return false;
    }
  }
}

function rowOf(key: string, e: Entry): LockoutRow {
  return { key, userId: e.userId, failures: e.failures, windowStart: e.windowStart, lockedUntil: e.lockedUntil, blocked: e.blocked };
}
