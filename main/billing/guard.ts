// Wraps any adapter with what every billing needs in front of a public port: a time limit per
// call, a small number of calls at once, identical concurrent reads answered by one call, and
// latency metrics. Adapters stay simple; outages surface as BillingUnavailableError (→ 503).
import type { Metrics } from '../metrics.js';
import { BillingCalls } from './calls.js';
import { SingleFlight } from './single-flight.js';
import type { FieldMapReport } from '../../shared/admin.js';
import { BillingUnreachableError, BillingUnavailableError, type BillingSource, type CheckItem, type SubscriberSnapshot } from './source.js';

export interface GuardOptions {
  /** Longest a single call may take before the caller gets a 503 (default 15 s). */
  timeoutMs?: number;
  /** Billing calls in flight at once (default 4). */
  concurrency?: number;
  metrics?: Metrics;
  /** Where the adapters count their exchanges with the billing server. */
  calls?: BillingCalls;
}

export class GuardedBilling implements BillingSource {
  /** Calls at the billing now, and callers waiting for one of the `concurrency` slots. */
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly flights = new SingleFlight();
  private readonly timeoutMs: number;
  private readonly deadlines = new Deadlines();
  /** Adapters replaced while their calls may still run, closed once those would have timed out. */
  private readonly retired = new Map<BillingSource, NodeJS.Timeout>();
  /** The adapters' exchanges with the billing server, by purpose. */
  readonly calls: BillingCalls;

  constructor(private adapter: BillingSource, private readonly options: GuardOptions = {}) {
    this.concurrency = options.concurrency ?? 4;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.calls = options.calls ?? new BillingCalls();
  }

  get kind(): string {
    return this.adapter.kind;
  }

  /** The adapter behind the guard. */
  get inner(): BillingSource {
    return this.adapter;
  }

  /** Puts a new adapter behind the guard (the billing settings changed); calls already made finish on the old one. */
  replace(next: BillingSource): void {
    const old = this.adapter;
    if (old === next) return;
    this.adapter = next;
    const timer = setTimeout(() => {
      this.retired.delete(old);
      void old.close().catch(() => undefined);
    }, this.timeoutMs);
    timer.unref();
    this.retired.set(old, timer);
  }

  /** Calls waiting for a free slot plus those running: shown in status and metrics. */
  get pending(): number {
    return this.active + this.waiting.length;
  }

  authenticate(login: string, password: string): Promise<string | null> {
    // Never shared between callers: the key would hold a password, and each attempt must count.
    return this.run('authenticate', () => this.adapter.authenticate(login, password));
  }

  /** The adapter's identity of a typed login; without one the typed login is the identity. */
  resolveLogin(typed: string): Promise<string | null> {
    const adapter = this.adapter;
    if (!adapter.resolveLogin) return Promise.resolve(typed);
    return this.run('resolveLogin', () => adapter.resolveLogin!(typed));
  }

  problems(): string[] {
    return this.adapter.problems?.() ?? [];
  }

  /** The adapter's field map report, where it has one (Carbon). */
  get fieldMap(): (() => Promise<FieldMapReport>) | undefined {
    const adapter = this.adapter;
    return adapter.fieldMap ? () => adapter.fieldMap!() : undefined;
  }

  getUser(userId: string) {
    return this.shared('getUser', userId, () => this.adapter.getUser(userId));
  }

  getContractsOfUser(userId: string) {
    return this.shared('getContractsOfUser', userId, () => this.adapter.getContractsOfUser(userId));
  }

  getContract(extId: string) {
    return this.shared('getContract', extId, () => this.adapter.getContract(extId));
  }

  listServices() {
    return this.shared('listServices', '', () => this.adapter.listServices());
  }

  listTariffs() {
    return this.shared('listTariffs', '', () => this.adapter.listTariffs());
  }

  getCharges(userId: string, limit: number) {
    return this.shared('getCharges', `${userId}\u0000${limit}`, () => this.adapter.getCharges(userId, limit));
  }

  snapshot(options: { charges: number }): AsyncIterable<SubscriberSnapshot> {
    // A whole-billing read is long by nature: no per-call time limit, and it does not take a slot
    // that subscribers' requests need.
    return this.adapter.snapshot(options);
  }

  check(): Promise<CheckItem[]> {
    return this.adapter.check();
  }

  async close(): Promise<void> {
    const retired = [...this.retired];
    this.retired.clear();
    for (const [, timer] of retired) clearTimeout(timer);
    await Promise.all([this.adapter.close(), ...retired.map(([old]) => old.close())]);
  }

  /** One call for all identical concurrent reads; each caller gets the same answer. */
  private shared<T>(call: string, args: string, fn: () => Promise<T>): Promise<T> {
    return this.flights.run(`${call}\u0000${args}`, () => this.run(call, fn));
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /**
   * The time limit covers waiting for a slot and the call itself. A slot stays taken until the
   * billing really answers, so a stalled billing never sees more than `concurrency` calls; a call
   * whose time ran out while it waited for a slot is not made at all. Written with plain callbacks:
   * this runs for every API request, and each extra promise showed in the benchmark.
   */
  private run<T>(call: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: string): boolean => {
        if (settled) return false;
        settled = true;
        this.deadlines.delete(deadline);
        this.options.metrics?.countBillingCall(call, outcome, (performance.now() - started) / 1000);
        return true;
      };
      const deadline = this.deadlines.add(started + this.timeoutMs, () => {
        if (settle('unavailable')) reject(new BillingUnreachableError(`the billing did not answer ${call} within ${this.timeoutMs} ms`));
      });
      const start = () => {
        if (settled) return this.release();
        let work: Promise<T>;
        try {
          work = fn();
        } catch (err) {
          work = Promise.reject(err);
        }
        work.then((value) => {
          this.release();
          if (settle('ok')) resolve(value);
        }, (err: unknown) => {
          this.release();
          if (settle(err instanceof BillingUnavailableError ? 'unavailable' : 'error')) reject(err);
        });
      };
      // A plain counter while a slot is free: most calls never wait.
      if (this.active < this.concurrency) {
        this.active++;
        start();
      } else {
        this.waiting.push(() => {
          this.active++;
          start();
        });
      }
    });
  }
}

/**
 * Time limits for many short calls with one timer: a sweep every 100 ms fails the calls past
 * their deadline (a timer per call costs more than most demo or cached answers).
 */
class Deadlines {
  private readonly waiting = new Set<Deadline>();
  private timer: NodeJS.Timeout | null = null;

  add(at: number, fail: () => void): Deadline {
    const entry = { at, fail };
    this.waiting.add(entry);
    this.timer ??= setInterval(() => this.sweep(), 100).unref();
    return entry;
  }

  delete(entry: Deadline): void {
    this.waiting.delete(entry);
  }

  private sweep(): void {
    // The timer stops here, when nothing waited a whole sweep, not after every call.
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const now = performance.now();
    for (const entry of this.waiting) {
      if (entry.at <= now) entry.fail();
    }
  }
}

interface Deadline {
  at: number;
  fail: () => void;
}

/** The adapter behind the guard, for code that needs an adapter's own features (demo changes). */
export function unwrapBilling(billing: BillingSource): BillingSource {
  return billing instanceof GuardedBilling ? billing.inner : billing;
}
