// The field map: every Carbon field the adapter reads, which setting names it, and whether the
// answers need it. Checked against the live schema (schema.ts), it yields the map the adapter uses
// (a missing optional field switched off, so Carbon is never asked for it), the problems a
// missing required field causes, the likely replacement for each missing field, and the settings
// patch that writes a working map (`check --fix`, the dashboard's button).
import { distance } from 'fastest-levenshtein';
import { CONTRADICTED_DEFAULTS, type CarbonSettings } from '../../../shared/carbon-settings.js';
import { say } from './messages.js';
import { relationTarget, type LiveSchema } from './schema.js';

/**
 * required: the answers cannot be right without it (a problem in status and /readyz);
 * optional: left out of the answers, with one warning;
 * if-present: read only where the live Carbon has it (older Carbons), silently skipped elsewhere.
 */
export type Need = 'required' | 'optional' | 'if-present';

export interface MappedField {
  /** The model the path starts on. */
  model: string;
  path: string;
  /** The setting under billing.carbon that names it ("fields.balance"); null for names that are not settings. */
  setting: string | null;
  need: Need;
  /** What the field is for, in a few words. */
  purpose: string;
  /** The value `--fix` writes when Carbon has nothing like it (switching the field off). */
  fallback?: string;
}

/** Reverse relation from Abonents to another model: `<fk column>_<model in lower case>`. */
export function reverseName(fk: string, model: string): string {
  return `${fk.endsWith('_id') ? fk : `${fk}_id`}_${model.toLowerCase()}`;
}

export const USERS_OF_ABONENT = reverseName('abonent', 'Users');
export const SERVICES_OF_ABONENT = reverseName('abonent', 'UsersUsluga');

