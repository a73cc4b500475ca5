// The live Carbon's models and their field names, read instead of guessed. Two independent sources:
// the model listing at `GET /rest_api/v2/` (documented in the vendor page's history; its body
// format is not public, so it is parsed defensively), and Django's error for an unknown lookup,
// "Cannot resolve keyword 'x' into field. Choices are: a, b, c", which names a model's fields.
import { CarbonAnswerError, CarbonFieldError, type CarbonClient, type ListingAnswer } from './client.js';

export interface ModelInfo {
  /** Every name a field path may use on this model: fields, fk columns, reverse relations. */
  fields: Set<string>;
  /** Relation name → the model it leads to, where the listing says so. */
  relations: Map<string, string>;
}

export interface LiveSchema {
  /** Where the names came from: the listing, Django's errors, both, or neither (nothing could be learnt). */
  source: 'listing' | 'errors' | 'listing+errors' | 'none';
  /** Keyed by the model name as the adapter spells it. */
  models: Map<string, ModelInfo>;
  /** Models Carbon says it does not have. */
  absent: Set<string>;
}

/**
 * Relations the adapter follows, from the public examples (`tarif__name`, `account_id_abonents`,
 * `abonent_id_users`): `<fk>` leads to its model, and a reverse relation is `<fk column>_<model in
 * lower case>`. Used where the listing does not name a relation's target.
 */
export const KNOWN_RELATIONS: Record<string, Record<string, string>> = {
  Abonents: {
    home: 'Homes', account: 'AdminAccounts', tarif: 'Tarif', tarif_next: 'Tarif', parent: 'Abonents',
    abonent_id_users: 'Users', abonent_id_usersusluga: 'UsersUsluga', abonent_id_abonentsblock: 'AbonentsBlock', parent_id_abonents: 'Abonents',
  },
  Users: { abonent: 'Abonents' },
  UsersUsluga: { abonent: 'Abonents', usluga: 'Usluga' },
  FinanceOperations: { abonent: 'Abonents' },
  ArchAccountStack: { abonent: 'Abonents' },
  AbonentsBlock: { abonent: 'Abonents' },
  AdminAccounts: { account_id_abonents: 'Abonents' },
};

