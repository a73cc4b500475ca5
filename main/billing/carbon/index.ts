// The Carbon Billing 5 adapter: BillingSource over REST API v2. Each Data Provider request costs a
// small fixed number of Carbon calls (README.md lists them); the mapping lives in mapping.ts.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Charge, Contract, Service, Tariff, User } from '../../../shared/data-provider.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { DEFAULT_PHONE_OPTIONS, type PhoneOptions } from '../phones.js';
import { BillingDataError, BillingUnavailableError, type BillingSource, type CheckItem, type SubscriberSnapshot } from '../source.js';
import { CarbonAnswerError, CarbonClient, CarbonRefusedError, type CarbonRow } from './client.js';
import {
  abonentContractFields, abonentSnapshotFields, abonentUserFields, accountOf, authUserId, byAbonent, chargeWindow,
  datedCharges, localDate, newest, operationFields, operationFilter, readCheckPass, readWebCabinetLogin, tarifFields,
  toCharges, toContract, toServices, toSnapshot, toTariffs, toUser, userFields, uslugaFields, USERS_USLUGA_FIELDS,
  windowParts, type DatedCharge, type MappingOptions,
} from './mapping.js';
import type { CarbonSettings } from '../../../shared/carbon-settings.js';
import { probeFields } from './probe.js';

export interface CarbonBillingOptions {
  settings: CarbonSettings;
  phone?: PhoneOptions;
  /** The system_api `psw` (the `billing-password` secret); asked for only when that API is used. */
  systemApiPassword?: () => Promise<string | null>;
  log?: Logger;
  now?: () => Date;
}

/** A subscriber the bulk scan skipped because its data cannot be mapped. */
export interface ScanProblem {
  subscriber: string;
  problem: string;
}

export interface ScanReport {
  startedAt: string;
  finishedAt: string | null;
  /** Abonents rows read (is_folder = 0). */
  subscribers: number;
  yielded: number;
  /** Subscribers without a cabinet login: not core users, so not yielded (not a problem). */
  withoutLogin: number;
  /** Skipped subscribers, at most MAX_PROBLEMS kept; `problemCount` counts them all. */
  problems: ScanProblem[];
  problemCount: number;
}

const MAX_PROBLEMS = 1000;

interface Catalogue {
  tarifs: CarbonRow[];
  uslugi: CarbonRow[];
}

export class CarbonBilling implements BillingSource {
  readonly kind = 'carbon';
  /** The last (or running) bulk scan: what was skipped and why. */
  lastScan: ScanReport | null = null;

  private readonly client: CarbonClient;
  private readonly settings: CarbonSettings;
  private readonly mapping: MappingOptions;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly systemApiPassword: () => Promise<string | null>;
  private catalogue: { at: number; value: Promise<Catalogue> } | null = null;

  constructor(options: CarbonBillingOptions) {
    this.settings = options.settings;
    this.mapping = { settings: options.settings, phone: options.phone ?? DEFAULT_PHONE_OPTIONS };
    this.log = options.log ?? silentLogger();
    this.now = options.now ?? (() => new Date());
    this.systemApiPassword = options.systemApiPassword ?? (async () => null);
    this.client = new CarbonClient({
      url: options.settings.url,
      timeoutMs: options.settings.timeoutMs,
      bulkTimeoutMs: options.settings.bulkTimeoutMs,
      concurrency: options.settings.concurrency,
    });
  }

  // ---- password check: 1–2 calls ----

  async authenticate(login: string, password: string): Promise<string | null> {
    if (this.settings.passwordCheck === 'web_cabinet.login') return this.webCabinetLogin(login, password);
    let valid: unknown;
    try {
      valid = await this.client.rest({
        model: 'Users',
        calls: [{ method: 'objects.get', arg: { login } }, { method: 'check_pass', arg: { passwd: password } }],
      });
    } catch (err) {
      // Only "no such login" is a wrong pair; an outage or a refusal must stay an outage (503).
      if (err instanceof CarbonAnswerError && err.kind === 'not-found') return null;
      if (err instanceof CarbonAnswerError && err.kind === 'several') {
        this.log.warn({ model: 'Users' }, 'a login matches several Carbon Users rows; Carbon cannot check it, so it is refused');
        return null;
      }
      throw err;
    }
    if (!readCheckPass(valid)) return null;
    const user = await this.client.row({ model: 'Users', calls: [{ method: 'objects.get', arg: { login } }], fields: ['abonent_id'] });
    const userId = authUserId(user);
    if (userId === null && user) this.log.warn({ user: user.pk }, 'a Carbon login with no subscriber signed in; refused');
    return userId;
  }

