// A sync service on a temporary database, a billing the test controls, an injectable clock and a
// real fake core on 127.0.0.1.
import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DemoBilling, type DemoBillingOptions } from '../../main/billing/demo/index.js';
import type { BillingSource, CheckItem, SubscriberSnapshot } from '../../main/billing/source.js';
import { BillingUnavailableError } from '../../main/billing/source.js';
import { createState, type State } from '../../main/state/index.js';
import { openDatabase, type Db } from '../../main/state/open.js';
import { startFakeCore, type FakeCore, type FakeCoreOptions } from '../../main/fake-core/index.js';
import { silentLogger } from '../../main/logging/logger.js';
import { defaultSettings, type Settings } from '../../shared/settings.js';
import type { Clock } from '../../main/sync/clock.js';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../../main/sync/service.js';
import type { Charge, Contract, Service, Tariff, User } from '../../shared/data-provider.js';
import { sleep, until } from '../helpers/wait.js';

export class FakeClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 23, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const made: string[] = [];

export function tempDir(prefix = 'bb-sync-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory tempDir() made in this test file (call in afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A billing made of plain snapshots: users and contracts can appear, change and vanish. */
export class TableBilling implements BillingSource {
  readonly kind = 'table';
  readonly subscribers = new Map<string, SubscriberSnapshot>();
  /** Throw BillingUnavailableError after this many subscribers of a snapshot. */
  failAfter: number | null = null;
  /** Wait this long before each subscriber of a snapshot (a slow billing). */
  delayMs = 0;

  add(id: string, contractIds: string[], extra: Partial<User> = {}): void {
    this.subscribers.set(id, {
      user: { ext_user_id: id, login: `l${id}`, password: `secret-${id}`, is_blocked: false, full_name: `Тестов Тест ${id}`, phones: [{ number: '9090909090', confirmed: false }], ...extra },
      contracts: contractIds.map((c) => contract(c)),
      charges: [{ account: `${id}-И`, cost: 10000, period: '10-26', description: 'Абонентская плата' }],
    });
  }

  get(id: string): SubscriberSnapshot {
    const s = this.subscribers.get(id);
    if (!s) throw new Error(`no subscriber ${id}`);
    return s;
  }

  async authenticate(): Promise<string | null> {
    return null;
  }
  async getUser(userId: string): Promise<User | null> {
    return this.subscribers.get(userId)?.user ?? null;
  }
  async getContractsOfUser(userId: string): Promise<Contract[] | null> {
    return this.subscribers.get(userId)?.contracts ?? null;
  }
  async getContract(extId: string): Promise<Contract | null> {
    for (const s of this.subscribers.values()) {
      const c = s.contracts.find((x) => x.ext_id === extId);
      if (c) return c;
    }
    return null;
  }
  async listServices(): Promise<Service[]> {
    return [];
  }
  async listTariffs(): Promise<Tariff[]> {
    return [];
  }
  async getCharges(userId: string, limit: number): Promise<Charge[] | null> {
    return this.subscribers.get(userId)?.charges.slice(0, limit) ?? null;
  }
  async *snapshot(options: { charges: number }): AsyncIterable<SubscriberSnapshot> {
    let n = 0;
    for (const s of this.subscribers.values()) {
      if (this.failAfter !== null && n >= this.failAfter) throw new BillingUnavailableError('table billing: connection lost');
      n++;
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      yield structuredClone({ ...s, charges: s.charges.slice(0, options.charges) });
    }
  }
  async check(): Promise<CheckItem[]> {
    return [];
  }
  async close(): Promise<void> {}
}

export function contract(id: string, balance = 10000): Contract {
  return {
    ext_id: id, account: `${id}-И`, contract: `${id}-И`, state: 2, balance, address: 'г. Челябинск, ул. Ленина, д. 1',
    settings: [], options: [], tariffs: [{ id: '52081501', options: [] }],
  };
}

export interface Harness {
  dir: string;
  /** The raw connection, for looking at the tables. */
  db: Db;
  state: State;
  core: FakeCore;
  clock: FakeClock;
  settings: Settings;
  billing: BillingSource;
  sync: SyncService;
  /** Callbacks core accepted, as "path-kind body" strings, sorted. */
  received(): string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  billing?: BillingSource;
  demo?: DemoBillingOptions;
  core?: FakeCoreOptions;
  settings?: (s: Settings) => void;
  service?: Partial<SyncServiceOptions>;
  /** Reuse a data directory (a restart). */
  dir?: string;
  /** Reuse a running fake core. */
  fakeCore?: FakeCore;
  clock?: FakeClock;
}

export const FAST_BACKOFF = { baseMs: 40, maxMs: 400 };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? tempDir();
  const core = options.fakeCore ?? (await startFakeCore(options.core));
  const clock = options.clock ?? new FakeClock();
  const settings = defaultSettings();
  settings.core.baseUrl = core.url;
  settings.core.login = 'isp';
  settings.core.timeoutMs = 2_000;
  settings.core.connectTimeoutMs = 1_000;
  options.settings?.(settings);
  const billing = options.billing ?? new DemoBilling({ now: () => new Date(Date.UTC(2026, 10, 15)), ...options.demo });
  const db = openDatabase(path.join(dir, 'state.db'));
  const state = createState(db);
  const sync = createSyncService({
    state,
    billing: () => billing,
    settings: () => settings,
    saveEnabled: (enabled) => {
      settings.sync.enabled = enabled;
    },
    secrets: { get: async () => 'core-secret' },
    log: silentLogger(),
    clock,
    random: () => 0.5,
    backoff: FAST_BACKOFF,
    flushDelayMs: 5,
    ...options.service,
  });
  return {
    dir, db, state, core, clock, settings, billing, sync,
    received: () => core.received.map((r) => `${r.kind} ${JSON.stringify(r.body)}`).sort(),
    async close() {
      await sync.stop();
      db.close();
      if (!options.fakeCore) await core.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const cb = {
  contract: (id: string) => `contract {"ext_id":"${id}"}`,
  user: (id: string) => `contract {"user_ext_id":"${id}"}`,
  charge: (id: string) => `charge {"user_ext_id":"${id}"}`,
};

export { sleep, until };

/** A harness whose sync runs and has recorded its baseline. */
export async function startBaselined(options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(options);
  h.sync.start();
  await until(async () => (await h.sync.status()).baselineAt, 10_000, 'the baseline');
  return h;
}

/**
 * For a test file whose tests each start one baselined harness: closes it after every test.
 * Returns the function that starts it.
 */
export function closeAfterEach(): (options?: HarnessOptions) => Promise<Harness> {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  return async (options = {}) => (h = await startBaselined(options));
}