/** The model a relation of `model` leads to, or null when neither Carbon nor our table says. */
export function relationTarget(schema: LiveSchema, model: string, name: string): string | null {
  return schema.models.get(model)?.relations.get(name) ?? KNOWN_RELATIONS[model]?.[name] ?? null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MODEL_NAME = /^[A-Z][A-Za-z0-9_]*$/;

/** The field names in Django's "Choices are: a, b, c" (null when the text has none). */
export function choicesFromError(text: string): string[] | null {
  const m = /Choices are:\s*(.*)$/s.exec(text);
  if (!m) return null;
  const names = m[1]!.split(/[,\s]+/).map((n) => n.replace(/^['"[(]+|['")\].]+$/g, '')).filter((n) => NAME.test(n));
  return names.length > 0 ? names : null;
}

// ---- the listing ----

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field given as a name, or as an object with a name and maybe the related model. */
function fieldEntry(v: Json, key?: string): { name: string; to?: string } | null {
  if (typeof v === 'string') return NAME.test(v) ? { name: v } : null;
  if (isObject(v)) {
    const name = typeof v.name === 'string' ? v.name : typeof v.field === 'string' ? v.field : key;
    if (!name || !NAME.test(name)) return null;
    const to = [v.to, v.related_model, v.related, v.rel, v.model, v.target].find((x) => typeof x === 'string' && MODEL_NAME.test(x)) as string | undefined;
    return to ? { name, to } : { name };
  }
  if (key && NAME.test(key)) return { name: key };
  return null;
}

function modelInfo(fields: Array<{ name: string; to?: string }>): ModelInfo {
  const info: ModelInfo = { fields: new Set(), relations: new Map() };
  for (const f of fields) {
    info.fields.add(f.name);
    if (f.to) info.relations.set(f.name, f.to);
  }
  return info;
}

/** The fields of one model's description: a list, `{fields: ...}`, or an object keyed by field name. */
function fieldsOf(v: Json): Array<{ name: string; to?: string }> | null {
  if (Array.isArray(v)) {
    const list = v.map((x) => fieldEntry(x)).filter((x): x is { name: string; to?: string } => x !== null);
    return list.length > 0 ? list : null;
  }
  if (isObject(v)) {
    for (const key of ['fields', 'field_names', 'attributes', 'columns']) {
      if (key in v) return fieldsOf(v[key]);
    }
    // Keyed by field name: a string value is its type ("CharField") or the model it leads to.
    const entry = (k: string, x: Json) => {
      if (typeof x !== 'string') return fieldEntry(x, k);
      if (!NAME.test(k)) return null;
      return MODEL_NAME.test(x) && !/Field$/.test(x) ? { name: k, to: x } : { name: k };
    };
    const list = Object.entries(v).map(([k, x]) => entry(k, x)).filter((x): x is { name: string; to?: string } => x !== null);
    return list.length > 0 ? list : null;
  }
  return null;
}

function fromJson(doc: Json): Map<string, ModelInfo> | null {
  let value = doc;
  if (isObject(value) && 'result' in value && !('fields' in value)) value = value.result;
  if (isObject(value) && Array.isArray(value.models)) value = value.models;
  const out = new Map<string, ModelInfo>();
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isObject(item)) continue;
      const name = [item.model, item.name, item.model_name].find((x) => typeof x === 'string' && MODEL_NAME.test(x)) as string | undefined;
      const fields = fieldsOf('fields' in item ? item.fields : item);
      if (name && fields) out.set(name, modelInfo(fields));
    }
  } else if (isObject(value)) {
    for (const [name, v] of Object.entries(value)) {
      if (!MODEL_NAME.test(name)) continue;
      const fields = fieldsOf(v);
      if (fields) out.set(name, modelInfo(fields));
    }
  }
  return out.size > 0 ? out : null;
}

/** HTML or plain text: a model name on a line of its own or before a colon, its field names after it. */
function fromText(text: string): Map<string, ModelInfo> | null {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/?(h\d|p|div|li|tr|br|dt|dd|caption|table|ul|ol|section|pre)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"');
  const out = new Map<string, ModelInfo>();
  let current: Array<{ name: string }> | null = null;
  for (const raw of plain.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const head = /^(?:model\s*[:=]?\s*)?([A-Z][A-Za-z0-9_]*)\s*(?::|\(|$)\s*(.*?)\)?$/.exec(line);
    if (head && (head[2] === '' || head[2]!.includes(',') || /^[a-z_]/.test(head[2]!))) {
      current = [];
      out.set(head[1]!, { fields: new Set(), relations: new Map() });
      const rest = head[2]!;
      if (rest !== '') for (const n of rest.split(/[,\s]+/)) if (NAME.test(n)) current.push({ name: n });
      out.get(head[1]!)!.fields = new Set(current.map((f) => f.name));
      continue;
    }
    if (current === null) continue;
    const model = [...out.keys()].pop()!;
    const info = out.get(model)!;
    // "name", "name: CharField", "name (ForeignKey → Tarif)", "name, other".
    for (const part of line.split(/,/)) {
      const m = /^\s*["']?([a-z_][A-Za-z0-9_]*)["']?(?:(?:\s*[:(\-–—]\s*|\s+)(.*))?$/.exec(part);
      if (!m) continue;
      info.fields.add(m[1]!);
      const to = m[2] ? /([A-Z][A-Za-z0-9_]*)\W*$/.exec(m[2])?.[1] : undefined;
      if (to && !/Field$/.test(to)) info.relations.set(m[1]!, to);
    }
  }
  for (const [name, info] of out) if (info.fields.size === 0) out.delete(name);
  return out.size > 0 ? out : null;
}

/** Carbon's model listing, whatever shape it comes in; null when nothing in it names models and fields. */
export function parseListing(answer: ListingAnswer): Map<string, ModelInfo> | null {
  const body = answer.body.trim();
  if (body === '') return null;
  if (/json/i.test(answer.contentType) || body.startsWith('{') || body.startsWith('[')) {
    try {
      const parsed = fromJson(JSON.parse(body) as Json);
      if (parsed) return parsed;
    } catch {
      // Not JSON after all: try it as text.
    }
  }
  return fromText(body);
}

// ---- reading it ----

/** A lookup no model has: Django's answer names every field the model does have. */
export const PROBE_KEYWORD = 'billing_bridge_probe';

/** The names of one model from Django's error; null when Carbon's answer does not say (absent: the model does not exist). */
async function probeModel(client: CarbonClient, model: string): Promise<ModelInfo | 'absent' | null> {
  try {
    await client.rest({ model, calls: [{ method: 'objects.filter', arg: { [PROBE_KEYWORD]: 0, pk__in: [] } }] });
    // Carbon ignored an unknown lookup: its names cannot be learnt this way.
    return null;
  } catch (err) {
    if (err instanceof CarbonFieldError) {
      const names = choicesFromError(err.carbonMessage);
      return names ? modelInfo(names.map((name) => ({ name }))) : null;
    }
    if (err instanceof CarbonAnswerError && /not found|does not exist|no model|unknown model|LookupError/i.test(err.carbonMessage)) return 'absent';
    if (err instanceof CarbonAnswerError) return null;
    throw err;
  }
}

function find(map: Map<string, ModelInfo>, model: string): ModelInfo | undefined {
  return map.get(model) ?? [...map].find(([name]) => name.toLowerCase() === model.toLowerCase())?.[1];
}

/**
 * The names of `models`: the listing first, then one probe per model it did not describe. An
 * outage (unreachable, refused, garbage) is thrown: a schema is never made up from a failure.
 */
export async function readSchema(client: CarbonClient, models: readonly string[]): Promise<LiveSchema> {
  const listing = await client.listing();
  const listed = listing ? parseListing(listing) : null;
  const schema: LiveSchema = { source: 'none', models: new Map(), absent: new Set() };
  let probed = false;
  for (const model of models) {
    const fromListing = listed ? find(listed, model) : undefined;
    if (fromListing) {
      schema.models.set(model, fromListing);
      continue;
    }
    const probe = await probeModel(client, model);
    if (probe === 'absent') schema.absent.add(model);
    else if (probe) {
      schema.models.set(model, probe);
      probed = true;
    } else if (listed) {
      // A listing that names other models but not this one: Carbon has no such model.
      schema.absent.add(model);
    }
  }
  const fromList = listed !== null && [...schema.models.values()].some((info) => listed && [...listed.values()].includes(info));
  schema.source = fromList && probed ? 'listing+errors' : fromList ? 'listing' : probed ? 'errors' : 'none';
  return schema;
}
