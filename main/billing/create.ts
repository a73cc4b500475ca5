// Builds the billing adapter the settings name.
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../../shared/settings.js';
import type { SecretStore } from '../secrets/store.js';
import type { BillingSource } from './source.js';
import type { BillingCalls } from './calls.js';
import { CarbonBilling } from './carbon/index.js';
import { DemoBilling } from './demo/index.js';

/** `calls`, when given, is told of every exchange with a billing server (the demo billing has none). */
export async function createBilling(settings: Settings, secrets: SecretStore, log?: Logger, calls?: BillingCalls): Promise<BillingSource> {
  const phone = { format: settings.phones.format, defaultCountry: settings.phones.defaultCountry };
  switch (settings.billing.kind) {
    case 'demo':
      return new DemoBilling({ phone, synthetic: settings.billing.demo.synthetic, seed: settings.billing.demo.seed });
    case 'carbon': {
      // The system_api password is read when a password check needs it, so a changed secret applies.
      const carbon = new CarbonBilling({ settings: settings.billing.carbon, phone, systemApiPassword: () => secrets.get('billing-password'), log: log?.child({ component: 'carbon' }), onCall: calls ? () => calls.count() : undefined });
      // The field map is checked against the live Carbon at start-up; an outage now is retried on first use.
      carbon.checkFieldMap().catch(() => undefined);
      return carbon;
    }
  }
}
