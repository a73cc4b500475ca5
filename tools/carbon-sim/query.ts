// Django lookups over the in-memory tables: `field`, `field__op`, `fk__field__op`, reverse relations.
import type { Database, Row, Table } from './db.js';
import { columnOf, type FieldDef, type Kind, type ReverseDef, type Value } from './models.js';
import { coerceLookup, compareValues, SimError } from './values.js';

const OPS = new Set([
  'exact',
  'iexact',
  'in',
  'range',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'icontains',
  'startswith',
  'istartswith',
  'endswith',
  'iendswith',
  'isnull',
]);

type Step = { kind: 'fk'; field: FieldDef; target: Table } | { kind: 'rev'; rev: ReverseDef; source: Table };

/** A resolved lookup: walk `steps` from a row, then compare `column` (of kind) with `arg` by `op`. */
export interface Lookup {
  key: string;
  steps: Step[];
  column: string; // 'pk' for the primary key
  kind: Kind;
  op: string;
  arg: Value | Value[] | boolean;
}

function unsupported(op: string, kind: Kind): SimError {
  const djangoField: Record<Kind, string> = {
    int: 'IntegerField',
    bit: 'IntegerField',
    flag: 'CharField',
    str: 'CharField',
    money: 'DecimalField',
    date: 'DateField',
    datetime: 'DateTimeField',
    fk: 'ForeignKey',
  };
  return new SimError(`Unsupported lookup '${op}' for ${djangoField[kind]} or join on the field not permitted.`);
}

/** Resolve one keyword of a filter()/get() call against a model, coercing its argument. */
export function resolveLookup(db: Database, table: Table, key: string, raw: unknown): Lookup {
  const parts = key.split('__');
  const steps: Step[] = [];
  let current = table;
  let column: string | null = null;
  let kind: Kind = 'int';
  let i = 0;
  for (; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    const nextIsRelPath = next !== undefined && !OPS.has(next);
    if (p === 'pk' || p === 'id') {
      column = 'pk';
      kind = 'int';
      i++;
      break;
    }
    const field = db.schema.field(current.name, p);
    if (field && field.kind === 'fk') {
      const target = db.table(field.to!);
      if (nextIsRelPath) {
        steps.push({ kind: 'fk', field, target });
        current = target;
        continue;
      }
      column = columnOf(field);
      kind = 'fk';
      i++;
      break;
    }
    if (field) {
      column = field.name;
      kind = field.kind;
      i++;
      break;
    }
    const byColumn = current.fieldOfColumn(p);
    if (byColumn && byColumn.kind === 'fk') {
      column = p;
      kind = 'fk';
      i++;
      break;
    }
    const rev = db.schema.reverse(current.name, p);
    if (rev) {
      const source = db.table(rev.from);
      steps.push({ kind: 'rev', rev, source });
      current = source;
      if (nextIsRelPath) continue;
      column = 'pk';
      kind = 'int';
      i++;
      break;
    }
    throw new SimError(
      `Cannot resolve keyword '${p}' into field. Choices are: ${db.schema.choices(current.name).join(', ')}`,
    );
  }
  if (column === null) throw new SimError(`Cannot resolve keyword '${key}' into field.`);
  const rest = parts.slice(i);
  if (rest.length > 1) throw unsupported(rest.join('__'), kind);
  const op = rest[0] ?? 'exact';
  if (!OPS.has(op)) throw unsupported(op, kind);
  return { key, steps, column, kind, op, arg: coerceArg(op, kind, column, raw) };
}

function coerceArg(op: string, kind: Kind, column: string, raw: unknown): Lookup['arg'] {
  const one = (v: unknown) => coerceLookup(kind, v, column);
  // Text lookups compare with the text form whatever the field kind.
  const text = (v: unknown) => coerceLookup('str', v, column);
  switch (op) {
    case 'isnull':
      return Boolean(raw);
    case 'in':
      if (!Array.isArray(raw)) throw new SimError(`'${column}__in' expects a list, got ${JSON.stringify(raw)}`);
      return raw.map(one);
    case 'range':
      if (!Array.isArray(raw) || raw.length !== 2)
        throw new SimError(`'${column}__range' expects a list of two values, got ${JSON.stringify(raw)}`);
      return [one(raw[0]), one(raw[1])];
    case 'contains':
    case 'icontains':
    case 'startswith':
    case 'istartswith':
    case 'endswith':
    case 'iendswith':
    case 'iexact':
      return text(raw);
    default:
      return one(raw);
  }
}

/** The values a lookup reaches from one row (several through reverse relations; [null] when none). */
function reach(row: Row, steps: Step[], column: string): Value[] {
  let rows: Row[] = [row];
  for (const step of steps) {
    const next: Row[] = [];
    for (const r of rows) {
      if (step.kind === 'fk') {
        const id = r[columnOf(step.field)];
        const t = typeof id === 'number' ? step.target.get(id) : undefined;
        if (t) next.push(t);
      } else {
        next.push(...step.source.lookup(columnOf(step.rev.field), r.pk));
      }
    }
    rows = next;
    if (rows.length === 0) return [null]; // a LEFT JOIN that found nothing
  }
  return rows.map((r) => (column === 'pk' ? r.pk : (r[column] ?? null)));
}

