// Value conversions: what gets stored, how lookup arguments are coerced (Django's get_prep_value),
// and the exact wire formats of money, dates and flags.
import type { Kind, Value } from './models.js';

/** A call that Carbon answers with `{"error": ...}`. */
export class SimError extends Error {}

/** Exact decimal → integer kopecks; null when the text is not a decimal (never via floats). */
export function moneyToCents(v: unknown): number | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return moneyToCents(v.toFixed(6));
  }
  if (typeof v !== 'string') return null;
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(v);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  // numeric(15,2) rounds half away from zero beyond two decimals.
  let cents = Number(int || '0') * 100 + Number((frac + '00').slice(0, 2));
  if (Number((frac + '000').charAt(2)) >= 5) cents += 1;
  if (!Number.isSafeInteger(cents)) return null;
  return m[1] === '-' ? -cents : cents;
}

export function centsToMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local-time date, as the billing server writes them. */
export function fmtDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

export function fmtDateTime(d: Date): string {
  return `${fmtDate(d)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function validYmd(y: string, mo: string, d: string): string | null {
  const yy = Number(y);
  const mm = Number(mo);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1) return null;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  if (dd > last) return null;
  return `${y}-${pad2(mm)}-${pad2(dd)}`;
}

/** Django DateField.to_python: only `YYYY-M-D`; a datetime string is an error there too. */
export function parseDate(s: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s.trim());
  return m ? validYmd(m[1]!, m[2]!, m[3]!) : null;
}

/** Django DateTimeField: `YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]`; a bare date means midnight. */
export function parseDateTime(s: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d{1,6})?)?)?$/.exec(s.trim());
  if (!m) return null;
  const date = validYmd(m[1]!, m[2]!, m[3]!);
  if (!date) return null;
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const se = Number(m[6] ?? 0);
  if (h > 23 || mi > 59 || se > 59) return null;
  return `${date} ${pad2(h)}:${pad2(mi)}:${pad2(se)}`;
}

const pyRepr = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

function toInt(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return null;
}

/**
 * Coerce a lookup argument to the stored form of `kind`, or throw the error Django would raise.
 * null stays null (Django turns `field=None` into `isnull`).
 */
export function coerceLookup(kind: Kind, v: unknown, column: string): Value {
  if (v === null) return null;
  switch (kind) {
    case 'int':
    case 'bit':
    case 'fk': {
      const n = toInt(v);
      if (n === null) throw new SimError(`invalid literal for int() with base 10: ${pyRepr(v)}`);
      return n;
    }
    case 'flag':
    case 'str':
      if (typeof v === 'object') throw new SimError(`Field '${column}' expected a string but got ${JSON.stringify(v)}.`);
      if (typeof v === 'boolean') return v ? 'True' : 'False';
      return String(v);
    case 'money': {
      const c = moneyToCents(v);
      if (c === null) throw new SimError(`${pyRepr(v)} value must be a decimal number.`);
      return centsToMoney(c);
    }
    case 'date': {
      const d = typeof v === 'string' ? parseDate(v) : null;
      if (d === null) throw new SimError(`${pyRepr(v)} value has an invalid date format. It must be in YYYY-MM-DD format.`);
      return d;
    }
    case 'datetime': {
      const d = typeof v === 'string' ? parseDateTime(v) : null;
      if (d === null)
        throw new SimError(
          `${pyRepr(v)} value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.`,
        );
      return d;
    }
  }
}

/**
 * What a mutator or fixture stores. Parseable input is normalised to the wire format;
 * anything else is kept raw on purpose, so tests can plant malformed data ("12,50", "abc").
 */
export function normalizeStored(kind: Kind, v: unknown): Value {
  if (v === null || v === undefined) return kind === 'str' ? '' : null;
  switch (kind) {
    case 'int':
    case 'bit':
    case 'fk': {
      const n = toInt(v);
      return n ?? String(v);
    }
    case 'flag':
      if (typeof v === 'boolean') return v ? '1' : '0';
      return String(v);
    case 'str':
      return String(v);
    case 'money': {
      const c = moneyToCents(v);
      return c === null ? String(v) : centsToMoney(c);
    }
    case 'date':
      if (v instanceof Date) return fmtDate(v);
      return typeof v === 'string' ? (parseDate(v) ?? v) : String(v);
    case 'datetime':
      if (v instanceof Date) return fmtDateTime(v);
      return typeof v === 'string' ? (parseDateTime(v) ?? v) : String(v);
  }
}

/** Order of two stored values of one kind; null when incomparable (null or malformed). */
export function compareValues(kind: Kind, a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (kind === 'money') {
    const x = moneyToCents(a);
    const y = moneyToCents(b);
    if (x === null || y === null) return null;
    return x - y;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a !== typeof b) return null;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
