// Carbon rows → Data Provider objects: every rule of the mapping table (spec §4, README.md here)
// as pure functions, together with the `fields` each read asks Carbon for. No I/O, no clock:
// "today" and the settings come in as arguments.
import { FORCED_BLOCK_SETTING, type Charge, type Contract, type ContractState, type Service, type Tariff, type User } from '../../../shared/data-provider.js';
import { rublesToKopecks } from '../money.js';
import { phoneFieldUnparseable } from '../phone-problems.js';
import { splitPhones, type PhoneOptions } from '../phones.js';
import { BillingDataError, BillingUnavailableError, UNPARSEABLE_PHONE, type SubscriberSnapshot } from '../source.js';
import type { CarbonRow } from './client.js';
import { placeholders, reverseName } from './fieldmap.js';
import { say } from './messages.js';
import type { CarbonSettings } from '../../../shared/carbon-settings.js';

export interface MappingOptions {
  settings: CarbonSettings;
  phone: PhoneOptions;
  /** Fixed names this Carbon lacks ("Abonents.sms"): never asked for. */
  absent?: ReadonlySet<string>;
  /** Required fields this Carbon lacks ("Abonents.account__balance" → the sentence that says so). */
  required?: ReadonlyMap<string, string>;
  /** Block records are read (the live Carbon has the model). */
  blocks?: boolean;
}

type FlagRule = CarbonSettings['disabled'];

// ---- the fields each read asks for ----

const compact = (list: string[]): string[] => [...new Set(list.filter((f) => f !== ''))];

/** The names a read of `model` asks for, without those this Carbon lacks. */
function present(m: MappingOptions, model: string, list: string[]): string[] {
  const absent = m.absent;
  return compact(absent && absent.size > 0 ? list.filter((f) => !absent.has(`${model}.${f}`)) : list);
}

/** The parts of the address templates in use, as field paths. */
function addressPaths(s: CarbonSettings): string[] {
  const used = new Set([...(s.fields.address === '' ? placeholders(s.address.format) : []), ...(s.fields.houseNumber === '' ? placeholders(s.address.buildingNum) : [])]);
  return Object.entries(s.address.parts).filter(([part]) => used.has(part)).map(([, path]) => path);
}

/** The reverse relation that lists a subscriber's block records, with the fields read of each. */
export function blockFields(s: CarbonSettings): string[] {
  const rev = reverseName(s.blocks.subscriber, s.blocks.model);
  return [s.blocks.start, s.blocks.end].filter((f) => f !== '').map((f) => `${rev}__${f}`).concat(s.blocks.start === '' && s.blocks.end === '' ? [`${rev}__id`] : []);
}

/** Abonents fields behind a user. */
export function abonentUserFields(m: MappingOptions): string[] {
  const s = m.settings;
  return present(m, 'Abonents', ['name', 'sms', s.disabled.field, s.deleted.field]);
}

/** Abonents fields behind a contract. */
export function abonentContractFields(m: MappingOptions): string[] {
  const s = m.settings;
  const paying = m.absent?.has('Abonents.parent') || m.required?.has(`Abonents.${s.fields.balance}`) ? [] : [`parent__${s.fields.balance}`];
  return present(m, 'Abonents', [
    'contract_number', 'tarif_id', 'activate_date', 'own_disabled_start', 'own_disabled_end',
    ...(m.required?.has(`Abonents.${s.fields.balance}`) ? [] : [s.fields.balance]), ...paying,
    s.fields.address, s.fields.houseNumber, s.fields.buildingCode, s.fields.flat, ...addressPaths(s),
    s.disabled.field, s.deleted.field, s.adminBlock.field,
    ...(m.blocks ? blockFields(s) : []),
  ]);
}

/** Abonents fields of the bulk scan: user and contract together (block records are read on their own). */
export function abonentSnapshotFields(m: MappingOptions): string[] {
  const group = m.settings.accounts === 'group' ? ['is_folder', 'parent_id'] : [];
  return compact([...abonentUserFields(m), ...abonentContractFields({ ...m, blocks: false }), ...present(m, 'Abonents', group)]);
}

export function userFields(m: MappingOptions): string[] {
  return present(m, 'Users', ['login', 'abonent_id', 'sms', m.settings.fields.password]);
}

