// Builds the billing adapter the settings name.
import type { Settings } from '../settings/schema.js';
import type { SecretStore } from '../secrets/store.js';
import type { BillingSource } from './source.js';
import { DemoBilling } from './demo/index.js';

export async function createBilling(settings: Settings, _secrets: SecretStore): Promise<BillingSource> {
  const phone = { format: settings.phones.format, defaultCountry: settings.phones.defaultCountry };
  switch (settings.billing.kind) {
    case 'demo':
      return new DemoBilling({ phone, synthetic: settings.billing.demo.synthetic, seed: settings.billing.demo.seed });
    case 'carbon':
      throw new Error('the carbon billing adapter is not built yet');
  }
}
