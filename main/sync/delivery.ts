// The delivery worker: takes due rows from the outbox, sends them to core a few at a time, and
// writes the results back in small batches (one fsync per batch, not per callback). When core
// fails, everything waits behind one probe with a growing, jittered delay instead of hammering
// it with the whole queue; Retry-After from core sets that delay when given.
import type { Logger } from '../logging/logger.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { Clock, Random } from './clock.js';
import type { CoreClient, SendResult } from './core-client.js';
import { StateWriteError, type Outbox, type OutboxRow, type Settlement } from '../state/index.js';

export interface CoreConfig {
  baseUrl: string;
  login: string;
}

export interface DeliveryOptions {
  outbox: Outbox;
  client: CoreClient;
  config: () => CoreConfig;
  password: () => Promise<string | null>;
  clock: Clock;
  random: Random;
  log: Logger;
  /** Requests in flight at once while core is healthy. */
  concurrency: number;
  /** A callback core has not accepted for this long goes to the dead letters. */
  horizonMs: () => number;
  backoff?: BackoffOptions;
  /** Results are written together after at most this long. */
  flushDelayMs?: number;
  /** Called inside each result transaction, to keep what the status screen shows across restarts. */
  persist?: (state: { lastError: DeliveryError | null; lastDeliveredAt: number | null }) => void;
}

/** What became of one attempt, for a person waiting on a manual callback. */
export interface AttemptOutcome {
  outboxId: number;
  at: number;
  delivered: boolean;
  status: number | null;
  reason: string | null;
  next: 'done' | 'retry' | 'dead';
  nextAt: number | null;
}

export interface DeliveryError {
  at: number;
  kind: string;
  body: string;
  status: number | null;
  reason: string;
}

export interface DeliveryState {
  paused: boolean;
  configured: boolean;
  inFlight: number;
  /** Deliveries wait until then (core failed recently). */
  holdUntil: number | null;
  consecutiveFailures: number;
  /** Set while core refuses us for a reason only configuration fixes (401, 404, redirect). */
  configProblem: string | null;
  lastError: DeliveryError | null;
  lastDeliveredAt: number | null;
}

const MAX_WAKE_MS = 30_000;
const FLUSH_BATCH = 64;
/** How soon results the database did not take are written again. */
const UNWRITTEN_RETRY_MS = 2_000;

const MESSAGES = {
  resultsWait: 'delivery results wait for the state database; nothing new is sent until it takes them',
  resultsWritten: 'delivery results written; deliveries go on',
};

export class DeliveryWorker {
  private started = false;
  private paused = false;
  private stopping = false;
  private inFlight = 0;
  /** Rows sent or being sent whose result is not written yet: never picked twice. */
  private readonly busy = new Map<number, Promise<void>>();
  private readonly waiters = new Map<number, Array<(o: AttemptOutcome) => void>>();
  /** Set by a success after failures: the next flush makes every waiting row due. */
  private release = false;
  private settlements: Array<{ s: Settlement; outcome: AttemptOutcome | null }> = [];
  /** Results the database did not take: nothing new is sent until it does (see flush). */
  private unwritten = false;
  private expired: { before: number; reason: string; at: number } | undefined;
  private holdUntil = 0;
  private probing = false;
  /** Core's health is unknown (just started) or it failed: the next success makes every waiting row due. */
  private recovering = true;
  private failures = 0;
  private configProblem: string | null = null;
  private lastError: DeliveryError | null = null;
  private lastDeliveredAt: number | null = null;
  private wakeTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly backoff: BackoffOptions;

  constructor(private readonly o: DeliveryOptions) {
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
  }

  start(options: { paused: boolean }): void {
    this.started = true;
    this.paused = options.paused;
    this.pump();
  }