export const USERS_USLUGA_FIELDS = ['abonent_id', 'usluga_id'];

/** Where charges come from, and the names of their parts on that model. */
export interface ChargeSource {
  model: 'FinanceOperations' | 'ArchAccountStack';
  /** The link to the subscriber, as a lookup and as the output column. */
  subscriber: string;
  date: string;
  amount: string;
  /** Reversed operations (FinanceOperations.storno); null where the source has none. */
  reversed: string | null;
  description: string;
  type: string | null;
}

export function chargeSource(s: CarbonSettings, absent?: ReadonlySet<string>): ChargeSource {
  const type = s.charges.rule === 'type' ? s.charges.typeField : null;
  if (s.charges.source === 'ArchAccountStack') {
    const a = s.charges.archAccountStack;
    return { model: 'ArchAccountStack', subscriber: a.subscriber.endsWith('_id') ? a.subscriber : `${a.subscriber}_id`, date: a.date, amount: a.amount, reversed: null, description: a.description, type };
  }
  const storno = absent?.has('FinanceOperations.storno') ? null : 'storno';
  return { model: 'FinanceOperations', subscriber: 'abonent_id', date: 'op_date', amount: 'op_summa', reversed: storno, description: s.fields.chargeDescription, type };
}

export function operationFields(m: MappingOptions, extra: string[] = []): string[] {
  const c = chargeSource(m.settings, m.absent);
  return compact([c.subscriber, c.date, c.amount, c.reversed ?? '', c.description, c.type ?? '', ...extra]);
}

export function tarifFields(m: MappingOptions): string[] {
  return present(m, 'Tarif', ['name', m.settings.fields.tariffPrice]);
}

export function uslugaFields(m: MappingOptions): string[] {
  return present(m, 'Usluga', ['name', 'comments', m.settings.fields.servicePrice]);
}

/** The lookups of a charge read: not reversed, dated inside the window. */
export function operationFilter(window: ChargeWindow, c: ChargeSource): Record<string, unknown> {
  return { ...(c.reversed && { [c.reversed]: 0 }), [`${c.date}__range`]: [window.from, window.to] };
}

// ---- reading values ----

/**
 * A field of a row by its `fields` path: `name` is a plain field, `home__name` the `name` of the
 * nested `home` object (Carbon nests fk paths, it does not output a flat "home__name" key).
 * undefined when the row lacks it, null when a relation on the way is empty.
 */
export function readPath(row: CarbonRow, path: string): unknown {
  const parts = path.split('__');
  let fields: Record<string, unknown> = row.fields;
  for (let i = 0; i < parts.length; i++) {
    const value = fields[parts[i]!];
    if (i === parts.length - 1) return value;
    if (value === null || value === undefined) return value;
    const nested = (value as { fields?: unknown }).fields;
    if (nested === null || typeof nested !== 'object') return undefined;
    fields = nested as Record<string, unknown>;
  }
  return undefined;
}

/** Text of a field; numbers as written, empty for null or missing. */
export function text(row: CarbonRow, path: string): string {
  const value = readPath(row, path);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

/** 1/"1"/true → true; 0/"0"/false/"" → false; null or missing → null (unknown); else 'invalid'. */
export function parseFlag(value: unknown): boolean | null | 'invalid' {
  if (value === null || value === undefined) return null;
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === '1' || v === 'true' || v === 't' || v === 'y' || v === 'yes') return true;
    if (v === '0' || v === 'false' || v === 'f' || v === 'n' || v === 'no' || v === '') return false;
  }
  return 'invalid';
}

function ruleHolds(row: CarbonRow, rule: FlagRule, what: string): boolean {
  if (rule.field === '') return false;
  const raw = readPath(row, rule.field);
  const flag = parseFlag(raw);
  if (flag === 'invalid') throw new BillingDataError(`Carbon subscriber ${row.pk}: ${rule.field} is ${JSON.stringify(raw)}, not a yes/no value (setting billing.carbon.${what})`);
  return flag === rule.is;
}

export function isDisabled(row: CarbonRow, s: CarbonSettings): boolean {
  return ruleHolds(row, s.disabled, 'disabled');
}

