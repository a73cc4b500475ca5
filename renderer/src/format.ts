// Dates, durations and log fields as people read them, in the chosen language (Intl does the
// grammar: "5 минут назад", "5 minutes ago").
import type { Lang } from './i18n.ts';

const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB' };

export function dateTime(iso: string | null, lang: Lang): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(LOCALE[lang], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function timeOnly(iso: string, lang: Lang): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(LOCALE[lang]);
}

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [['day', 86_400], ['hour', 3_600], ['minute', 60], ['second', 1]];

/** "3 minutes ago" / "in 20 seconds". */
export function relative(iso: string | null, lang: Lang, now = Date.now()): string {
  if (iso === null) return '—';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const format = new Intl.RelativeTimeFormat(LOCALE[lang], { numeric: 'auto' });
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size || unit === 'second') return format.format(Math.trunc(seconds / size), unit);
  }
  return iso;
}

function unit(value: number, name: string, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
}

/** 850 ms, 1.2 s, 3 min. */
export function duration(ms: number, lang: Lang): string {
  if (ms < 1000) return unit(Math.round(ms), 'millisecond', lang);
  if (ms < 60_000) return unit(ms / 1000, 'second', lang, 1);
  return age(ms / 1000, lang);
}

/** 45 s, 3 min, 2 h 5 min, 3 d 4 h. */
export function age(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return unit(s, 'second', lang);
  if (s < 3_600) return unit(Math.floor(s / 60), 'minute', lang);
  if (s < 86_400) return `${unit(Math.floor(s / 3_600), 'hour', lang)} ${unit(Math.floor((s % 3_600) / 60), 'minute', lang)}`;
  return `${unit(Math.floor(s / 86_400), 'day', lang)} ${unit(Math.floor((s % 86_400) / 3_600), 'hour', lang)}`;
}

export function number(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang]).format(value);
}

/** A log line's fields as "name: value" pairs (nested objects as dotted names), never raw JSON. */
export function fieldPairs(fields: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(fields)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      pairs.push(...fieldPairs(value as Record<string, unknown>, name));
    } else if (Array.isArray(value)) {
      pairs.push([name, value.map((v) => (typeof v === 'object' && v !== null ? fieldPairs(v as Record<string, unknown>).map(([k, x]) => `${k}=${x}`).join(' ') : String(v))).join(', ')]);
    } else {
      pairs.push([name, value === null || value === undefined ? '—' : String(value)]);
    }
  }
  return pairs.map(([k, v]) => [k, v.length > 400 ? `${v.slice(0, 400)}…` : v]);
}
