// Whom the self-test asks about: a random few of the subscribers the last scan recorded, or,
// before the first scan, the first few the billing lists.
import type { BillingSource } from '../billing/source.js';
import type { Fingerprints } from '../state/index.js';

export async function sampleUserIds(fingerprints: Fingerprints, billing: BillingSource, size: number): Promise<string[]> {
  const ids = fingerprints.sampleUserIds(size);
  if (ids.length > 0) return ids;
  const out: string[] = [];
  for await (const snap of billing.snapshot({ charges: 0 })) {
    out.push(snap.user.ext_user_id);
    if (out.length >= size) break;
  }
  return out;
}
