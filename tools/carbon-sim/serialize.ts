// The `fields` parameter and the shape of result rows: {"pk", "model", "fields": {...}}.
//   ["tarif_id"]     → "tarif_id": 7
//   ["tarif"]        → "tarif": {"pk": 7, "model": "Tarif", "fields": {all of Tarif}}
//   ["tarif__name"]  → "tarif": {"pk": 7, "model": "Tarif", "fields": {"name": ...}}
// Several `tarif__x` merge into one nested object; depth is unlimited; reverse relations give lists.
import type { Database, Row, Table } from './db.js';
import { columnOf } from './models.js';
import { SimError } from './values.js';

export interface FieldSpec {
  /** Output every own field (fks as `<name>_id`). */
  all: boolean;
  /** Plain keys to output: own fields, `<fk>_id` columns, `id`/`pk`. */
  plain: string[];
  /** Nested relations: fk or reverse relation name → what to output of the related rows. */
  nested: Map<string, FieldSpec>;
}

export interface SerializedRow {
  pk: number;
  model: string;
  fields: Record<string, unknown>;
}

const newSpec = (all: boolean): FieldSpec => ({ all, plain: [], nested: new Map() });

/** Parse the raw `fields` form value (a JSON array of strings). */
export function parseFieldsParam(db: Database, table: Table, raw: string): FieldSpec | null {
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw new SimError('No JSON object could be decoded');
  }
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new SimError(`fields must be a JSON list of field names, got ${raw}`);
  }
  // An empty list outputs everything, like no `fields` at all.
  if (list.length === 0) return null;
  const root = newSpec(false);
  for (const path of list as string[]) addPath(db, table, root, path);
  return root;
}

function addPath(db: Database, table: Table, root: FieldSpec, path: string): void {
  const parts = path.split('__');
  let spec = root;
  let model = table.name;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const last = i === parts.length - 1;
    const field = db.schema.field(model, p);
    const rev = field ? undefined : db.schema.reverse(model, p);
    const relTarget = field?.kind === 'fk' ? field.to! : rev?.from;
    if (relTarget) {
      let sub = spec.nested.get(p);
      if (!sub) {
        sub = newSpec(last);
        spec.nested.set(p, sub);
      } else if (last) sub.all = true;
      spec = sub;
      model = relTarget;
      continue;
    }
    const isPlain = p === 'id' || p === 'pk' || !!field || db.table(model).fieldOfColumn(p)?.kind === 'fk';
    if (!isPlain) throw new SimError(`${model} has no field named '${p}'`);
    if (!last) throw new SimError(`Cannot resolve keyword '${parts[i + 1]}' into field: ${model}.${p} is not a relation`);
    if (!spec.plain.includes(p)) spec.plain.push(p);
  }
}

/** One row as Carbon outputs it; spec null = every own field, fks as `<name>_id`. */
export function serializeRow(db: Database, table: Table, row: Row, spec: FieldSpec | null): SerializedRow {
  const fields: Record<string, unknown> = {};
  if (!spec || spec.all) {
    for (const field of table.def.fields) {
      const col = columnOf(field);
      fields[col] = row[col] ?? null;
    }
  }
  if (spec) {
    for (const p of spec.plain) {
      fields[p] = p === 'id' || p === 'pk' ? row.pk : (row[p] ?? null);
    }
    for (const [name, sub] of spec.nested) {
      const field = db.schema.field(table.name, name);
      if (field && field.kind === 'fk') {
        const target = db.table(field.to!);
        const id = row[columnOf(field)];
        const related = typeof id === 'number' ? target.get(id) : undefined;
        fields[name] = related ? serializeRow(db, target, related, sub) : null;
        continue;
      }
      const rev = db.schema.reverse(table.name, name);
      if (rev) {
        const source = db.table(rev.from);
        fields[name] = source.lookup(columnOf(rev.field), row.pk).map((r) => serializeRow(db, source, r, sub));
      }
    }
  }
  return { pk: row.pk, model: table.name, fields };
}
