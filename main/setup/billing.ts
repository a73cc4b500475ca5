// The billing behind its guard (time limit, concurrency, single-flight, metrics). A change of
// billing.* or phones.* (which the adapters apply) builds a new adapter and puts it behind the
// same guard: requests already made finish on the old one.
import type { CheckItem } from '../../shared/admin.js';
import type { SettingsPatch } from '../../shared/settings.js';
import { createBilling } from '../billing/create.js';
import { BillingCalls } from '../billing/calls.js';
import { GuardedBilling } from '../billing/guard.js';
import type { BillingSource } from '../billing/source.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';
import type { SecretStore } from '../secrets/store.js';
import { touches, type SettingsStore } from '../settings/settings-store.js';
import type { Lifecycle } from './lifecycle.js';

export interface BillingDeps {
  store: SettingsStore;
  secrets: SecretStore;
  log: Logger;
  metrics: Metrics;
  /** A billing that stays whatever the settings say (tests). */
  fixed?: BillingSource;
}

export async function setupBilling(d: BillingDeps, life: Lifecycle): Promise<GuardedBilling> {
  const calls = new BillingCalls();
  d.metrics.readBillingCalls(() => calls.total());
  const billing = new GuardedBilling(d.fixed ?? (await createBilling(d.store.current(), d.secrets, d.log, calls)), { metrics: d.metrics, calls });
  life.add('billing', () => billing.close());
  if (!d.fixed) {
    d.store.subscribe(async (change) => {
      if (touches(change, 'billing', 'phones')) billing.replace(await createBilling(change.after, d.secrets, d.log, calls));
    });
  }
  return billing;
}

/** Builds a billing from candidate settings, checks it and closes it; the running one is not touched. */
export function trialBilling(d: Omit<BillingDeps, 'metrics' | 'fixed'>) {
  return async (candidate: NonNullable<SettingsPatch['billing']>): Promise<CheckItem[]> => {
    const trial = await createBilling(d.store.preview({ billing: candidate }), d.secrets, d.log);
    try {
      return await trial.check();
    } finally {
      await trial.close();
    }
  };
}
