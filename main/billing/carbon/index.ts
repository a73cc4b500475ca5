// The Carbon Billing 5 adapter: BillingSource over REST API v2. Each Data Provider request costs a
// small fixed number of Carbon calls (README.md lists them); the mapping lives in mapping.ts, the
// field map and its check against the live Carbon in fieldmap.ts and schema.ts.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FieldMapReport } from '../../../shared/admin.js';
import type { Charge, Contract, Service, Tariff, User } from '../../../shared/data-provider.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { DEFAULT_PHONE_OPTIONS, type PhoneOptions } from '../phones.js';
import { BillingDataError, BillingFieldError, BillingUnavailableError, type BillingSource, type CheckItem, type SubscriberSnapshot } from '../source.js';
import { CarbonAnswerError, CarbonClient, CarbonRefusedError, type CarbonRow } from './client.js';
import { effectiveMap, fixPatch, mappedModels, trustedMap, USERS_OF_ABONENT, SERVICES_OF_ABONENT, type EffectiveMap } from './fieldmap.js';
import {
  abonentContractFields, abonentSnapshotFields, abonentUserFields, accountOf, authUserId, blockCovers, byAbonent, chargeSource,
  chargeWindow, datedCharges, isFolder, localDate, loginsOf, nestedLogins, newest, operationFields, operationFilter, parseFlag, readCheckPass,
  readPath, readWebCabinetLogin, servicesOfRow, tarifFields, text, toCharges, toContract, toServices, toSnapshot, toTariffs, toUser,
  userFields, uslugaFields, USERS_USLUGA_FIELDS, windowParts, type DatedCharge, type MappingOptions, type ScanContract,
} from './mapping.js';
import type { CarbonSettings } from '../../../shared/carbon-settings.js';
import { say } from './messages.js';
import { fieldItems, schemaSource } from './probe.js';
import { readSchema, type LiveSchema } from './schema.js';

export interface CarbonBillingOptions {
  settings: CarbonSettings;
  phone?: PhoneOptions;
  /** The system_api `psw` (the `billing-password` secret); asked for only when that API is used. */
  systemApiPassword?: () => Promise<string | null>;
  log?: Logger;
  now?: () => Date;
  /** Told of every HTTP exchange with Carbon. */
  onCall?: () => void;
}

/** A subscriber the bulk scan skipped because its data cannot be mapped. */
export interface ScanProblem {
  subscriber: string;
  problem: string;
}

export interface ScanReport {
  startedAt: string;
  finishedAt: string | null;
  /** Abonents rows read (is_folder = 0; groups too in group mode). */
  subscribers: number;
  yielded: number;
  /** Subscribers without a cabinet login: not core users, so not yielded (not a problem). */
  withoutLogin: number;
  /** Skipped subscribers, at most MAX_PROBLEMS kept; `problemCount` counts them all. */
  problems: ScanProblem[];
  problemCount: number;
}

const MAX_PROBLEMS = 1000;
/** How long a typed login's resolution is reused (lockout checks of a repeated guess cost no call). */
const RESOLVE_TTL_MS = 30_000;
const RESOLVE_KEPT = 10_000;

interface Catalogue {
  tarifs: CarbonRow[];
  uslugi: CarbonRow[];
}

/** The logins of a row's group, and of the row itself, through the reverse relation Users → Abonents. */
const groupLogins = `parent__${USERS_OF_ABONENT}`;
const ownLogins = USERS_OF_ABONENT;
const groupsPath = `${groupLogins}__login`;
const ownLoginsPath = `${ownLogins}__login`;
const servicesPath = `${SERVICES_OF_ABONENT}__usluga_id`;

export class CarbonBilling implements BillingSource {
  readonly kind = 'carbon';
  /** The last (or running) bulk scan: what was skipped and why. */
  lastScan: ScanReport | null = null;

  private readonly client: CarbonClient;
  private readonly settings: CarbonSettings;
  private readonly phone: PhoneOptions;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly systemApiPassword: () => Promise<string | null>;
  private catalogue: { at: number; value: Promise<Catalogue> } | null = null;
  /** The field map in use: the configured one until the live schema was read, then the checked one. */
  private map: EffectiveMap;
  private mapChecked: Promise<EffectiveMap> | null = null;
  private schema: LiveSchema | null = null;
  private readonly resolved = new Map<string, { at: number; login: string | null }>();
  /** Field map sentences already logged: each is logged once, however often the map is checked. */
  private readonly logged = new Set<string>();