export function isDeleted(row: CarbonRow, s: CarbonSettings): boolean {
  return ruleHolds(row, s.deleted, 'deleted');
}

export function isAdminBlocked(row: CarbonRow, s: CarbonSettings): boolean {
  return ruleHolds(row, s.adminBlock, 'adminBlock');
}

/** Rubles → kopecks, or a BillingDataError naming the row (`label`) and the field. */
export function money(row: CarbonRow, path: string, label = `subscriber ${row.pk}`): number {
  const raw = readPath(row, path);
  const kopecks = rublesToKopecks(raw);
  if (kopecks === null) throw new BillingDataError(`Carbon ${label}: ${path} is ${JSON.stringify(raw ?? null)}, not an amount of rubles`);
  return kopecks;
}

/** A date field's `YYYY-MM-DD` (a datetime is cut to its date); null when empty. */
export function dateOf(row: CarbonRow, path: string, label = `subscriber ${row.pk}`): string | null {
  const raw = readPath(row, path);
  if (raw === null || raw === undefined || raw === '') return null;
  const match = typeof raw === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(raw.trim()) : null;
  if (!match) throw new BillingDataError(`Carbon ${label}: ${path} is ${JSON.stringify(raw)}, not a date`);
  return match[1]!;
}

// ---- users ----

/** Users rows of one subscriber, lowest pk first, those with a login only. */
export function loginsOf(users: CarbonRow[]): CarbonRow[] {
  return users.filter((u) => text(u, 'login') !== '').sort((a, b) => a.pk - b.pk);
}

/** The phone fields of a subscriber as typed: its own `sms` and each login's. */
function phoneFields(abonent: CarbonRow, users: CarbonRow[]): string[] {
  return [text(abonent, 'sms'), ...loginsOf(users).map((u) => text(u, 'sms'))];
}

/**
 * The user of a subscriber, or null when the subscriber has no cabinet login (such a subscriber
 * cannot sign in, so core never knows it as a user).
 */
export function toUser(abonent: CarbonRow, users: CarbonRow[], m: MappingOptions): User | null {
  const s = m.settings;
  const first = loginsOf(users)[0];
  if (!first) return null;
  const phones: string[] = [];
  for (const field of phoneFields(abonent, users)) {
    for (const number of splitPhones(field, m.phone).numbers) if (!phones.includes(number)) phones.push(number);
  }
  return {
    ext_user_id: String(abonent.pk),
    login: text(first, 'login'),
    password: text(first, s.fields.password),
    is_blocked: isDisabled(abonent, s) || isDeleted(abonent, s),
    full_name: text(abonent, 'name'),
    phones: phones.map((number) => ({ number, confirmed: s.phonesConfirmed })),
  };
}

// ---- contracts ----

/** deleted → 4; disabled or voluntary block covering today → 3; never activated → 1; else 2. */
export function contractState(abonent: CarbonRow, s: CarbonSettings, today: string): ContractState {
  if (isDeleted(abonent, s)) return 4;
  if (isDisabled(abonent, s)) return 3;
  const start = dateOf(abonent, 'own_disabled_start');
  const end = dateOf(abonent, 'own_disabled_end');
  // An empty end is an open-ended voluntary block.
  if (start !== null && start <= today && (end === null || today <= end)) return 3;
  if (dateOf(abonent, 'activate_date') === null) return 1;
  return 2;
}

/** `{part}` → the part's text; `[...]` is left out when a part inside it is empty. */
export function expandTemplate(template: string, value: (part: string) => string): string {
  const fill = (t: string) => t.replace(/\{([^}]*)\}/g, (_, part: string) => value(part));
  return fill(template.replace(/\[([^\]]*)\]/g, (_, inner: string) => (placeholders(inner).some((p) => value(p) === '') ? '' : inner)));
}

/** An expanded template with the separators empty parts left dangling dropped. */
export function fillTemplate(template: string, value: (part: string) => string): string {
  return expandTemplate(template, value)
    .split(',')
    .map((piece) => piece.trim())
    // A piece that is only a label ("д.") lost its number.
    .filter((piece) => piece !== '' && !/^[\p{L}]{1,4}\.$/u.test(piece))
    .join(', ');
}

function partText(abonent: CarbonRow, s: CarbonSettings): (part: string) => string {
  return (part) => {
    const path = s.address.parts[part];
    return path ? text(abonent, path) : '';
  };
}