  private async webCabinetLogin(login: string, password: string): Promise<string | null> {
    const call = { method: 'web_cabinet.login', arg: { login, passwd: password } };
    if (this.settings.webCabinetVia === 'rest') {
      return readWebCabinetLogin(await this.client.rest({ model: 'Users', calls: [call] }), 'rest');
    }
    const psw = await this.systemApiPassword();
    if (psw === null) {
      throw new BillingUnavailableError('the password check uses Carbon\'s system_api, but its password is not set: set BILLING_BRIDGE_BILLING_PASSWORD (the secret "billing-password")');
    }
    const answer = await this.client.systemApi({ model: 'Users', calls: [call], context: this.settings.systemApiContext, psw });
    return readWebCabinetLogin(answer, 'system_api');
  }

  // ---- one subscriber: 2 calls each ----

  async getUser(userId: string): Promise<User | null> {
    const pk = parsePk(userId);
    if (pk === null) return null;
    const [abonent, users] = await Promise.all([
      this.abonent(pk, abonentUserFields(this.settings)),
      this.client.rows({ model: 'Users', calls: [{ method: 'objects.filter', arg: { abonent_id: pk } }], fields: userFields(this.settings) }),
    ]);
    return abonent ? toUser(abonent, users, this.mapping) : null;
  }

  async getContractsOfUser(userId: string): Promise<Contract[] | null> {
    // A Carbon subscriber is one personal account: the user's only contract is the subscriber.
    const contract = await this.getContract(userId);
    return contract ? [contract] : null;
  }

  async getContract(extId: string): Promise<Contract | null> {
    const pk = parsePk(extId);
    if (pk === null) return null;
    const [abonent, services] = await Promise.all([
      this.abonent(pk, abonentContractFields(this.settings)),
      this.client.rows({ model: 'UsersUsluga', calls: [{ method: 'objects.filter', arg: { abonent_id: pk } }], fields: USERS_USLUGA_FIELDS }),
    ]);
    return abonent ? toContract(abonent, services, this.mapping, localDate(this.now())) : null;
  }

  async getCharges(userId: string, limit: number): Promise<Charge[] | null> {
    const pk = parsePk(userId);
    if (pk === null) return null;
    const window = chargeWindow(this.now(), this.settings.charges.months);
    const [abonent, ops] = await Promise.all([
      this.abonent(pk, ['contract_number']),
      this.client.rows({
        model: 'FinanceOperations',
        calls: [{ method: 'objects.filter', arg: { abonent_id: pk, ...operationFilter(window) } }],
        fields: operationFields(this.settings),
      }),
    ]);
    if (!abonent) return null;
    return toCharges(ops, accountOf(abonent), String(pk), this.settings, limit);
  }

  // ---- catalogues: 0 calls (services) and 2 calls per TTL (tariffs) ----

  async listServices(): Promise<Service[]> {
    return toServices(this.settings);
  }

  async listTariffs(): Promise<Tariff[]> {
    const { tarifs, uslugi } = await this.readCatalogue();
    return toTariffs(tarifs, uslugi, this.settings);
  }