function test(l: Lookup, v: Value): boolean {
  const cmp = (b: Value) => compareValues(l.kind, v, b);
  const arg = l.arg;
  switch (l.op) {
    case 'isnull':
      return (v === null) === arg;
    case 'exact':
      return arg === null ? v === null : cmp(arg as Value) === 0;
    case 'in':
      return (arg as Value[]).some((a) => a !== null && cmp(a) === 0);
    case 'range': {
      const [lo, hi] = arg as Value[];
      const a = cmp(lo ?? null);
      const b = cmp(hi ?? null);
      return a !== null && b !== null && a >= 0 && b <= 0;
    }
    case 'gt': {
      const c = cmp(arg as Value);
      return c !== null && c > 0;
    }
    case 'gte': {
      const c = cmp(arg as Value);
      return c !== null && c >= 0;
    }
    case 'lt': {
      const c = cmp(arg as Value);
      return c !== null && c < 0;
    }
    case 'lte': {
      const c = cmp(arg as Value);
      return c !== null && c <= 0;
    }
  }
  if (v === null) return false;
  const s = String(v);
  const a = String(arg);
  switch (l.op) {
    case 'iexact':
      return s.toLowerCase() === a.toLowerCase();
    case 'contains':
      return s.includes(a);
    case 'icontains':
      return s.toLowerCase().includes(a.toLowerCase());
    case 'startswith':
      return s.startsWith(a);
    case 'istartswith':
      return s.toLowerCase().startsWith(a.toLowerCase());
    case 'endswith':
      return s.endsWith(a);
    case 'iendswith':
      return s.toLowerCase().endsWith(a.toLowerCase());
  }
  return false;
}

export function matches(row: Row, l: Lookup): boolean {
  return reach(row, l.steps, l.column).some((v) => test(l, v));
}

/** Equality keys of an indexable lookup, or null when it cannot narrow by index. */
function keysOf(l: Lookup): Value[] | null {
  if (l.op === 'exact' && l.arg !== null) return [l.arg as Value];
  if (l.op === 'in') return (l.arg as Value[]).filter((v) => v !== null);
  return null;
}

/** Candidate rows from an index, when one lookup allows it; null means scan everything. */
function candidates(table: Table, lookups: Lookup[]): Row[] | null {
  for (const l of lookups) {
    const keys = keysOf(l);
    if (!keys) continue;
    let out: Row[] | null = null;
    if (l.steps.length === 0 && l.column === 'pk') {
      out = keys.map((k) => (typeof k === 'number' ? table.get(k) : undefined)).filter((r): r is Row => !!r);
    } else if (l.steps.length === 0 && table.isIndexed(l.column)) {
      out = keys.flatMap((k) => table.lookup(l.column, k));
    } else if (l.steps.length === 1 && l.steps[0]!.kind === 'fk' && l.column !== 'pk' && l.steps[0]!.target.isIndexed(l.column)) {
      // `abonent__parent_id=40`: the Abonents rows with that parent, then the rows pointing at them.
      const step = l.steps[0]!;
      const col = columnOf(step.field);
      if (table.isIndexed(col)) {
        out = keys.flatMap((k) => step.target.lookup(l.column, k)).flatMap((target) => table.lookup(col, target.pk));
        out = [...new Set(out)].sort((a, b) => a.seq - b.seq);
      }
    } else if (l.steps.length === 1 && l.column === 'pk') {
      const step = l.steps[0]!;
      if (step.kind === 'fk' && table.isIndexed(columnOf(step.field))) {
        // `tarif__pk=7` is `tarif_id=7`.
        out = keys.flatMap((k) => table.lookup(columnOf(step.field), k));
      } else if (step.kind === 'rev') {
        // `account_id_abonents=42`: the Abonents row 42, then the account it points at.
        const col = columnOf(step.rev.field);
        out = [];
        for (const k of keys) {
          const src = typeof k === 'number' ? step.source.get(k) : undefined;
          const id = src?.[col];
          const target = typeof id === 'number' ? table.get(id) : undefined;
          if (target) out.push(target);
        }
      }
    }
    if (out) {
      if (keys.length > 1 || (l.steps.length === 1 && l.steps[0]!.kind === 'rev')) {
        out = [...new Set(out)].sort((a, b) => a.seq - b.seq);
      }
      return out;
    }
  }
  return null;
}

export function resolveKwargs(db: Database, table: Table, kwargs: Record<string, unknown>): Lookup[] {
  return Object.entries(kwargs).map(([k, v]) => resolveLookup(db, table, k, v));
}

/** filter(**kwargs) over `rows` (or the whole table when rows is null). */
export function filterRows(
  db: Database,
  table: Table,
  rows: readonly Row[] | null,
  kwargs: Record<string, unknown>,
  negate = false,
): Row[] {
  const lookups = resolveKwargs(db, table, kwargs);
  if (lookups.length === 0) return [...(rows ?? table.rows)];
  const pred = (r: Row) => lookups.every((l) => matches(r, l)) !== negate;
  if (rows === null && !negate) {
    const cand = candidates(table, lookups);
    if (cand) return cand.filter(pred);
  }
  return (rows ?? table.rows).filter(pred);
}
