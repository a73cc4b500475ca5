// The spec's rules the self-test holds answers to, as small pure functions.
import type { z } from 'zod';
import type { Charge } from '../../shared/data-provider.js';

/** "ok", or the first problem of a schema check naming the field: "0.balance: expected int". */
export function schemaProblem(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'the answer';
  return `${where}: ${issue.message}`;
}

/** MM-YY → a number that grows with time. */
export function periodOrder(period: string): number {
  const [mm, yy] = period.split('-').map(Number);
  return (yy ?? 0) * 12 + (mm ?? 0);
}

/** The index of the first charge newer than the one before it, or -1 when newest first. */
export function firstOutOfOrder(charges: Charge[]): number {
  for (let i = 1; i < charges.length; i++) {
    if (periodOrder(charges[i]!.period) > periodOrder(charges[i - 1]!.period)) return i;
  }
  return -1;
}

/** Deep equality of JSON values, key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
