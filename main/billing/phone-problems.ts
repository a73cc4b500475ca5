// Whether a phone field as typed holds something that is not a phone number, for the sync report.
// splitPhones already drops such pieces from what core gets; this only says that it did.
import type { SplitPhones } from './phones.js';

/**
 * true when a piece looked like a number but is not one ("12-34"), or when the field holds text
 * and no number at all ("не указан"). An empty field is "no phone", not this.
 */
export function phoneFieldUnparseable(field: string | null | undefined, split: SplitPhones): boolean {
  return split.rejected.length > 0 || (split.numbers.length === 0 && /[\p{L}\p{N}]/u.test(field ?? ''));
}
