// The sync service: scans the billing on a schedule and on demand, keeps the outbox flowing to
// core, pauses and resumes, and answers the status screen. The agent owns one; the admin API and
// CLI reach it through the admin operations.
import type {
  CallbackResult, DeadLetter, DeliveryAttempt, ScanReport as ScanReportOut, SyncStatus,
} from '../../shared/admin.js';
import { asPurpose, type CallCounts } from '../billing/calls.js';
import { BillingUnavailableError, type BillingSource } from '../billing/source.js';
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../../shared/settings.js';
import { ExposedError } from '../../shared/wire.js';
import type { BackoffOptions } from './backoff.js';
import { iso, systemClock, type Clock, type Random } from './clock.js';
import { createCoreClient, type CoreClient } from './core-client.js';
import { StateWriteError, type State, type WriteHealth } from '../state/index.js';
import { DeliveryWorker, type AttemptOutcome } from './delivery.js';
import { createFingerprinter, newSalt } from './fingerprint.js';
import { ScanAbortedError, scanBilling, totalChanges, type ScanMode, type ScanObserver, type ScanProgress, type ScanReport } from './scanner.js';
import { buildStatus, publicReport, toDeadLetter, toDeliveryAttempt } from './status.js';
import { callbackFor, describeCallback, type TargetKind } from './targets.js';

export interface SyncServiceOptions {
  state: State;
  billing: () => BillingSource;
  /** Calls at the billing in the last minute, by purpose (shown in status); none counted when absent. */
  billingCalls?: () => CallCounts;
  /** The agent's current settings (sync.*, core.*). */
  settings: () => Settings;
  /** Writes sync.enabled to the settings file (pause/resume survive a restart). */
  saveEnabled: (enabled: boolean) => void;
  /** Problems of other parts shown with sync's (a settings file that does not validate). */
  problems?: () => string[];
  secrets: { get(name: 'core-password'): Promise<string | null> };
  log: Logger;
  /** Where the settings live, for messages that tell people what to edit. */
  settingsFile?: string;
  clock?: Clock;
  random?: Random;
  backoff?: BackoffOptions;
  /** Parallel deliveries while core is healthy. */
  concurrency?: number;
  flushDelayMs?: number;
  /** Test hook: a ready-made core client. */
  coreClient?: CoreClient;
  /** Kept in step with every scan (the lookup index and sync report of main/explain). */
  scanObserver?: ScanObserver;
}

/** Asked for a scan while paused: a refusal the caller can act on (409). */
export class SyncPausedError extends ExposedError {
  override name = 'SyncPausedError';
  constructor(what: string) {
    super(409, 'conflict', `sync is paused, so it cannot ${what}: resume it first (billing-bridge sync resume)`);
  }
}

const writeProblem = (h: WriteHealth): string | null => (h.ok ? null : h.message);

const MESSAGES = {
  scanNotTaken: (err: Error) => `the state database did not take the scan's changes (${err.message})`,
};

/** First retry after a failed scan; doubles up to the normal interval. */
const SCAN_RETRY_FIRST_MS = 5_000;
const PASSWORD_CACHE_MS = 5_000;

export function createSyncService(o: SyncServiceOptions): SyncService {
  return new SyncService(o);
}