/** The address text: one field when `fields.address` names it, else assembled from the house's parts. */
export function addressOf(abonent: CarbonRow, s: CarbonSettings): string {
  if (s.fields.address !== '') return text(abonent, s.fields.address);
  return fillTemplate(s.address.format, partText(abonent, s));
}

/** The house number: one field when `fields.houseNumber` names it, else `address.buildingNum` ("104А"). */
export function buildingNumOf(abonent: CarbonRow, s: CarbonSettings): string {
  if (s.fields.houseNumber !== '') return text(abonent, s.fields.houseNumber);
  return expandTemplate(s.address.buildingNum, partText(abonent, s)).trim();
}

/**
 * The balance from the account that pays: the subscriber's own money account, or, for a member
 * of a group that has no account of its own, the group's (Carbon's financially responsible group).
 */
export function payingBalance(abonent: CarbonRow, m: MappingOptions): number {
  const s = m.settings;
  const missing = m.required?.get(`Abonents.${s.fields.balance}`);
  if (missing) throw new BillingDataError(say.requiredFieldMissing(missing));
  const own = readPath(abonent, s.fields.balance);
  if (own !== null && own !== undefined) return money(abonent, s.fields.balance);
  const group = `parent__${s.fields.balance}`;
  const theirs = readPath(abonent, group);
  if (theirs !== null && theirs !== undefined) return money(abonent, group);
  throw new BillingDataError(`Carbon subscriber ${abonent.pk}: ${s.fields.balance} is empty (no money account, nor one of its group)`);
}

/** A block record covering today (start ≤ today ≤ end, an empty end open-ended; no dates: the record itself). */
export function hasCurrentBlock(abonent: CarbonRow, m: MappingOptions, today: string): boolean {
  if (!m.blocks) return false;
  const s = m.settings;
  const records = readPath(abonent, reverseName(s.blocks.subscriber, s.blocks.model));
  if (!Array.isArray(records)) return false;
  return records.some((r) => blockCovers(r as CarbonRow, s, today));
}

export function blockCovers(record: CarbonRow, s: CarbonSettings, today: string): boolean {
  const label = `block record ${record.pk}`;
  const start = s.blocks.start === '' ? null : dateOf(record, s.blocks.start, label);
  const end = s.blocks.end === '' ? null : dateOf(record, s.blocks.end, label);
  if (s.blocks.start !== '' && (start === null || start > today)) return false;
  return end === null || today <= end;
}

/** The contract of a subscriber (a Carbon subscriber is one personal account). */
export function toContract(abonent: CarbonRow, services: CarbonRow[], m: MappingOptions, today: string, blocked = false): Contract {
  const s = m.settings;
  const account = accountOf(abonent);
  const balance = payingBalance(abonent, m);
  const buildingCode = text(abonent, s.fields.buildingCode);
  const buildingNum = buildingNumOf(abonent, s);
  const flat = text(abonent, s.fields.flat);
  const tariffIds: string[] = [];
  const tarifId = readPath(abonent, 'tarif_id');
  if (typeof tarifId === 'number' || (typeof tarifId === 'string' && tarifId !== '')) tariffIds.push(String(tarifId));
  for (const row of [...services].sort((a, b) => a.pk - b.pk)) {
    const uslugaId = readPath(row, 'usluga_id');
    if (uslugaId === null || uslugaId === undefined || uslugaId === '') continue;
    const id = `usluga-${String(uslugaId)}`;
    if (!tariffIds.includes(id)) tariffIds.push(id);
  }
  const forced = isAdminBlocked(abonent, s) || blocked || hasCurrentBlock(abonent, m, today);
  return {
    ext_id: String(abonent.pk),
    account,
    contract: account,
    state: contractState(abonent, s, today),
    balance,
    address: addressOf(abonent, s),
    ...(buildingCode !== '' && { building_code: buildingCode }),
    ...(s.regionCode !== null && { region: s.regionCode }),
    ...(buildingNum !== '' && { building_num: buildingNum }),
    ...(flat !== '' && { flat }),
    settings: forced ? [{ ...FORCED_BLOCK_SETTING }] : [],
    options: [],
    tariffs: tariffIds.map((id) => ({ id, options: [] })),
  };
}