  pause(): void {
    this.paused = true;
    clearTimeout(this.wakeTimer);
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** New rows were queued or settings changed: look again. */
  kick(): void {
    this.pump();
  }

  /** A person fixed something or asked for a re-send: stop waiting out the backoff. */
  retryNow(): void {
    this.holdUntil = 0;
    this.probing = this.failures > 0;
    this.pump();
  }

  /** Sends one row at once, past the backoff (a person is waiting), unless paused or not configured. */
  sendNow(id: number): boolean {
    if (!this.started || this.paused || this.stopping || !this.isConfigured()) return false;
    if (this.busy.has(id)) return true;
    const row = this.o.outbox.get(id);
    if (!row || row.state !== 'pending') return false;
    this.begin(row, true);
    return true;
  }

  /** Resolves with the outcome of the next attempt on this row that finishes, or null after `ms`. */
  waitForAttempt(id: number, ms: number): Promise<AttemptOutcome | null> {
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      const timer = setTimeout(() => {
        const now = this.waiters.get(id)?.filter((w) => w !== done) ?? [];
        if (now.length > 0) this.waiters.set(id, now);
        else this.waiters.delete(id);
        resolve(null);
      }, ms);
      const done = (o: AttemptOutcome) => {
        clearTimeout(timer);
        resolve(o);
      };
      list.push(done);
      this.waiters.set(id, list);
    });
  }

  isBusy(id: number): boolean {
    return this.busy.has(id);
  }

  state(): DeliveryState {
    return {
      paused: this.paused,
      configured: this.isConfigured(),
      inFlight: this.inFlight,
      holdUntil: this.holdUntil > this.o.clock.now() ? this.holdUntil : null,
      consecutiveFailures: this.failures,
      configProblem: this.configProblem,
      lastError: this.lastError,
      lastDeliveredAt: this.lastDeliveredAt,
    };
  }

  /** Restores what the status screen showed before a restart. */
  restore(lastError: DeliveryError | null, lastDeliveredAt: number | null): void {
    this.lastError = lastError;
    this.lastDeliveredAt = lastDeliveredAt;
  }

  /** Cuts requests in flight short (they stay queued) and writes what is known. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.wakeTimer);
    this.abort.abort();
    await Promise.allSettled([...this.busy.values()]);
    this.flush();
    clearTimeout(this.flushTimer);
    this.o.client.close();
  }

  private isConfigured(): boolean {
    return this.o.config().baseUrl !== '';
  }

  private pump(): void {
    if (!this.started || this.paused || this.stopping) return;
    clearTimeout(this.wakeTimer);
    try {
      this.pickAndSend();
    } catch (err) {
      // The database could not be read (disk full, locked): try again shortly, never crash.
      this.o.log.error({ err }, 'could not read the outbox; retrying in 5 s');
      this.wakeAt(this.o.clock.now() + 5_000, this.o.clock.now());
    }
  }

  private pickAndSend(): void {
    if (!this.isConfigured() || this.unwritten) return;
    const now = this.o.clock.now();
    if (this.holdUntil > now) {
      this.wakeAt(this.holdUntil, now);
      return;
    }
    const limit = this.probing ? 1 : this.o.concurrency;
    const slots = limit - this.inFlight;
    if (slots > 0) {
      let rows = this.o.outbox.due(now, slots + this.busy.size);
      if (rows.length === 0 && this.recovering && this.busy.size === 0) {
        // Rows wait out backoffs from before a restart or an outage: one of them probes core now.
        const first = this.o.outbox.earliest();
        if (first) rows = [first];
      }
      let taken = 0;
      for (const row of rows) {
        if (taken >= slots) break;
        if (this.busy.has(row.id)) continue;
        this.begin(row, this.probing);
        taken++;
      }
      if (taken < slots) {
        const next = this.o.outbox.nextDueAt(new Set(this.busy.keys()));
        if (next !== null) this.wakeAt(next, now);
      }
    }
  }

  private wakeAt(at: number, now: number): void {
    clearTimeout(this.wakeTimer);
    // Capped, so an injected clock that jumps ahead is noticed without a real wait of hours.
    this.wakeTimer = setTimeout(() => this.pump(), Math.min(Math.max(at - now, 0), MAX_WAKE_MS));
    this.wakeTimer.unref();
  }

  private begin(row: OutboxRow, probe: boolean): void {
    this.inFlight++;
    const run = this.attempt(row, probe).catch((err: unknown) => {
      this.o.log.error({ err: (err as Error).message, outboxId: row.id }, 'delivery attempt failed unexpectedly');
      this.busy.delete(row.id);
    });
    this.busy.set(row.id, run);
  }

  private async attempt(row: OutboxRow, probe: boolean): Promise<void> {
    let result: SendResult;
    try {
      const config = this.o.config();
      const password = await this.o.password();
      result = await this.o.client.send({ baseUrl: config.baseUrl, login: config.login, password }, row, this.abort.signal);
    } catch (err) {
      result = { ok: false, status: null, ms: 0, reason: `the core password cannot be read: ${(err as Error).message}`, retryable: true, retryAfterMs: null, configProblem: false, aborted: false };
    } finally {
      this.inFlight--;
    }
    if (!result.ok && result.aborted) {
      // Stopping: not an attempt; the row stays as it was and is sent after the restart.
      this.busy.delete(row.id);
      return;
    }
    const at = this.o.clock.now();
    let settlement: Settlement;
    let outcome: AttemptOutcome;
    if (result.ok) {
      if (this.recovering) {
        this.recovering = false;
        this.release = true;
      }
      if (this.failures > 0) this.o.log.info({ failures: this.failures }, 'core accepts callbacks again');
      this.failures = 0;
      this.probing = false;
      this.holdUntil = 0;
      this.configProblem = null;
      this.lastDeliveredAt = at;
      settlement = { type: 'delivered', row, at, status: result.status, ms: result.ms };
      outcome = { outboxId: row.id, at, delivered: true, status: result.status, reason: null, next: 'done', nextAt: null };
    } else {
      this.lastError = { at, kind: row.kind, body: row.body, status: result.status, reason: result.reason };
      const horizon = this.o.horizonMs();
      if (!result.retryable) {
        settlement = { type: 'dead', row, at, status: result.status, error: result.reason, ms: result.ms, reason: result.reason };
        outcome = { outboxId: row.id, at, delivered: false, status: result.status, reason: result.reason, next: 'dead', nextAt: null };
        if (result.configProblem) {
          this.configProblem = result.reason;
          this.holdAfterFailure(probe, at, null);
        }
      } else if (at - row.created_at >= horizon) {
        const reason = `core did not accept it within ${formatHours(horizon)} (last error: ${result.reason})`;
        settlement = { type: 'dead', row, at, status: result.status, error: result.reason, ms: result.ms, reason };
        outcome = { outboxId: row.id, at, delivered: false, status: result.status, reason: result.reason, next: 'dead', nextAt: null };
        this.holdAfterFailure(probe, at, result.retryAfterMs);
      } else {
        const nextAt = at + (result.retryAfterMs ?? backoffDelay(row.attempts + 1, this.o.random, this.backoff));
        settlement = { type: 'retry', row, at, status: result.status, error: result.reason, ms: result.ms, nextAt };
        outcome = { outboxId: row.id, at, delivered: false, status: result.status, reason: result.reason, next: 'retry', nextAt };
        this.holdAfterFailure(probe, at, result.retryAfterMs);
      }
      if (result.retryable) {
        // Core keeps failing: everything queued longer than the horizon gives up with this row.
        this.expired = { before: at - horizon, at, reason: `core did not accept it within ${formatHours(horizon)} (last error: ${result.reason})` };
      }
    }
    this.settlements.push({ s: settlement, outcome });
    this.scheduleFlush(row.id);
    this.pump();
  }

  /** One failure slows everything down; failures of requests already in flight do not compound it. */
  private holdAfterFailure(probe: boolean, at: number, retryAfterMs: number | null): void {
    this.recovering = true;
    if (probe || !this.probing) {
      this.failures++;
      this.probing = true;
      this.holdUntil = at + (retryAfterMs ?? backoffDelay(this.failures, this.o.random, this.backoff));
      if (this.failures === 1) this.o.log.warn({ reason: this.lastError?.reason }, 'core does not accept callbacks; they wait and are retried');
    } else if (retryAfterMs !== null) {
      this.holdUntil = Math.max(this.holdUntil, at + retryAfterMs);
    }
  }

  private scheduleFlush(id: number): void {
    if (this.settlements.length >= FLUSH_BATCH || this.waiters.has(id) || this.stopping) {
      this.flush();
      return;
    }
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), this.o.flushDelayMs ?? 20);
    }
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.settlements;
    this.settlements = [];
    const expired = this.expired;
    this.expired = undefined;
    const release = this.release;
    this.release = false;
    if (batch.length === 0 && !expired) return;
    try {
      if (release) this.o.outbox.release(this.o.clock.now());
      const state = { lastError: this.lastError, lastDeliveredAt: this.lastDeliveredAt };
      this.o.outbox.settle(batch.map((b) => b.s), expired, this.o.persist && (() => this.o.persist!(state)));
    } catch (err) {
      if (err instanceof StateWriteError && !this.stopping) {
        this.keepUnwritten(batch, expired, release, err);
        return;
      }
      // Not written: the rows stay pending as they were and are sent again (at least once).
      this.o.log.error({ err }, 'could not record delivery results; they will be sent again');
    }
    if (this.unwritten) {
      this.unwritten = false;
      this.o.log.info({ results: batch.length }, MESSAGES.resultsWritten);
    }
    for (const { s, outcome } of batch) {
      this.busy.delete(s.row.id);
      if (s.type === 'dead') this.o.log.warn({ outboxId: s.row.id, kind: s.row.kind, reason: s.reason }, 'callback moved to the dead letters');
      const list = this.waiters.get(s.row.id);
      if (list && outcome) {
        this.waiters.delete(s.row.id);
        for (const w of list) w(outcome);
      }
    }
    this.pump();
  }

  /**
   * Core answered, but the database did not take the answers (full, locked): keep them, their rows
   * still busy so none is sent twice, and send nothing new meanwhile (its answer could not be
   * written either); write them once the database takes them. Whoever waits for an attempt is told
   * core's answer now. Should the agent stop first, the rows are still pending and are sent again
   * after the restart: at least once, never lost.
   */
  private keepUnwritten(batch: DeliveryWorker['settlements'], expired: DeliveryWorker['expired'], release: boolean, err: StateWriteError): void {
    if (!this.unwritten) this.o.log.warn({ results: batch.length, trouble: err.trouble }, MESSAGES.resultsWait);
    this.unwritten = true;
    this.settlements = [...batch, ...this.settlements];
    this.expired ??= expired;
    this.release ||= release;
    for (const { s, outcome } of batch) {
      const list = this.waiters.get(s.row.id);
      if (list && outcome) {
        this.waiters.delete(s.row.id);
        for (const w of list) w(outcome);
      }
    }
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flush(), UNWRITTEN_RETRY_MS);
    this.flushTimer.unref();
  }
}

function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 1 && Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`;
}
