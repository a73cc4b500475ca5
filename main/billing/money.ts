// Rubles → kopecks by exact decimal parsing; floats never touch money (spec §2 of carbon-billing-5).

/**
 * Accepted: an optional sign, digits, optionally `.` and one or two decimals ("390.67", "-12.5",
 * "0", "+5.00"), as a string or a finite number. A comma decimal separator ("12,50") is accepted
 * because Russian software writes it so. Rejected (returns null): empty text, spaces or thousands
 * separators ("1 234.50"), more than two decimals, exponents, NaN/Infinity, values beyond
 * Number.MAX_SAFE_INTEGER kopecks. Negative zero becomes 0.
 */
export function rublesToKopecks(value: unknown): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // A JSON number like 390.67 is printed back the way it was written; exponent forms are refused below.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = /^([+-]?)(\d+)(?:[.,](\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const kopecks = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (kopecks > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const result = Number(kopecks);
  return sign === '-' && result !== 0 ? -result : result;
}