  constructor(options: CarbonBillingOptions) {
    this.settings = options.settings;
    this.phone = options.phone ?? DEFAULT_PHONE_OPTIONS;
    this.map = trustedMap(options.settings);
    this.log = options.log ?? silentLogger();
    this.now = options.now ?? (() => new Date());
    this.systemApiPassword = options.systemApiPassword ?? (async () => null);
    this.client = new CarbonClient({
      url: options.settings.url,
      timeoutMs: options.settings.timeoutMs,
      bulkTimeoutMs: options.settings.bulkTimeoutMs,
      onCall: options.onCall,
      concurrency: options.settings.concurrency,
    });
  }

  // ---- the field map, checked once against the live Carbon ----

  /**
   * The map checked against the live schema; read once (again after Carbon answered a field
   * error). An outage while reading it fails the request like any outage and is tried again next time.
   */
  checkFieldMap(): Promise<EffectiveMap> {
    this.mapChecked ??= readSchema(this.client, mappedModels(this.settings)).then(
      (schema) => this.useSchema(schema),
      (err: unknown) => {
        this.mapChecked = null;
        throw err;
      },
    );
    return this.mapChecked;
  }

  private useSchema(schema: LiveSchema): EffectiveMap {
    this.schema = schema;
    this.map = effectiveMap(this.settings, schema);
    const once = (sentence: string, write: () => void) => {
      if (this.logged.has(sentence)) return;
      this.logged.add(sentence);
      write();
    };
    for (const problem of this.map.problems) once(problem, () => this.log.error({ problem, schema: schema.source }, 'Carbon field map problem'));
    for (const warning of this.map.warnings) once(warning, () => this.log.warn({ warning }, 'Carbon field left out'));
    if (schema.source === 'none') once(schemaSource(schema), () => this.log.warn({ source: schemaSource(schema) }, 'the Carbon field map could not be checked'));
    return this.map;
  }

  private async mapping(): Promise<MappingOptions> {
    const map = await this.checkFieldMap();
    return { settings: map.settings, phone: this.phone, absent: map.absent, required: map.required, blocks: map.blocks };
  }

  /** A field error from Carbon means the map no longer fits: check it again on the next request. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof BillingFieldError) {
        this.log.error({ kind: err.kind, err: err.message }, 'Carbon does not know a field of the map; it is checked again');
        this.mapChecked = null;
      } else if (err instanceof BillingUnavailableError) {
        this.log.warn({ kind: err.kind, err: err.message }, 'Carbon call failed');
      }
      throw err;
    }
  }

  problems(): string[] {
    return [...this.map.problems];
  }

  /** The map against the live Carbon, read now: every field with its state, and the patch that fixes it. */
  async fieldMap(): Promise<FieldMapReport> {
    const schema = await readSchema(this.client, mappedModels(this.settings));
    const map = this.useSchema(schema);
    this.mapChecked = Promise.resolve(map);
    const { patch, changes } = fixPatch(this.settings, map.checked);
    return {
      source: schemaSource(schema),
      checked: schema.source !== 'none',
      fields: map.checked.map((c) => ({
        model: c.model, path: c.path, setting: c.setting === null ? null : `billing.carbon.${c.setting}`, need: c.need, purpose: c.purpose, status: c.status,
        replacement: c.replacement ?? null, because: c.because ?? null,
      })),
      problems: map.problems,
      warnings: map.warnings,
      fix: changes.length > 0 ? { patch: { billing: { carbon: patch } }, changes } : null,
    };
  }

  // ---- password check: 1–2 calls ----

  async resolveLogin(typed: string): Promise<string | null> {
    const by = this.settings.loginBy;
    // A Carbon login is matched exactly, so the typed login is its own identity.
    if (!by.includes('contract_number')) return typed;
    const now = Date.now();
    const cached = this.resolved.get(typed);
    if (cached && now - cached.at < RESOLVE_TTL_MS) return cached.login;
    let login: string | null = null;
    for (const kind of by) {
      const arg = kind === 'login' ? { login: typed } : { abonent__contract_number: typed, abonent__is_folder: 0 };
      const rows = await this.guard(() => this.client.rows({ model: 'Users', calls: [{ method: 'objects.filter', arg }], fields: ['login'] }));
      const first = loginsOf(rows)[0];
      if (first) {
        login = text(first, 'login');
        break;
      }
    }
    if (this.resolved.size >= RESOLVE_KEPT) this.resolved.clear();
    this.resolved.set(typed, { at: now, login });
    return login;
  }