/** A subscriber's extra services read through the reverse relation (group reads), as UsersUsluga rows. */
export function servicesOfRow(abonent: CarbonRow): CarbonRow[] {
  const list = readPath(abonent, 'abonent_id_usersusluga');
  if (!Array.isArray(list)) return [];
  return (list as CarbonRow[]).map((r) => ({ pk: r.pk, fields: { usluga_id: readPath(r, 'usluga_id') } }));
}

// ---- catalogues ----

export function servicesOf(key: string, s: CarbonSettings): Array<{ id: string }> {
  return (s.serviceMap[key] ?? s.unmappedServices).map((id) => ({ id }));
}

/** A price in kopecks, or null for "no price" (empty or zero). */
function price(row: CarbonRow, path: string, label: string): number | null {
  const raw = readPath(row, path);
  if (raw === null || raw === undefined || raw === '') return null;
  const kopecks = money(row, path, label);
  return kopecks === 0 ? null : kopecks;
}

/** All Tarif rows, then all Usluga rows as `usluga-<pk>`; no price → `without_cost`. */
export function toTariffs(tarifs: CarbonRow[], uslugi: CarbonRow[], s: CarbonSettings): Tariff[] {
  const out: Tariff[] = [];
  for (const t of [...tarifs].sort((a, b) => a.pk - b.pk)) {
    const cost = price(t, s.fields.tariffPrice, `tariff ${t.pk}`);
    const base = { id: String(t.pk), name: text(t, 'name') || `Тариф ${t.pk}`, services: servicesOf(String(t.pk), s) };
    out.push(cost === null ? { ...base, without_cost: true } : { ...base, cost });
  }
  for (const u of [...uslugi].sort((a, b) => a.pk - b.pk)) {
    const id = `usluga-${u.pk}`;
    const cost = price(u, s.fields.servicePrice, `service (Usluga) ${u.pk}`);
    const description = text(u, 'comments');
    const base = { id, name: text(u, 'name') || `Услуга ${u.pk}`, services: servicesOf(id, s), ...(description !== '' && { description }) };
    out.push(cost === null ? { ...base, without_cost: true } : { ...base, cost });
  }
  return out;
}

export function toServices(s: CarbonSettings): Service[] {
  return s.services.map((service) => ({ id: service.id, name: service.name }));
}

// ---- charges ----

export interface ChargeWindow {
  from: string;
  to: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a local date (Carbon writes dates in the billing server's local time). */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** The first day of the month `months - 1` months back, through the end of today. */
export function chargeWindow(now: Date, months: number): ChargeWindow {
  const first = new Date(now.getFullYear(), now.getMonth() - (months - 1), 1);
  return { from: `${localDate(first)} 00:00:00`, to: `${localDate(now)} 23:59:59` };
}

/** Whether an operation is a charge, by the configured rule; its cost in kopecks (positive). */
export function chargeCost(op: CarbonRow, s: CarbonSettings, subscriber: string, c: ChargeSource = chargeSource(s)): number | null {
  const amount = money(op, c.amount, `subscriber ${subscriber}, operation ${op.pk}`);
  if (s.charges.rule === 'negative-amount') return amount < 0 ? -amount : null;
  const type = readPath(op, s.charges.typeField);
  return s.charges.types.some((t) => String(t) === String(type)) ? Math.abs(amount) : null;
}

/** `MM-YY` of an operation's date. */
export function periodOf(op: CarbonRow, subscriber: string, dateField = 'op_date'): string {
  const raw = readPath(op, dateField);
  const match = typeof raw === 'string' ? /^\d{2}(\d{2})-(\d{2})-\d{2}/.exec(raw.trim()) : null;
  if (!match) throw new BillingDataError(`Carbon subscriber ${subscriber}, operation ${op.pk}: ${dateField} is ${JSON.stringify(raw ?? null)}, not a date`);
  return `${match[2]}-${match[1]}`;
}

/** A charge with what orders it: the operation's date text and pk. */
export interface DatedCharge {
  at: string;
  pk: number;
  charge: Charge;
}

/** The charges among one subscriber's operations, unordered. Reversed (storno) rows are skipped. */
export function datedCharges(ops: CarbonRow[], account: string | ((op: CarbonRow) => string), subscriber: string, s: CarbonSettings, c: ChargeSource = chargeSource(s)): DatedCharge[] {
  const out: DatedCharge[] = [];
  for (const op of ops) {
    if (c.reversed && parseFlag(readPath(op, c.reversed)) === true) continue;
    const cost = chargeCost(op, s, subscriber, c);
    if (cost === null) continue;
    out.push({
      at: text(op, c.date),
      pk: op.pk,
      charge: {
        account: typeof account === 'string' ? account : account(op),
        cost,
        period: periodOf(op, subscriber, c.date),
        description: text(op, c.description) || s.charges.fallbackDescription,
      },
    });
  }
  return out;
}

/** Newest first (date, then pk), at most `limit`, each operation once. */
export function newest(list: DatedCharge[], limit: number): DatedCharge[] {
  const seen = new Set<number>();
  return [...list]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.pk - a.pk))
    .filter((d) => !seen.has(d.pk) && seen.add(d.pk))
    .slice(0, limit);
}

