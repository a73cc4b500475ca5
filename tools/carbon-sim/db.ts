// In-memory tables with equality indexes, so per-subscriber calls stay O(1)-ish at 100,000 subscribers.
import { columnOf, Schema, type FieldDef, type ModelDef, type Value } from './models.js';
import { normalizeStored } from './values.js';

/** One stored row: `pk`, an insertion sequence, and one cell per column (fks as `<name>_id`). */
export type Row = { readonly pk: number; readonly seq: number } & { [column: string]: Value };

export type RowInput = { pk?: number } & Record<string, unknown>;

export class Table {
  /** Storage order = the order unordered Django querysets come back in. */
  readonly rows: Row[] = [];
  readonly byPk = new Map<number, Row>();
  /** Equality indexes, built on first use (generation stays fast), then kept up to date. */
  private readonly indexes = new Map<string, Map<Value, Row[]> | null>();
  private readonly columns = new Map<string, FieldDef>();
  private seq = 0;
  private maxPk = 0;
  /** Builds rows with one fixed shape: [pk, seq, ...columns in definition order]. */
  private readonly makeRow: (values: Value[]) => Row;
  /** For each column, the key it is read from in a full-shape input row (its name before a rename). */
  private readonly sourceKeys: string[];
  /** Input keys (old names, fk names, columns) → the column they fill. */
  private readonly keyToColumn = new Map<string, string>();

  /** `renamedFrom`: a renamed field's new name → its name in the full shape. */
  constructor(readonly def: ModelDef, renamedFrom: ReadonlyMap<string, string> = new Map()) {
    this.sourceKeys = [];
    for (const field of def.fields) {
      const column = columnOf(field);
      this.columns.set(column, field);
      if (field.kind === 'fk') this.indexes.set(column, null);
      const original = renamedFrom.get(field.name) ?? field.name;
      const source = field.kind === 'fk' ? `${original}_id` : original;
      this.sourceKeys.push(source);
      for (const key of [column, field.name, source, original]) this.keyToColumn.set(key, column);
    }
    for (const c of def.indexed ?? []) this.indexes.set(c, null);
    const keys = ['pk', 'seq', ...this.columns.keys()];
    this.makeRow = new Function('v', `return {${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')}};`) as (
      values: Value[],
    ) => Row;
  }

  get name(): string {
    return this.def.name;
  }

  /** The field stored under a column name (`tarif_id` → the `tarif` fk). */
  fieldOfColumn(column: string): FieldDef | undefined {
    return this.columns.get(column);
  }

  nextPk(): number {
    return this.maxPk + 1;
  }

  /**
   * Insert a row. Keys may be column names (`tarif_id`) or fk names (`tarif`); missing columns
   * get their kind's empty value. Values are normalised (see normalizeStored).
   */
  insert(input: RowInput): Row {
    for (const key of Object.keys(input)) {
      if (key !== 'pk' && !this.columns.has(key) && !this.def.fields.some((x) => x.name === key)) {
        throw new Error(`${this.name}: unknown column ${key}`);
      }
    }
    const values: Value[] = [input.pk ?? this.nextPk(), 0];
    for (const field of this.def.fields) {
      const col = columnOf(field);
      values.push(normalizeStored(field.kind, col in input ? input[col] : input[field.name]));
    }
    return this.store(this.makeRow(values));
  }

  /**
   * Insert a row given in the full shape (every profile's columns, old names): columns this
   * profile lacks are dropped, renamed ones follow their new name. Values are normalised.
   */
  insertShaped(input: RowInput): Row {
    const values: Value[] = [input.pk ?? this.nextPk(), 0];
    this.def.fields.forEach((field, i) => {
      const key = this.sourceKeys[i]!;
      const raw = key in input ? input[key] : field.kind === 'fk' && field.name in input ? input[field.name] : input[columnOf(field)];
      values.push(normalizeStored(field.kind, raw));
    });
    return this.store(this.makeRow(values));
  }

  /**
   * Fast path for generated data in the full shape: values already normalised; columns this
   * profile lacks are dropped, missing ones get their kind's empty value.
   */
  insertPicked(row: Record<string, Value>): Row {
    const values: Value[] = [row.pk as number, 0];
    for (let i = 0; i < this.sourceKeys.length; i++) {
      const v = row[this.sourceKeys[i]!];
      values.push(v === undefined ? (this.def.fields[i]!.kind === 'str' ? '' : null) : v);
    }
    return this.store(this.makeRow(values));
  }