  async authenticate(login: string, password: string): Promise<string | null> {
    if (this.settings.passwordCheck === 'web_cabinet.login') return this.webCabinetLogin(login, password);
    let valid: unknown;
    try {
      valid = await this.guard(() => this.client.rest({
        model: 'Users',
        calls: [{ method: 'objects.get', arg: { login } }, { method: 'check_pass', arg: { passwd: password } }],
      }));
    } catch (err) {
      // Only "no such login" is a wrong pair; an outage or a refusal must stay an outage (503).
      if (err instanceof CarbonAnswerError && err.answer === 'not-found') return null;
      if (err instanceof CarbonAnswerError && err.answer === 'several') {
        this.log.warn({ model: 'Users' }, 'a login matches several Carbon Users rows; Carbon cannot check it, so it is refused');
        return null;
      }
      throw err;
    }
    if (!readCheckPass(valid)) return null;
    const groups = this.settings.accounts === 'group' && (await this.mapping()).settings.accounts === 'group';
    const fields = groups ? ['abonent_id', 'abonent__is_folder', 'abonent__parent_id', `abonent__${groupsPath}`] : ['abonent_id'];
    const user = await this.guard(() => this.client.row({ model: 'Users', calls: [{ method: 'objects.get', arg: { login } }], fields }));
    let userId = authUserId(user);
    // A member of a group with a login of its own signs in as the group.
    if (groups && user && userId !== null && parseFlag(readPath(user, 'abonent__is_folder')) !== true && nestedLogins(user, `abonent__${groupLogins}`).length > 0) {
      const parent = readPath(user, 'abonent__parent_id');
      if (typeof parent === 'number') userId = String(parent);
    }
    if (userId === null && user) this.log.warn({ user: user.pk }, 'a Carbon login with no subscriber signed in; refused');
    return userId;
  }

  private async webCabinetLogin(login: string, password: string): Promise<string | null> {
    const call = { method: 'web_cabinet.login', arg: { login, passwd: password } };
    if (this.settings.webCabinetVia === 'rest') {
      return readWebCabinetLogin(await this.guard(() => this.client.rest({ model: 'Users', calls: [call] })), 'rest');
    }
    // Public clients send no psw for context=web: it is sent only when the secret is set.
    const psw = await this.systemApiPassword();
    const answer = await this.guard(() => this.client.systemApi({ model: 'users', calls: [call], context: this.settings.systemApiContext, psw }));
    return readWebCabinetLogin(answer, 'system_api', psw !== null);
  }

  // ---- one subscriber: 2 calls each ----

  async getUser(userId: string): Promise<User | null> {
    const pk = parsePk(userId);
    if (pk === null) return null;
    const m = await this.mapping();
    requireFields(m, 'Users');
    if (m.settings.accounts === 'group') return this.getGroupUser(pk, m);
    const [abonent, users] = await this.guard(() => Promise.all([
      this.abonent(pk, abonentUserFields(m)),
      this.client.rows({ model: 'Users', calls: [{ method: 'objects.filter', arg: { abonent_id: pk } }], fields: userFields(m) }),
    ]));
    return abonent ? toUser(abonent, users, m) : null;
  }

  private async getGroupUser(pk: number, m: MappingOptions): Promise<User | null> {
    const [row, users] = await this.guard(() => Promise.all([
      this.client.row({ model: 'Abonents', calls: [{ method: 'objects.get', arg: { id: pk } }], fields: [...abonentUserFields(m), 'is_folder', 'parent_id', groupsPath] }),
      this.client.rows({ model: 'Users', calls: [{ method: 'objects.filter', arg: { abonent_id: pk } }], fields: userFields(m) }),
    ]));
    if (!row || !isGroupModeUser(row, loginsOf(users).map((u) => text(u, 'login')))) return null;
    return toUser(row, users, m);
  }