/** Placeholders a template uses. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
}

/** Every field the adapter reads with these settings, grouped by the model its path starts on. */
export function mappedFields(s: CarbonSettings): MappedField[] {
  const out: MappedField[] = [];
  const add = (model: string, path: string, setting: string | null, need: Need, purpose: string, fallback?: string) => {
    if (path !== '') out.push({ model, path, setting, need, purpose, ...(fallback !== undefined && { fallback }) });
  };
  // Abonents: the subscriber.
  add('Abonents', 'is_folder', null, 'required', 'groups are not subscribers');
  add('Abonents', 'name', null, 'optional', 'user full_name');
  add('Abonents', 'sms', null, 'optional', 'user phones');
  add('Abonents', 'contract_number', null, 'optional', 'contract account');
  add('Abonents', 'tarif_id', null, 'optional', 'contract tariff');
  add('Abonents', 'activate_date', null, 'optional', 'contract state (new)');
  add('Abonents', 'own_disabled_start', null, 'optional', 'voluntary block');
  add('Abonents', 'own_disabled_end', null, 'optional', 'voluntary block');
  add('Abonents', 'parent', null, s.accounts === 'group' ? 'required' : 'optional', 'groups, and the account that pays');
  add('Abonents', s.fields.balance, 'fields.balance', 'required', 'contract balance');
  add('Abonents', s.fields.address, 'fields.address', 'optional', 'contract address (one field)', '');
  if (s.fields.address === '' || s.fields.houseNumber === '') {
    const used = new Set([...(s.fields.address === '' ? placeholders(s.address.format) : []), ...(s.fields.houseNumber === '' ? placeholders(s.address.buildingNum) : [])]);
    for (const [part, path] of Object.entries(s.address.parts)) {
      if (used.has(part)) add('Abonents', path, `address.parts.${part}`, 'optional', `address part {${part}}`, '');
    }
  }
  add('Abonents', s.fields.houseNumber, 'fields.houseNumber', 'optional', 'contract building_num (one field)', '');
  add('Abonents', s.fields.buildingCode, 'fields.buildingCode', 'optional', 'contract building_code', '');
  add('Abonents', s.fields.flat, 'fields.flat', 'optional', 'contract flat', '');
  add('Abonents', s.adminBlock.field, 'adminBlock.field', 'optional', 'forced block', '');
  add('Abonents', s.disabled.field, 'disabled.field', 'if-present', 'subscriber disabled (older Carbons)');
  add('Abonents', s.deleted.field, 'deleted.field', 'if-present', 'subscriber deleted (older Carbons)');
  if (s.accounts === 'group') {
    add('Abonents', USERS_OF_ABONENT, null, 'required', 'the logins of a group');
    add('Abonents', SERVICES_OF_ABONENT, null, 'optional', 'the extra services of group members');
  }
  // Users: the cabinet logins.
  add('Users', 'login', null, 'required', 'user login, password check');
  add('Users', 'abonent_id', null, 'required', 'whose login it is');
  add('Users', 'sms', null, 'optional', 'user phones');
  add('Users', s.fields.password, 'fields.password', 'optional', 'user password', '');
  // Catalogues.
  add('Tarif', 'name', null, 'optional', 'tariff name');
  add('Tarif', s.fields.tariffPrice, 'fields.tariffPrice', 'optional', 'tariff cost', '');
  add('Usluga', 'name', null, 'optional', 'service name');
  add('Usluga', 'comments', null, 'optional', 'service description');
  add('Usluga', s.fields.servicePrice, 'fields.servicePrice', 'optional', 'service cost', '');
  add('UsersUsluga', 'abonent_id', null, 'optional', 'extra services of a subscriber');
  add('UsersUsluga', 'usluga_id', null, 'optional', 'extra services of a subscriber');
  // Charges.
  if (s.charges.source === 'FinanceOperations') {
    for (const f of ['abonent_id', 'op_date', 'op_summa']) add('FinanceOperations', f, null, 'required', 'charges');
    add('FinanceOperations', 'storno', null, 'optional', 'reversed operations');
    add('FinanceOperations', s.fields.chargeDescription, 'fields.chargeDescription', 'optional', 'charge description', '');
    if (s.charges.rule === 'type') add('FinanceOperations', s.charges.typeField, 'charges.typeField', 'required', 'which operations are charges');
  } else {
    const a = s.charges.archAccountStack;
    add('ArchAccountStack', a.subscriber, 'charges.archAccountStack.subscriber', 'required', 'charges');
    add('ArchAccountStack', a.date, 'charges.archAccountStack.date', 'required', 'charges');
    add('ArchAccountStack', a.amount, 'charges.archAccountStack.amount', 'required', 'charges');
    add('ArchAccountStack', a.description, 'charges.archAccountStack.description', 'optional', 'charge description', '');
    if (s.charges.rule === 'type') add('ArchAccountStack', s.charges.typeField, 'charges.typeField', 'required', 'which movements are charges');
  }
  // Block records: only where the live Carbon has the model.
  if (s.blocks.model !== '') {
    add(s.blocks.model, s.blocks.subscriber, 'blocks.subscriber', 'if-present', 'block records');
    add(s.blocks.model, s.blocks.start, 'blocks.start', 'if-present', 'block records: start', '');
    add(s.blocks.model, s.blocks.end, 'blocks.end', 'if-present', 'block records: end', '');
  }
  return out;
}

/** The models the field map reads (the schema is read for these). */
export function mappedModels(s: CarbonSettings): string[] {
  const models = new Set(mappedFields(s).map((f) => f.model));
  // Where paths lead: the house, the money account.
  for (const m of ['Homes', 'AdminAccounts']) models.add(m);
  return [...models];
}

// ---- checking the map against the live schema ----

export type FieldStatus = 'present' | 'missing' | 'unknown';

export interface CheckedField extends MappedField {
  status: FieldStatus;
  /** For a missing field: the model and name Carbon lacks (`Homes.city`). */
  lacks?: { model: string; name: string };
  /** For a missing field: the path that looks like what was meant, or the fallback. */
  replacement?: string;
  /** Why that replacement: "Homes has s_number", "switches the field off". */
  because?: string;
}