  private readCatalogue(): Promise<Catalogue> {
    const ttl = this.settings.catalogueTtlSeconds * 1000;
    const now = this.now().getTime();
    // A clock that went backwards also expires the cache.
    if (this.catalogue && now >= this.catalogue.at && now - this.catalogue.at < ttl) return this.catalogue.value;
    const value = Promise.all([
      this.client.rows({ model: 'Tarif', calls: [{ method: 'objects.filter', arg: {} }], fields: tarifFields(this.settings) }),
      this.client.rows({ model: 'Usluga', calls: [{ method: 'objects.filter', arg: {} }], fields: uslugaFields(this.settings) }),
    ]).then(([tarifs, uslugi]) => ({ tarifs, uslugi }));
    const entry = { at: now, value };
    this.catalogue = entry;
    // A failed read is not kept: the next request asks Carbon again.
    value.catch(() => {
      if (this.catalogue === entry) this.catalogue = null;
    });
    return value;
  }

  // ---- change detection: 4 bulk calls for the whole base ----

  async *snapshot(options: { charges: number }): AsyncIterable<SubscriberSnapshot> {
    const s = this.settings;
    const now = this.now();
    const today = localDate(now);
    const report: ScanReport = { startedAt: now.toISOString(), finishedAt: null, subscribers: 0, yielded: 0, withoutLogin: 0, problems: [], problemCount: 0 };
    this.lastScan = report;
    const broken = new Map<number, string>();
    // One table at a time: the other concurrency slots stay free for core's requests.
    const all = { method: 'objects.filter', arg: {} };
    const abonents = await this.client.rows({ model: 'Abonents', calls: [{ method: 'objects.filter', arg: { is_folder: 0 } }], fields: abonentSnapshotFields(s), bulk: true });
    const users = byAbonent(await this.client.rows({ model: 'Users', calls: [all], fields: userFields(s), bulk: true }));
    const services = byAbonent(await this.client.rows({ model: 'UsersUsluga', calls: [all], fields: USERS_USLUGA_FIELDS, bulk: true }));
    const charges = options.charges > 0 ? await this.scanCharges(abonents, now, options.charges, broken) : new Map<number, DatedCharge[]>();
    report.subscribers = abonents.length;
    const skip = (pk: number, problem: string) => {
      // One malformed subscriber must not stop change detection for everybody else.
      report.problemCount++;
      if (report.problems.length < MAX_PROBLEMS) report.problems.push({ subscriber: String(pk), problem });
      this.log.warn({ subscriber: pk, problem }, 'Carbon subscriber skipped by the scan');
    };
    try {
      for (const abonent of abonents) {
        const problem = broken.get(abonent.pk);
        if (problem !== undefined) {
          skip(abonent.pk, problem);
          continue;
        }
        let snap: SubscriberSnapshot | null;
        try {
          snap = toSnapshot(abonent, users.get(abonent.pk) ?? [], services.get(abonent.pk) ?? [], charges.get(abonent.pk) ?? [], this.mapping, today);
        } catch (err) {
          if (!(err instanceof BillingDataError)) throw err;
          skip(abonent.pk, err.message);
          continue;
        }
        if (!snap) {
          report.withoutLogin++;
          continue;
        }
        report.yielded++;
        yield snap;
        // Let the API keep answering while a large scan is assembled.
        if (report.yielded % 1000 === 0) await yieldToLoop();
      }
    } finally {
      report.finishedAt = new Date().toISOString();
    }
  }

  /**
   * The newest `limit` charges of every subscriber, reading the window in parts of
   * `charges.scanChunkMonths` months (one body for 13 months of a large base would come near
   * V8's string limit) and keeping only the newest ones as each part arrives.
   */
  private async scanCharges(abonents: CarbonRow[], now: Date, limit: number, broken: Map<number, string>): Promise<Map<number, DatedCharge[]>> {
    const s = this.settings;
    const accounts = new Map(abonents.map((a) => [a.pk, accountOf(a)]));
    const kept = new Map<number, DatedCharge[]>();
    for (const part of windowParts(now, s.charges.months, s.charges.scanChunkMonths)) {
      const rows = await this.client.rows({
        model: 'FinanceOperations',
        calls: [{ method: 'objects.filter', arg: operationFilter(part) }],
        fields: operationFields(s),
        bulk: true,
      });
      for (const [pk, ops] of byAbonent(rows)) {
        const account = accounts.get(pk);
        if (account === undefined || broken.has(pk)) continue;
        try {
          kept.set(pk, newest([...(kept.get(pk) ?? []), ...datedCharges(ops, account, String(pk), s)], limit));
        } catch (err) {
          if (!(err instanceof BillingDataError)) throw err;
          broken.set(pk, err.message);
          kept.delete(pk);
        }
      }
      await yieldToLoop();
    }
    return kept;
  }