/** Charges of one subscriber's operations, newest first, at most `limit`. */
export function toCharges(ops: CarbonRow[], account: string | ((op: CarbonRow) => string), subscriber: string, s: CarbonSettings, limit: number, c: ChargeSource = chargeSource(s)): Charge[] {
  return newest(datedCharges(ops, account, subscriber, s, c), limit).map((d) => d.charge);
}

/**
 * The charge window cut into parts of `chunkMonths` calendar months, for the bulk scan. Parts
 * share their boundary instant (each ends at the next one's 00:00:00) so no sub-second timestamp
 * falls between them; an operation read twice is de-duplicated by pk.
 */
export function windowParts(now: Date, months: number, chunkMonths: number): ChargeWindow[] {
  const window = chargeWindow(now, months);
  const parts: ChargeWindow[] = [];
  for (let back = months - 1; back >= 0; back -= chunkMonths) {
    const start = new Date(now.getFullYear(), now.getMonth() - back, 1);
    const next = new Date(now.getFullYear(), now.getMonth() - back + chunkMonths, 1);
    const last = back - chunkMonths < 0;
    parts.push({ from: `${localDate(start)} 00:00:00`, to: last ? window.to : `${localDate(next)} 00:00:00` });
  }
  return parts;
}

// ---- the bulk scan ----

/** The account (`contract_number`, or the pk when empty) charges and contracts are booked to. */
export function accountOf(abonent: CarbonRow): string {
  return text(abonent, 'contract_number') || String(abonent.pk);
}

/** A contract of the bulk scan: the subscriber, its extra services, whether a block record covers it. */
export interface ScanContract {
  abonent: CarbonRow;
  services: CarbonRow[];
  blocked: boolean;
}

/**
 * One user of the bulk scan (a subscriber, or a group with its members as contracts), its charges
 * already chosen; null when it has no login (not a core user).
 */
export function toSnapshot(
  abonent: CarbonRow,
  users: CarbonRow[],
  contracts: ScanContract[],
  charges: DatedCharge[],
  m: MappingOptions,
  today: string,
): SubscriberSnapshot | null {
  const user = toUser(abonent, users, m);
  if (!user) return null;
  // The sync report names subscribers whose phone text gave no usable number.
  const unparseable = phoneFields(abonent, users).some((field) => phoneFieldUnparseable(field, splitPhones(field, m.phone)));
  return {
    user,
    contracts: contracts.map((c) => toContract(c.abonent, c.services, m, today, c.blocked)),
    charges: charges.map((d) => d.charge),
    ...(unparseable && { problems: [UNPARSEABLE_PHONE] }),
  };
}

/** Folder rows are groups, not subscribers. */
export function isFolder(row: CarbonRow): boolean {
  return parseFlag(readPath(row, 'is_folder')) === true;
}

/** The logins of a row read through a reverse relation (`abonent_id_users__login`), or of its group (`parent__...`). */
export function nestedLogins(row: CarbonRow, path: string): string[] {
  const list = readPath(row, path);
  if (!Array.isArray(list)) return [];
  return (list as CarbonRow[]).map((u) => text(u, 'login')).filter((l) => l !== '');
}