/** Synonyms from the sources (Firebird column names, the cashier procedures, other clients' names). */
const SYNONYMS: Record<string, string[]> = {
  balance: ['ostatok', 'debit', 'balance_buh', 'saldo'],
  account: ['admin_account', 'money_account', 'adminaccount'],
  gen_pwd: ['password', 'passwd', 'psw', 'pwd'],
  abonent_pay: ['price', 'cost', 'abon_pay', 'pay', 'summa', 'month_pay'],
  cost: ['price', 'abonent_pay', 'summa', 'pay'],
  comment: ['comments', 'descr', 'description', 'note'],
  op_type: ['type', 'operation_type', 'op_kind'],
  name: ['unrestricted_value', 'address', 'full_address', 'title'],
  number: ['s_number', 'house', 'house_number'],
  s_number: ['number', 'house', 'house_number', 'home_number'],
  s_liter: ['liter', 'letter', 'korpus', 'building'],
  city: ['town', 'locality', 'city_name'],
  street: ['street_name', 'address'],
  settlement: ['village', 'locality'],
  fias_guid: ['fias', 'guid', 'fias_id', 'gar_guid', 'house_guid'],
  a_home_number: ['flat', 'apartment', 'kv', 'room'],
  allow_internet: ['internet', 'allow_inet'],
  summa: ['summ', 'sum', 'amount', 'change_balance', 'delta', 'op_summa'],
  change_balance_time: ['change_time', 'date', 'op_date', 'created'],
  date_start: ['start', 'begin', 'start_date', 'date_begin', 'date_from'],
  date_end: ['end', 'finish', 'end_date', 'date_to', 'date_finish'],
};

/** The name among `candidates` most like `name`: a known synonym first, then the closest spelling. */
export function likelyReplacement(name: string, candidates: Iterable<string>): string | null {
  const list = [...candidates].filter((c) => c !== name && c !== 'id' && c !== 'pk');
  const synonyms = SYNONYMS[name] ?? [];
  for (const s of synonyms) if (list.includes(s)) return s;
  let best: { name: string; score: number } | null = null;
  for (const c of list) {
    const d = distance(name, c);
    const score = 1 - d / Math.max(name.length, c.length);
    const contains = c.includes(name) || (name.includes(c) && c.length >= 4);
    const value = contains ? Math.max(score, 0.6) : score;
    if (value >= 0.5 && (!best || value > best.score)) best = { name: c, score: value };
  }
  return best?.name ?? null;
}

/**
 * Where a path breaks on the live schema: null when every step exists, the model and name that
 * is missing otherwise, or 'unknown' when a step leads to a model whose names are not known.
 */
export function walk(schema: LiveSchema, model: string, path: string): null | 'unknown' | { model: string; name: string; at: number } {
  const parts = path.split('__');
  let current = model;
  for (let i = 0; i < parts.length; i++) {
    const info = schema.models.get(current);
    if (!info) return schema.absent.has(current) ? { model: current, name: parts[i]!, at: i } : 'unknown';
    const name = parts[i]!;
    if (!info.fields.has(name)) return { model: current, name, at: i };
    if (i < parts.length - 1) {
      const next = relationTarget(schema, current, name);
      if (!next) return 'unknown';
      current = next;
    }
  }
  return null;
}

export function checkField(schema: LiveSchema, f: MappedField): CheckedField {
  if (schema.absent.has(f.model)) return { ...f, status: 'missing', lacks: { model: f.model, name: f.path } };
  const result = walk(schema, f.model, f.path);
  if (result === null) return { ...f, status: 'present' };
  if (result === 'unknown') return { ...f, status: 'unknown' };
  const checked: CheckedField = { ...f, status: 'missing', lacks: { model: result.model, name: result.name } };
  const info = schema.models.get(result.model);
  const found = info ? likelyReplacement(result.name, info.fields) : null;
  if (found) {
    const parts = f.path.split('__');
    parts[result.at] = found;
    const replacement = parts.join('__');
    // The whole replaced path must exist too.
    if (walk(schema, f.model, replacement) === null) return { ...checked, replacement, because: `${result.model} has ${found}` };
  }
  const old = f.setting ? (CONTRADICTED_DEFAULTS.fields as Record<string, string>)[f.setting.replace(/^fields\./, '')] : undefined;
  if (f.fallback !== undefined && old === f.path) return { ...checked, replacement: f.fallback, because: 'an older default that public sources contradict; empty assembles it from address.parts' };
  if (f.fallback !== undefined) return { ...checked, replacement: f.fallback, because: 'nothing like it on this Carbon: the field is switched off' };
  return checked;
}

