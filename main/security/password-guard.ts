// Password guessing against /api/auth: after a few failures a login is locked for a while and
// answered "wrong login or password" without asking the billing; and the billing gets at most so
// many password checks a minute in all. Lockouts live in the database, so a restart does not
// reset them. There is deliberately no per-address blocking: every check comes from core's address.
import type { Lockouts } from '../state/index.js';

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
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
  blocked: number;
  /** Checks at the billing right now: they count against the limit until they end. */
  inFlight: number;
  dirty: boolean;
}

export interface LockedLogin {
  login: string;
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

export class PasswordGuard {
  private readonly entries = new Map<string, Entry>();
  /** When recent billing checks started, oldest first (at most checksPerMinute of them). */
  private readonly recentChecks: number[] = [];
  private blockedTotal = 0;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly lockouts: Lockouts,
    private readonly settings: () => GuardSettings,
    private readonly now: () => number = Date.now,
  ) {
    const since = this.now() - this.settings().windowMinutes * MINUTE;
    for (const r of lockouts.loadActive(this.now(), since)) {
      this.entries.set(r.login, { failures: r.failures, windowStart: r.windowStart, lockedUntil: r.lockedUntil, blocked: r.blocked, inFlight: 0, dirty: false });
    }
    // Counting refused attempts is bookkeeping: batch it instead of a disk write per attempt.
    this.flushTimer = setInterval(() => this.flush(), 5_000).unref();
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

  /** Before asking the billing. A refusal costs no billing call and no disk write. */
  before(login: string): Verdict {
    const now = this.now();
    const s = this.settings();
    const entry = this.current(login, now);
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
    const e = entry ?? this.create(login, now);
    e.inFlight++;
    return { go: true };
  }

  /** After the billing answered (or failed: an outage is not the subscriber's failure). */
  after(login: string, outcome: 'valid' | 'invalid' | 'error'): void {
    const now = this.now();
    const entry = this.entries.get(login);
    if (entry) entry.inFlight = Math.max(0, entry.inFlight - 1);
    if (outcome === 'valid') {
      if (entry && entry.failures > 0) this.lockouts.remove(login);
      this.entries.delete(login);
      return;
    }
    if (outcome === 'error' || !entry) return;
    const s = this.settings();
    entry.failures++;
    if (entry.failures >= s.maxFailures) entry.lockedUntil = now + s.lockMinutes * MINUTE;
    entry.dirty = false;
    this.lockouts.save({ login, failures: entry.failures, windowStart: entry.windowStart, lockedUntil: entry.lockedUntil, blocked: entry.blocked });
  }

  status(): GuardStatus {
    const now = this.now();
    const locked: LockedLogin[] = [];
    for (const [login, e] of this.entries) {
      if (e.lockedUntil !== null && e.lockedUntil > now) {
        locked.push({ login, failures: e.failures, lockedUntil: new Date(e.lockedUntil).toISOString(), blockedAttempts: e.blocked });
      }
    }
    return {
      locked: locked.sort((a, b) => b.lockedUntil.localeCompare(a.lockedUntil)),
      blockedAttempts: this.blockedTotal,
      checksLastMinute: this.recentChecks.filter((t) => t > now - MINUTE).length,
      checksPerMinute: this.settings().checksPerMinute,
    };
  }

  /** The operator lifts a lockout (the subscriber called and proved who they are). */
  unlock(login: string): boolean {
    const existed = this.entries.delete(login);
    const deleted = this.lockouts.remove(login);
    return existed || deleted;
  }

  /** Writes refused-attempt counts, and forgets logins whose window and lock are over. */
  flush(): void {
    const now = this.now();
    for (const login of [...this.entries.keys()]) this.current(login, now);
    const dirty = [...this.entries].filter(([, e]) => e.dirty);
    if (dirty.length === 0) return;
    this.lockouts.saveBlocked(dirty.map(([login, e]) => [login, e.blocked]));
    for (const [, e] of dirty) e.dirty = false;
  }

  close(): void {
    clearInterval(this.flushTimer);
    this.flush();
  }

  /** The login's entry, or undefined when it has none or its window and lock are over. */
  private current(login: string, now: number): Entry | undefined {
    const entry = this.entries.get(login);
    if (!entry) return undefined;
    const s = this.settings();
    const lockOver = entry.lockedUntil === null || entry.lockedUntil <= now;
    const windowOver = entry.windowStart <= now - s.windowMinutes * MINUTE;
    if (lockOver && windowOver && entry.inFlight === 0) {
      this.entries.delete(login);
      if (entry.failures > 0) this.lockouts.remove(login);
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

  private create(login: string, now: number): Entry {
    const entry: Entry = { failures: 0, windowStart: now, lockedUntil: null, blocked: 0, inFlight: 0, dirty: false };
    this.entries.set(login, entry);
    return entry;
  }

  private refuse(entry: Entry, reason: 'locked', ms: number): Verdict {
    entry.blocked++;
    entry.dirty = entry.failures > 0;
    this.blockedTotal++;
    return { go: false, reason, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
  }
}