  async getContractsOfUser(userId: string): Promise<Contract[] | null> {
    const m = await this.mapping();
    if (m.settings.accounts !== 'group') {
      // A Carbon subscriber is one personal account: the user's only contract is the subscriber.
      const contract = await this.getContract(userId);
      return contract ? [contract] : null;
    }
    const pk = parsePk(userId);
    if (pk === null) return null;
    requireFields(m, 'Abonents');
    const fields = [...abonentContractFields(m), ...(m.absent?.has(`Abonents.${SERVICES_OF_ABONENT}`) ? [] : [servicesPath])];
    const [row, members] = await this.guard(() => Promise.all([
      this.client.row({ model: 'Abonents', calls: [{ method: 'objects.get', arg: { id: pk } }], fields: [...fields, 'is_folder', ownLoginsPath, groupsPath] }),
      this.client.rows({ model: 'Abonents', calls: [{ method: 'objects.filter', arg: { parent_id: pk, is_folder: 0 } }], fields }),
    ]));
    if (!row || !isGroupModeUser(row, nestedLogins(row, ownLogins))) return null;
    const today = localDate(this.now());
    const own = isFolder(row) ? [...members].sort((a, b) => a.pk - b.pk) : [row];
    return own.map((a) => toContract(a, servicesOfRow(a), m, today));
  }

  async getContract(extId: string): Promise<Contract | null> {
    const pk = parsePk(extId);
    if (pk === null) return null;
    const m = await this.mapping();
    requireFields(m, 'Abonents');
    const [abonent, services] = await this.guard(() => Promise.all([
      this.abonent(pk, abonentContractFields(m)),
      this.client.rows({ model: 'UsersUsluga', calls: [{ method: 'objects.filter', arg: { abonent_id: pk } }], fields: USERS_USLUGA_FIELDS }),
    ]));
    return abonent ? toContract(abonent, services, m, localDate(this.now())) : null;
  }

  async getCharges(userId: string, limit: number): Promise<Charge[] | null> {
    const pk = parsePk(userId);
    if (pk === null) return null;
    const m = await this.mapping();
    const source = chargeSource(m.settings, m.absent);
    requireFields(m, source.model);
    const window = chargeWindow(this.now(), m.settings.charges.months);
    const read = (arg: Record<string, unknown>, extra: string[] = []) =>
      this.client.rows({ model: source.model, calls: [{ method: 'objects.filter', arg: { ...arg, ...operationFilter(window, source) } }], fields: operationFields(m, extra) });
    if (m.settings.accounts === 'group') {
      const row = await this.guard(() => this.client.row({ model: 'Abonents', calls: [{ method: 'objects.get', arg: { id: pk } }], fields: ['contract_number', 'is_folder', ownLoginsPath, groupsPath] }));
      if (!row || !isGroupModeUser(row, nestedLogins(row, ownLogins))) return null;
      if (isFolder(row)) {
        const link = source.subscriber.replace(/_id$/, '');
        const ops = await this.guard(() => read({ [`${link}__parent_id`]: pk }, [`${link}__contract_number`]));
        return toCharges(ops, (op) => text(op, `${link}__contract_number`) || String(readPath(op, source.subscriber)), String(pk), m.settings, limit, source);
      }
      const ops = await this.guard(() => read({ [source.subscriber]: pk }));
      return toCharges(ops, accountOf(row), String(pk), m.settings, limit, source);
    }
    const [abonent, ops] = await this.guard(() => Promise.all([this.abonent(pk, ['contract_number']), read({ [source.subscriber]: pk })]));
    if (!abonent) return null;
    return toCharges(ops, accountOf(abonent), String(pk), m.settings, limit, source);
  }

  // ---- catalogues: 0 calls (services) and 2 calls per TTL (tariffs) ----

  async listServices(): Promise<Service[]> {
    return toServices(this.settings);
  }

  async listTariffs(): Promise<Tariff[]> {
    const m = await this.mapping();
    const { tarifs, uslugi } = await this.readCatalogue(m);
    return toTariffs(tarifs, uslugi, m.settings);
  }

  private readCatalogue(m: MappingOptions): Promise<Catalogue> {
    const ttl = this.settings.catalogueTtlSeconds * 1000;
    const now = this.now().getTime();
    // A clock that went backwards also expires the cache.
    if (this.catalogue && now >= this.catalogue.at && now - this.catalogue.at < ttl) return this.catalogue.value;
    const value = this.guard(() => Promise.all([
      this.client.rows({ model: 'Tarif', calls: [{ method: 'objects.filter', arg: {} }], fields: tarifFields(m) }),
      this.client.rows({ model: 'Usluga', calls: [{ method: 'objects.filter', arg: {} }], fields: uslugaFields(m) }),
    ])).then(([tarifs, uslugi]) => ({ tarifs, uslugi }));
    const entry = { at: now, value };
    this.catalogue = entry;
    // A failed read is not kept: the next request asks Carbon again.
    value.catch(() => {
      if (this.catalogue === entry) this.catalogue = null;
    });
    return value;
  }