// ---- the map the adapter uses ----

export interface EffectiveMap {
  /** The settings with every missing optional field switched off. */
  settings: CarbonSettings;
  /** Fixed (non-setting) names Carbon lacks, as "Model.path": never asked for. */
  absent: ReadonlySet<string>;
  /** Missing required fields, by "Model.path", with the sentence that names it. */
  required: ReadonlyMap<string, string>;
  /** Block records can be read (the model and its link exist). */
  blocks: boolean;
  /** What needs a person, in plain words (status, /readyz, the dashboard). */
  problems: string[];
  /** Optional fields left out, one sentence each (logged once). */
  warnings: string[];
  checked: CheckedField[];
}

type Doc = Record<string, unknown>;

export function getAt(doc: Doc, path: string): unknown {
  let v: unknown = doc;
  for (const k of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Doc)[k] : undefined;
  return v;
}

function setAt(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let v = doc;
  for (const k of keys.slice(0, -1)) {
    if (typeof v[k] !== 'object' || v[k] === null) v[k] = {};
    v = v[k] as Doc;
  }
  v[keys[keys.length - 1]!] = value;
}

/** The map as configured, taken on trust: what the adapter uses before (or without) a schema. */
export function trustedMap(s: CarbonSettings): EffectiveMap {
  return { settings: s, absent: new Set(), required: new Map(), blocks: false, problems: [], warnings: [], checked: [] };
}

/** The configured map checked against the live schema. */
export function effectiveMap(s: CarbonSettings, schema: LiveSchema): EffectiveMap {
  const checked = mappedFields(s).map((f) => checkField(schema, f));
  const settings = structuredClone(s);
  const absent = new Set<string>();
  const required = new Map<string, string>();
  const problems: string[] = [];
  const warnings: string[] = [];
  // Groups need the parent link and the logins of a folder; without them they are served per subscriber.
  const groupLacks = s.accounts === 'group'
    ? checked.filter((c) => c.model === 'Abonents' && (c.path === 'parent' || c.path === USERS_OF_ABONENT) && c.status === 'missing')
    : [];
  if (groupLacks.length > 0) {
    settings.accounts = 'per-abonent';
    problems.push(say.groupsNeed(groupLacks.map((c) => `Carbon's Abonents has no ${c.path}`).join(' and ')));
  }
  for (const c of checked) {
    if (c.status !== 'missing' || groupLacks.includes(c)) continue;
    const key = `${c.model}.${c.path}`;
    if (c.need === 'required') {
      const sentence = say.missingRequired(c.model, c.path);
      required.set(key, sentence);
      problems.push(sentence);
      continue;
    }
    if (c.need === 'optional') warnings.push(say.missingOptional(c.model, c.path, c.setting ? `billing.carbon.${c.setting}` : 'read by the adapter'));
    if (c.setting) setAt(settings as unknown as Doc, c.setting, '');
    else absent.add(key);
  }
  const blockModel = s.blocks.model;
  const blocks = blockModel !== '' && schema.models.has(blockModel) && !checked.some((c) => c.setting === 'blocks.subscriber' && c.status !== 'present');
  return { settings, absent, required, blocks, problems, warnings, checked };
}

/**
 * The settings patch (under billing.carbon) that replaces every missing setting with its
 * replacement. Address parts are a record the file replaces whole, so the patch carries all of them.
 */
export function fixPatch(s: CarbonSettings, checked: CheckedField[]): { patch: Doc; changes: Array<{ setting: string; from: string; to: string; because: string }> } {
  const patch: Doc = {};
  const changes: Array<{ setting: string; from: string; to: string; because: string }> = [];
  for (const c of checked) {
    if (c.status !== 'missing' || !c.setting || c.replacement === undefined || c.need === 'if-present') continue;
    if (c.setting.startsWith('address.parts.') && getAt(patch, 'address.parts') === undefined) setAt(patch, 'address.parts', { ...s.address.parts });
    setAt(patch, c.setting, c.replacement);
    changes.push({ setting: `billing.carbon.${c.setting}`, from: c.path, to: c.replacement, because: c.because ?? '' });
  }
  return { patch, changes };
}