export class SyncService {
  private readonly clock: Clock;
  private readonly meta;
  private readonly outbox;
  private readonly fingerprinter;
  private readonly stage;
  private readonly worker: DeliveryWorker;
  private readonly stopScans = new AbortController();
  private scanTimer: NodeJS.Timeout | undefined;
  private nextScanAt: number | null = null;
  private scanChain: Promise<unknown> = Promise.resolve();
  private running: { since: number; progress: ScanProgress } | null = null;
  private lastScan: ScanReport | null;
  private lastSuccessAt: number | null;
  private scanFailures = 0;
  private started = false;
  private stopped = false;
  private password: { value: string | null; at: number } | null = null;
  private soonTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: SyncServiceOptions) {
    this.clock = o.clock ?? systemClock;
    this.meta = o.state.meta;
    this.outbox = o.state.outbox;
    this.stage = o.state.scanStage();
    let salt = this.meta.hashSalt.get();
    if (salt === null) {
      salt = newSalt();
      this.meta.hashSalt.set(salt);
    }
    this.fingerprinter = createFingerprinter(salt);
    this.lastScan = this.meta.lastScan.get();
    this.lastSuccessAt = this.meta.lastScanOkAt.get();
    const settings = o.settings();
    const concurrency = o.concurrency ?? 8;
    this.worker = new DeliveryWorker({
      outbox: this.outbox,
      client: o.coreClient ?? createCoreClient({
        connectTimeoutMs: settings.core.connectTimeoutMs,
        timeoutMs: settings.core.timeoutMs,
        maxSockets: concurrency,
        clock: this.clock,
      }),
      config: () => ({ baseUrl: this.o.settings().core.baseUrl, login: this.o.settings().core.login }),
      password: () => this.corePassword(),
      clock: this.clock,
      random: o.random ?? Math.random,
      log: o.log.child({ component: 'delivery' }),
      concurrency,
      horizonMs: () => this.o.settings().sync.retryHorizonHours * 3_600_000,
      backoff: o.backoff,
      flushDelayMs: o.flushDelayMs,
      persist: (state) => {
        if (state.lastError) this.meta.lastDeliveryError.set(state.lastError);
        if (state.lastDeliveredAt !== null) this.meta.lastDeliveredAt.set(state.lastDeliveredAt);
      },
    });
    this.worker.restore(this.meta.lastDeliveryError.get(), this.meta.lastDeliveredAt.get());
  }

  private get enabled(): boolean {
    return this.o.settings().sync.enabled;
  }

  /** Call once the API listens: deliveries resume and the first scan runs right away. */
  start(): void {
    this.started = true;
    this.worker.start({ paused: !this.enabled });
    if (this.enabled) this.scheduleScan(0);
    const pending = this.outbox.stats(this.clock.now()).pending;
    this.o.log.info({ enabled: this.enabled, pending, intervalSeconds: this.o.settings().sync.intervalSeconds }, 'sync started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.scanTimer);
    clearTimeout(this.soonTimer);
    this.stopScans.abort();
    await this.scanChain.catch(() => undefined);
    await this.worker.stop();
  }

  // ---- scans ----

  async scanNow(): Promise<ScanReportOut> {
    if (!this.enabled) throw new SyncPausedError('scan');
    return publicReport(await this.queueScan('scan'));
  }

  async resendAll(): Promise<ScanReportOut> {
    if (!this.enabled) throw new SyncPausedError('re-send everything');
    return publicReport(await this.queueScan('resend-all'));
  }

  /** A scan in a moment (after a demo change), folding a burst of requests into one. */
  scanSoon(delayMs = 300): void {
    if (!this.enabled || this.stopped) return;
    clearTimeout(this.soonTimer);
    this.soonTimer = setTimeout(() => void this.queueScan('scan').catch(() => undefined), delayMs);
    this.soonTimer.unref();
  }

  /** Scans run one after another, never two at once. */
  private queueScan(mode: ScanMode): Promise<ScanReport> {
    const run = this.scanChain.catch(() => undefined).then(() => this.runScan(mode));
    this.scanChain = run.catch(() => undefined);
    return run;
  }

  private scheduleScan(ms: number): void {
    clearTimeout(this.scanTimer);
    this.nextScanAt = null;
    if (!this.started || this.stopped || !this.enabled) return;
    this.nextScanAt = this.clock.now() + ms;
    this.scanTimer = setTimeout(() => void this.queueScan('scan').catch(() => undefined), ms);
    this.scanTimer.unref();
  }

  private async runScan(mode: ScanMode): Promise<ScanReport> {
    if (this.stopped) throw new ScanAbortedError('the agent is stopping');
    // Paused while this scan waited for the one before it.
    if (!this.enabled) throw new SyncPausedError('scan');
    clearTimeout(this.scanTimer);
    this.nextScanAt = null;
    const since = this.clock.now();
    const started = performance.now();
    const progress: ScanProgress = { subscribers: 0 };
    this.running = { since, progress };
    const billing = this.o.billing();
    let report: ScanReport;
    try {
      // The billing calls the scan makes count as the scan's, not as core's requests.
      report = await asPurpose('scan', () => scanBilling({
        billing, fingerprints: this.o.state.fingerprints, fingerprinter: this.fingerprinter,
        stage: this.stage, meta: this.meta, clock: this.clock, observer: this.o.scanObserver,
      }, mode, { signal: this.stopScans.signal, progress }));
      this.scanFailures = 0;
      this.lastSuccessAt = report.finishedAt;
      // A quiet scan every minute is not news; one that found changes is.
      const level = report.kind === 'scan' && report.callbacks === 0 ? 'debug' : 'info';
      this.o.log[level]({
        kind: report.kind, subscribers: report.subscribers, changes: totalChanges(report.changes),
        callbacks: report.callbacks, ms: report.durationMs,
      }, report.kind === 'baseline' ? 'baseline recorded: core is assumed to know the current data; no callbacks sent' : 'scan finished');
      if (report.callbacks > 0) this.worker.kick();
    } catch (err) {
      if (err instanceof ScanAbortedError) throw err;
      this.scanFailures++;
      const reason = err instanceof BillingUnavailableError
        ? `the billing could not be read (${err.message})`
        : err instanceof StateWriteError
          ? MESSAGES.scanNotTaken(err)
          : `the scan failed: ${(err as Error).message}`;
      report = {
        kind: mode === 'resend-all' ? 'resend-all' : this.meta.baseline.get() === null ? 'baseline' : 'scan',
        ok: false,
        startedAt: since,
        finishedAt: this.clock.now(),
        durationMs: Math.round(performance.now() - started),
        subscribers: progress.subscribers,
        changes: { users: 0, contracts: 0, charges: 0, added: 0, removed: 0 },
        callbacks: 0,
        error: `${reason}; nothing was changed or sent`,
      };
      this.o.log.warn({ err: (err as Error).message, subscribersRead: progress.subscribers, failures: this.scanFailures }, 'scan failed; nothing was changed, it will be retried');
      if (!(err instanceof BillingUnavailableError) && !(err instanceof StateWriteError)) this.o.log.debug({ err }, 'scan failure detail');
    } finally {
      this.running = null;
    }
    this.lastScan = report;
    try {
      this.meta.lastScan.set(report);
      if (report.ok) this.meta.lastScanOkAt.set(report.finishedAt);
    } catch (err) {
      // The database's own episode is logged once by the state module; the result is kept in memory.
      if (!(err instanceof StateWriteError)) this.o.log.error({ err }, 'could not record the scan result');
    }
    this.scheduleScan(report.ok ? this.intervalMs() : this.retryDelayMs());
    return report;
  }

  private intervalMs(): number {
    return this.o.settings().sync.intervalSeconds * 1000;
  }

  private retryDelayMs(): number {
    return Math.min(this.intervalMs(), SCAN_RETRY_FIRST_MS * 2 ** Math.min(this.scanFailures - 1, 20));
  }

  /**
   * The settings changed (the settings store tells): follow sync.enabled and the interval, and
   * retry deliveries at once in case core's address or login was fixed. The timeouts
   * (core.connectTimeoutMs, core.timeoutMs) apply after a restart.
   */
  settingsChanged(): void {
    if (this.stopped || !this.started) return;
    if (this.enabled) {
      this.worker.resume();
      const interval = this.intervalMs();
      if (this.nextScanAt === null || this.nextScanAt - this.clock.now() > interval) this.scheduleScan(this.running ? interval : 0);
      this.worker.retryNow();
    } else {
      clearTimeout(this.scanTimer);
      clearTimeout(this.soonTimer);
      this.nextScanAt = null;
      this.worker.pause();
    }
  }

  // ---- pause / resume ----

  pause(): void {
    if (this.enabled) this.o.saveEnabled(false);
    clearTimeout(this.scanTimer);
    clearTimeout(this.soonTimer);
    this.nextScanAt = null;
    this.worker.pause();
    this.o.log.info('sync paused: no scans and no deliveries until resumed; the API keeps serving');
  }

  resume(): void {
    if (!this.enabled) this.o.saveEnabled(true);
    this.worker.resume();
    this.scheduleScan(0);
    this.o.log.info('sync resumed');
  }

  // ---- callbacks, dead letters, history ----

  /** Look at the outbox again now (after a settings change, or when a test moved its clock). */
  kickDeliveries(): void {
    this.worker.kick();
  }

  async sendCallback(target: TargetKind, id: string, waitMs: number): Promise<CallbackResult> {
    const callback = callbackFor(target, id);
    const outboxId = this.outbox.enqueue(callback, 'manual', this.clock.now());
    const note = await this.checkKnown(target, id);
    const base = {
      outboxId, kind: callback.kind, target: describeCallback(callback.kind, callback.body), path: callback.path,
      body: JSON.parse(callback.body) as Record<string, string>, note,
    };
    const notTried = (message: string): CallbackResult => ({
      ...base, outcome: 'queued', httpStatus: null, reason: null, nextAttemptAt: null, deadLettered: false, message,
    });
    if (!this.enabled) return notTried('sync is paused: the callback is queued and will be sent after billing-bridge sync resume');
    if (this.o.settings().core.baseUrl === '') return notTried(`core is not configured (core.baseUrl is empty${this.o.settingsFile ? ` in ${this.o.settingsFile}` : ''}): the callback is queued until it is set`);
    const wait = this.worker.waitForAttempt(outboxId, waitMs);
    if (!this.worker.sendNow(outboxId)) {
      this.worker.kick();
    }
    const outcome = await wait;
    if (outcome === null) {
      return {
        ...base, outcome: 'pending', httpStatus: null, reason: null, nextAttemptAt: null, deadLettered: false,
        message: `core has not answered within ${Math.round(waitMs / 1000)} s; the callback stays queued and is retried until core accepts it`,
      };
    }
    return { ...base, ...this.describeOutcome(outcome) };
  }

  private describeOutcome(o: AttemptOutcome): Pick<CallbackResult, 'outcome' | 'httpStatus' | 'reason' | 'nextAttemptAt' | 'deadLettered' | 'message'> {
    if (o.delivered) {
      return { outcome: 'delivered', httpStatus: o.status, reason: null, nextAttemptAt: null, deadLettered: false, message: `delivered: core accepted it with HTTP ${o.status}` };
    }
    if (o.next === 'dead') {
      return {
        outcome: 'failed', httpStatus: o.status, reason: o.reason, nextAttemptAt: null, deadLettered: true,
        message: `failed: ${o.reason}. Not retried; it is in the dead letters (billing-bridge dead-letters resend ${o.outboxId} once fixed)`,
      };
    }
    return {
      outcome: 'failed', httpStatus: o.status, reason: o.reason, nextAttemptAt: iso(o.nextAt), deadLettered: false,
      message: `failed: ${o.reason}; queued for retry${o.nextAt !== null ? ` (next attempt at ${iso(o.nextAt)})` : ''}`,
    };
  }

  /** Warns (does not refuse) when the billing does not know the id: core would find nothing. */
  private async checkKnown(target: TargetKind, id: string): Promise<string | null> {
    const billing = this.o.billing();
    const lookup = target === 'contract' ? billing.getContract(id) : billing.getUser(id);
    const timeout = new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), 2_000).unref());
    try {
      const found = await Promise.race([lookup, timeout]);
      if (found === null) return `the billing has no ${target === 'contract' ? 'contract' : 'user'} ${id}; sent anyway, but core will find nothing when it re-reads`;
      return null;
    } catch {
      return null;
    } finally {
      lookup.catch(() => undefined);
    }
  }

  deadLetters(limit: number): { total: number; items: DeadLetter[] } {
    const total = this.outbox.stats(this.clock.now()).dead;
    return { total, items: this.outbox.deadLetters(limit).map(toDeadLetter) };
  }

  resendDead(ids: number[] | 'all'): { requeued: number; message: string } {
    const requeued = this.outbox.resend(ids, this.clock.now());
    this.worker.retryNow();
    const message = requeued === 0
      ? 'nothing to re-send: no such dead letters'
      : `${requeued} callback${requeued === 1 ? '' : 's'} queued again${this.enabled ? '' : ' (sync is paused: they are sent after resume)'}`;
    return { requeued, message };
  }

  recentDeliveries(limit: number): DeliveryAttempt[] {
    return this.o.state.deliveries.recent(limit).map(toDeliveryAttempt);
  }

  // ---- status ----

  async status(): Promise<SyncStatus> {
    let passwordSet = false;
    try {
      passwordSet = (await this.o.secrets.get('core-password')) !== null;
    } catch {
      passwordSet = false;
    }
    const now = this.clock.now();
    return buildStatus({
      now,
      settings: this.o.settings(),
      settingsFile: this.o.settingsFile,
      otherProblems: this.o.problems?.() ?? [],
      billingKind: this.o.billing().kind,
      billingCalls: this.o.billingCalls?.() ?? { scan: 0, request: 0 },
      billingProblems: this.o.billing().problems?.() ?? [],
      stateProblem: writeProblem(this.o.state.writeHealth()),
      passwordSet,
      stats: this.outbox.stats(now),
      counters: this.outbox.counters(),
      delivery: this.worker.state(),
      baselineAt: this.meta.baseline.get()?.at ?? null,
      scan: {
        running: this.running,
        nextAt: this.nextScanAt,
        consecutiveFailures: this.scanFailures,
        lastSuccessAt: this.lastSuccessAt,
        last: this.lastScan,
      },
    });
  }

  private async corePassword(): Promise<string | null> {
    const now = this.clock.now();
    if (this.password && Math.abs(now - this.password.at) < PASSWORD_CACHE_MS) return this.password.value;
    const value = await this.o.secrets.get('core-password');
    this.password = { value, at: now };
    return value;
  }
}