/** Groups rows by their link to the subscriber (`abonent_id`). */
export function byAbonent(rows: CarbonRow[], link = 'abonent_id'): Map<number, CarbonRow[]> {
  const out = new Map<number, CarbonRow[]>();
  for (const row of rows) {
    const id = Number(readPath(row, link));
    if (!Number.isSafeInteger(id)) continue;
    const list = out.get(id);
    if (list) list.push(row);
    else out.set(id, [row]);
  }
  return out;
}

// ---- the password check ----

/** check_pass answers a Python bool; anything not clearly true or false is not trusted (an outage). */
export function readCheckPass(value: unknown): boolean {
  if (value === true || value === 1 || value === '1' || value === 'True' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'False' || value === 'false' || value === null || value === '') return false;
  throw new BillingUnavailableError(`Carbon's check_pass answered ${String(JSON.stringify(value)).slice(0, 60)}, neither true nor false`);
}

/** The ext_user_id of a Users row that passed the check: its `abonent_id`; null when it has none. */
export function authUserId(user: CarbonRow | null): string | null {
  const abonentId = user ? readPath(user, 'abonent_id') : null;
  if (typeof abonentId === 'number' || (typeof abonentId === 'string' && /^\d+$/.test(abonentId))) return String(abonentId);
  return null;
}

// ---- the web_cabinet.login fallback ----

/** Errors that say something about the call, not about the subscriber's login and password. */
const OUTAGE_TEXT = /psw|context|access denied|доступ запрещ|forbidden|permission|traceback|exception|internal|database|connect|timeout|no attribute|argument/i;
/** Errors that say the login or password is wrong. */
const WRONG_PAIR_TEXT = /неверн|логин|парол|login|password|не найден|not found|does not exist|matching query/i;

/**
 * The ext_user_id from a `web_cabinet.login` answer, null for a wrong pair. Through REST v2 the
 * answer is double-encoded (`result` is a list whose first element is a JSON string); through
 * system_api it is the object itself. `{"session_id", "user": {"abonent": {"pk"}}}` (or `"abonent_id"`) is a success; an
 * `{"error"}` is a wrong pair only when its text says so (and names no psw/context/access problem):
 * an unrecognised error is an outage, never a silent "wrong password".
 */
export function readWebCabinetLogin(answer: unknown, via: 'rest' | 'system_api', pswSet = true): string | null {
  let value = answer;
  if (Array.isArray(value) && typeof value[0] === 'string') {
    try {
      value = JSON.parse(value[0]);
    } catch {
      throw new BillingUnavailableError(`Carbon's web_cabinet.login (${via}) answered a string that is not JSON`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BillingUnavailableError(`Carbon's web_cabinet.login (${via}) answered neither a session nor an error`);
  }
  const object = value as { session_id?: unknown; user?: { abonent_id?: unknown; abonent?: unknown } | null; error?: unknown };
  if (object.error !== undefined && object.error !== null) {
    const message = String(object.error);
    if (!OUTAGE_TEXT.test(message) && WRONG_PAIR_TEXT.test(message)) return null;
    const context = /Context=(\S+) is not defined/.exec(message)?.[1];
    if (context !== undefined) throw new BillingUnavailableError(say.contextNotDefined(context));
    if (/psw|access denied|доступ запрещ/i.test(message)) throw new BillingUnavailableError(say.pswRefused(message, pswSet));
    throw new BillingUnavailableError(`Carbon's web_cabinet.login (${via}) failed: ${message.slice(0, 200)}`);
  }
  if (object.session_id === undefined || object.user === null || typeof object.user !== 'object') {
    throw new BillingUnavailableError(`Carbon's web_cabinet.login (${via}) answered neither a session nor an error`);
  }
  // Public clients read user.abonent.pk; older answers carry user.abonent_id.
  const nested = object.user.abonent;
  const abonentId = object.user.abonent_id ?? (nested !== null && typeof nested === 'object' ? (nested as { pk?: unknown; id?: unknown }).pk ?? (nested as { id?: unknown }).id : nested);
  if (typeof abonentId === 'number' || (typeof abonentId === 'string' && /^\d+$/.test(abonentId))) return String(abonentId);
  // A login without a subscriber: nothing core could be given.
  return null;
}