  /** Problems of the last scan (empty before the first one). */
  get lastScanProblems(): ScanProblem[] {
    return this.lastScan?.problems ?? [];
  }

  // ---- diagnostics ----

  async check(): Promise<CheckItem[]> {
    const items: CheckItem[] = [];
    const url = this.client.baseUrl;
    let subscribers: number;
    const started = Date.now();
    try {
      subscribers = Number(await this.client.rest({ model: 'Abonents', calls: [{ method: 'objects.filter', arg: { is_folder: 0 } }, { method: 'count' }] }));
    } catch (err) {
      if (err instanceof CarbonRefusedError) {
        items.push({ name: 'Carbon REST API', ok: true, detail: `${url} answers` });
        items.push({ name: 'Carbon API allow-list', ok: false, detail: err.message });
      } else {
        items.push({ name: 'Carbon REST API', ok: false, detail: (err as Error).message });
      }
      return items;
    }
    items.push({ name: 'Carbon REST API', ok: true, detail: `${url}/rest_api/v2/ answers (${Date.now() - started} ms)` });
    items.push({ name: 'Carbon API allow-list', ok: true, detail: 'this host\'s address is allowed' });

    items.push(...(await probeFields(this.client, this.settings)));

    items.push({
      name: 'Carbon subscribers',
      ok: Number.isSafeInteger(subscribers) && subscribers > 0,
      detail: Number.isSafeInteger(subscribers) ? `${subscribers} subscribers (Abonents with is_folder=0)` : 'Carbon did not answer a count',
    });

    try {
      const tariffs = await this.listTariffs();
      const ids = new Set(tariffs.map((t) => t.id));
      const plans = tariffs.filter((t) => !t.id.startsWith('usluga-')).length;
      const unknown = Object.keys(this.settings.serviceMap).filter((key) => !ids.has(key));
      items.push({
        name: 'Carbon tariffs',
        ok: plans > 0 && unknown.length === 0,
        detail: `${plans} tariffs and ${tariffs.length - plans} extra services, prices read` +
          (plans === 0 ? '; Carbon has no tariffs' : '') +
          (unknown.length > 0 ? `; serviceMap names ${unknown.join(', ')}, which Carbon does not have` : ''),
      });
    } catch (err) {
      items.push({ name: 'Carbon tariffs', ok: false, detail: (err as Error).message });
    }

    items.push(await this.checkPasswordMethod());
    return items;
  }

  /** A login nobody has must come back as "wrong pair", not as an error: proves the method works. */
  private async checkPasswordMethod(): Promise<CheckItem> {
    const name = 'Carbon password check';
    const method = this.settings.passwordCheck === 'check_pass' ? 'Users check_pass (REST v2)' : `web_cabinet.login via ${this.settings.webCabinetVia}`;
    try {
      const result = await this.authenticate(`billing-bridge-check-${Date.now()}`, 'not-a-password');
      if (result !== null) return { name, ok: false, detail: `${method} accepted a login that should not exist` };
      return { name, ok: true, detail: `${method} answers` };
    } catch (err) {
      return { name, ok: false, detail: `${method}: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** One subscriber by pk (folders excluded); null when Carbon says it does not exist. */
  private abonent(pk: number, fields: string[]): Promise<CarbonRow | null> {
    return this.client.row({ model: 'Abonents', calls: [{ method: 'objects.get', arg: { pk, is_folder: 0 } }], fields });
  }
}

/** Carbon pks are positive integers; anything else cannot name a subscriber (→ 404 without a call). */
export function parsePk(id: string): number | null {
  if (!/^\d{1,15}$/.test(id)) return null;
  const pk = Number(id);
  return pk > 0 ? pk : null;
}