  // ---- change detection: a fixed handful of bulk calls for the whole base ----

  async *snapshot(options: { charges: number }): AsyncIterable<SubscriberSnapshot> {
    const m = await this.mapping();
    // A field the answers need is missing: the scan fails (shown in status) rather than lose everyone.
    const lacking = [...(m.required ?? new Map()).values()][0];
    if (lacking !== undefined) throw new BillingFieldError(lacking);
    const s = m.settings;
    const groups = s.accounts === 'group';
    const now = this.now();
    const today = localDate(now);
    const report: ScanReport = { startedAt: now.toISOString(), finishedAt: null, subscribers: 0, yielded: 0, withoutLogin: 0, problems: [], problemCount: 0 };
    this.lastScan = report;
    const broken = new Map<number, string>();
    // One table at a time: the other concurrency slots stay free for core's requests.
    const all = { method: 'objects.filter', arg: {} };
    const rows = await this.guard(() => this.client.rows({ model: 'Abonents', calls: [{ method: 'objects.filter', arg: groups ? {} : { is_folder: 0 } }], fields: abonentSnapshotFields(m), bulk: true }));
    const users = byAbonent(await this.guard(() => this.client.rows({ model: 'Users', calls: [all], fields: userFields(m), bulk: true })));
    const services = byAbonent(await this.guard(() => this.client.rows({ model: 'UsersUsluga', calls: [all], fields: USERS_USLUGA_FIELDS, bulk: true })));
    const blocked = m.blocks ? await this.scanBlocks(m, today, broken) : new Set<number>();
    const subscribers = groups ? rows.filter((r) => !isFolder(r)) : rows;
    const charges = options.charges > 0 ? await this.scanCharges(subscribers, m, now, options.charges, broken) : new Map<number, DatedCharge[]>();
    // Group mode: folders with a login of their own are users; their members are their contracts.
    const groupOf = new Map<number, CarbonRow>();
    const members = new Map<number, CarbonRow[]>();
    if (groups) {
      const folders = new Map(rows.filter((r) => isFolder(r) && (users.get(r.pk) ?? []).some((u) => text(u, 'login') !== '')).map((r) => [r.pk, r]));
      for (const r of subscribers) {
        const parent = folders.get(Number(readPath(r, 'parent_id')));
        if (!parent) continue;
        groupOf.set(r.pk, parent);
        members.set(parent.pk, [...(members.get(parent.pk) ?? []), r]);
      }
    }
    report.subscribers = rows.length;
    const skip = (pk: number, problem: string) => {
      // One malformed subscriber must not stop change detection for everybody else.
      report.problemCount++;
      if (report.problems.length < MAX_PROBLEMS) report.problems.push({ subscriber: String(pk), problem });
      this.log.warn({ subscriber: pk, problem }, 'Carbon subscriber skipped by the scan');
    };
    const contract = (a: CarbonRow): ScanContract => ({ abonent: a, services: services.get(a.pk) ?? [], blocked: blocked.has(a.pk) });
    try {
      for (const row of rows) {
        if (groupOf.has(row.pk) || (isFolder(row) && !members.has(row.pk) && groups)) continue;
        const own = members.get(row.pk) ?? [row];
        const problem = own.map((a) => broken.get(a.pk)).find((p) => p !== undefined);
        if (problem !== undefined) {
          skip(row.pk, problem);
          continue;
        }
        let snap: SubscriberSnapshot | null;
        try {
          const dated = members.has(row.pk) ? newest(own.flatMap((a) => charges.get(a.pk) ?? []), options.charges) : charges.get(row.pk) ?? [];
          snap = toSnapshot(row, users.get(row.pk) ?? [], own.sort((a, b) => a.pk - b.pk).map(contract), dated, m, today);
        } catch (err) {
          if (!(err instanceof BillingDataError)) throw err;
          skip(row.pk, err.message);
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

  /** Subscribers a block record covers today: one bulk read of the block model. */
  private async scanBlocks(m: MappingOptions, today: string, broken: Map<number, string>): Promise<Set<number>> {
    const b = m.settings.blocks;
    const link = b.subscriber.endsWith('_id') ? b.subscriber : `${b.subscriber}_id`;
    const rows = await this.guard(() => this.client.rows({ model: b.model, calls: [{ method: 'objects.filter', arg: {} }], fields: [link, b.start, b.end].filter((f) => f !== ''), bulk: true }));
    const out = new Set<number>();
    for (const r of rows) {
      const pk = Number(readPath(r, link));
      try {
        if (blockCovers(r, m.settings, today)) out.add(pk);
      } catch (err) {
        if (!(err instanceof BillingDataError)) throw err;
        broken.set(pk, err.message);
      }
    }
    return out;
  }

  /**
   * The newest `limit` charges of every subscriber, reading the window in parts of
   * `charges.scanChunkMonths` months (one body for 13 months of a large base would come near
   * V8's string limit) and keeping only the newest ones as each part arrives.
   */
  private async scanCharges(abonents: CarbonRow[], m: MappingOptions, now: Date, limit: number, broken: Map<number, string>): Promise<Map<number, DatedCharge[]>> {
    const s = m.settings;
    const source = chargeSource(s, m.absent);
    const accounts = new Map(abonents.map((a) => [a.pk, accountOf(a)]));
    const kept = new Map<number, DatedCharge[]>();
    for (const part of windowParts(now, s.charges.months, s.charges.scanChunkMonths)) {
      const rows = await this.guard(() => this.client.rows({
        model: source.model,
        calls: [{ method: 'objects.filter', arg: operationFilter(part, source) }],
        fields: operationFields(m),
        bulk: true,
      }));
      for (const [pk, ops] of byAbonent(rows, source.subscriber)) {
        const account = accounts.get(pk);
        if (account === undefined || broken.has(pk)) continue;
        try {
          kept.set(pk, newest([...(kept.get(pk) ?? []), ...datedCharges(ops, account, String(pk), s, source)], limit));
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
    const answered = Date.now() - started;
    let schema: LiveSchema | null = null;
    let schemaError: string | null = null;
    try {
      schema = await readSchema(this.client, mappedModels(this.settings));
      const map = this.useSchema(schema);
      this.mapChecked = Promise.resolve(map);
    } catch (err) {
      schemaError = (err as Error).message;
    }
    items.push({
      name: 'Carbon REST API',
      ok: true,
      detail: `${url}/rest_api/v2/ answers (${answered} ms); field names read from ${schema ? schemaSource(schema) : `nowhere: ${schemaError}`}`,
    });
    items.push({ name: 'Carbon API allow-list', ok: true, detail: 'this host\'s address is allowed' });
    if (schema) items.push(...fieldItems(this.map.checked));
    else items.push({ name: 'Carbon field map', ok: false, detail: say.mapUnchecked(schemaError ?? '') });
    for (const problem of this.map.problems.filter((p) => p.startsWith('billing.carbon.accounts'))) items.push({ name: 'Carbon groups', ok: false, detail: problem });

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

  /** One subscriber by id (folders excluded); null when Carbon says it does not exist. */
  private abonent(pk: number, fields: string[]): Promise<CarbonRow | null> {
    return this.client.row({ model: 'Abonents', calls: [{ method: 'objects.get', arg: { id: pk, is_folder: 0 } }], fields });
  }
}

/** Group mode: a folder is a user when it has a login of its own; a subscriber is one unless its group is. */
function isGroupModeUser(row: CarbonRow, ownLogins: string[]): boolean {
  if (isFolder(row)) return ownLogins.length > 0;
  return nestedLogins(row, groupLogins).length === 0;
}

/** A request that needs a field this Carbon lacks answers 502 naming it, without asking Carbon. */
function requireFields(m: MappingOptions, ...models: string[]): void {
  for (const [key, sentence] of m.required ?? []) {
    if (models.some((model) => key.startsWith(`${model}.`))) throw new BillingDataError(say.requiredFieldMissing(sentence));
  }
}

/** Carbon pks are positive integers; anything else cannot name a subscriber (→ 404 without a call). */
export function parsePk(id: string): number | null {
  if (!/^\d{1,15}$/.test(id)) return null;
  const pk = Number(id);
  return pk > 0 ? pk : null;
}