  /** The column an input key fills (`tarif`, `tarif_id`, an old name of a renamed field). */
  columnFor(key: string): string | undefined {
    return this.keyToColumn.get(key);
  }

  private store(r: Row): Row {
    const pk = r.pk;
    if (this.byPk.has(pk)) throw new Error(`${this.name}: duplicate pk ${pk}`);
    (r as { seq: number }).seq = this.seq++;
    this.rows.push(r);
    this.byPk.set(pk, r);
    if (pk > this.maxPk) this.maxPk = pk;
    for (const [col, index] of this.indexes) if (index) addTo(index, r[col] ?? null, r);
    return r;
  }

  get(pk: number): Row | undefined {
    return this.byPk.get(pk);
  }

  isIndexed(column: string): boolean {
    return this.indexes.has(column);
  }

  /** Rows whose indexed column equals value, in storage order. */
  lookup(column: string, value: Value): readonly Row[] {
    return this.index(column)?.get(value) ?? [];
  }

  private index(column: string): Map<Value, Row[]> | undefined {
    const existing = this.indexes.get(column);
    if (existing !== null) return existing;
    const index = new Map<Value, Row[]>();
    for (const r of this.rows) {
      const key = r[column] ?? null;
      const bucket = index.get(key);
      if (bucket) bucket.push(r);
      else index.set(key, [r]);
    }
    this.indexes.set(column, index);
    return index;
  }

  /** Change one cell, by column (`balance`, `tarif_id`) or fk name (`tarif`). */
  set(pk: number, fieldOrColumn: string, value: unknown): Row {
    const row = this.byPk.get(pk);
    if (!row) throw new Error(`${this.name}: no row with pk ${pk}`);
    const mapped = this.keyToColumn.get(fieldOrColumn) ?? fieldOrColumn;
    const field = this.columns.get(mapped) ?? this.def.fields.find((x) => x.name === fieldOrColumn);
    if (!field) throw new Error(`${this.name}: unknown field ${fieldOrColumn}`);
    const col = columnOf(field);
    const next = normalizeStored(field.kind, value);
    const index = this.indexes.get(col);
    if (index) removeFrom(index, row[col] ?? null, row);
    (row as Record<string, Value>)[col] = next;
    if (index) addTo(index, next, row);
    return row;
  }

  remove(pk: number): boolean {
    const row = this.byPk.get(pk);
    if (!row) return false;
    this.byPk.delete(pk);
    const i = this.rows.indexOf(row);
    if (i >= 0) this.rows.splice(i, 1);
    for (const [col, index] of this.indexes) if (index) removeFrom(index, row[col] ?? null, row);
    return true;
  }
}

function addTo(index: Map<Value, Row[]>, key: Value, row: Row): void {
  const bucket = index.get(key);
  if (bucket) {
    // Keep buckets in storage order even when a cell changes later.
    if (bucket.length === 0 || bucket[bucket.length - 1]!.seq < row.seq) bucket.push(row);
    else {
      let i = bucket.length;
      while (i > 0 && bucket[i - 1]!.seq > row.seq) i--;
      bucket.splice(i, 0, row);
    }
  } else index.set(key, [row]);
}

function removeFrom(index: Map<Value, Row[]>, key: Value, row: Row): void {
  const bucket = index.get(key);
  if (!bucket) return;
  const i = bucket.indexOf(row);
  if (i >= 0) bucket.splice(i, 1);
  if (bucket.length === 0) index.delete(key);
}

export class Database {
  readonly tables = new Map<string, Table>();

  /** `renamedFrom`: per model, a renamed field's new name → its name in the full shape. */
  constructor(readonly schema: Schema = new Schema(), renamedFrom: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map()) {
    for (const m of schema.models) this.tables.set(m.name, new Table(m, renamedFrom.get(m.name)));
  }

  /** Case-insensitive model name → table. */
  find(model: string): Table | undefined {
    const def = this.schema.find(model);
    return def ? this.tables.get(def.name) : undefined;
  }

  table(model: string): Table {
    const t = this.find(model);
    if (!t) throw new Error(`no model ${model}`);
    return t;
  }
}
