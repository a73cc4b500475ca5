// GET /readyz: the billing answers its check, its field map fits, and the database takes a new row.
import type { CheckItem } from '../../shared/admin.js';
import type { Readiness } from '../admin/server.js';
import type { BillingSource } from '../billing/source.js';
import type { State } from '../state/index.js';

const TEXT = { writable: 'writable: takes a new row' };

/** Probes polled every few seconds share one billing check for this long (for Carbon it costs several calls). */
const BILLING_CHECK_KEPT_MS = 15_000;

export function setupReadiness(d: { billing: BillingSource; state: State }): () => Promise<Readiness> {
  let billingCheck: { at: number; result: Promise<CheckItem> } | null = null;
  const checkBilling = (): Promise<CheckItem> => {
    if (!billingCheck || Date.now() - billingCheck.at > BILLING_CHECK_KEPT_MS) {
      billingCheck = {
        at: Date.now(),
        result: d.billing.check().then(
          (items) => ({ name: 'billing', ok: items.every((i) => i.ok || i.warnOnly === true), detail: items.map((i) => `${i.name}: ${i.detail}`).join('; ') }),
          (err: Error) => ({ name: 'billing', ok: false, detail: err.message }),
        ),
      };
    }
    return billingCheck.result;
  };
  // A new row, not an update in place: a full database still takes those (state/write.ts).
  const checkDatabase = (): CheckItem => {
    const health = d.state.probeWrites();
    return health.ok ? { name: 'database', ok: true, detail: TEXT.writable } : { name: 'database', ok: false, detail: health.message };
  };
  // A field map that does not fit is named as such, apart from reachability.
  const checkFieldMap = (): CheckItem[] => {
    const problems = d.billing.problems?.() ?? [];
    return problems.length > 0 ? [{ name: 'billing field map', ok: false, detail: problems.join('; ') }] : [];
  };
  return async () => {
    const checks = [await checkBilling(), ...checkFieldMap(), checkDatabase()];
    return { ready: checks.every((c) => c.ok), checks };
  };
}
