// The subscriber lookup on a Carbon that accepts contract numbers as logins: what a subscriber
// types to sign in finds them as a login, through the billing's own resolution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarbonBilling } from '../../main/billing/carbon/index.js';
import { CarbonSettings } from '../../shared/carbon-settings.js';
import { createCarbonSim, FIXTURE, type CarbonSim } from '../../tools/carbon-sim/index.js';
import { startExplainHarness, type ExplainHarness } from '../explain/harness.js';

const NOW = new Date(2026, 10, 23, 12);
let sim: CarbonSim;
let billing: CarbonBilling;
let h: ExplainHarness;

beforeAll(async () => {
  sim = createCarbonSim({ now: () => new Date(NOW) });
  const { url } = await sim.listen(0, '127.0.0.1');
  billing = new CarbonBilling({ settings: CarbonSettings.parse({ url, loginBy: ['login', 'contract_number'] }), now: () => new Date(NOW) });
  h = await startExplainHarness({ billing });
  await h.scan();
});

afterAll(async () => {
  await h.close();
  await billing.close();
  await sim.close();
});

describe('lookup by what the subscriber signs in with', () => {
  it('a contract number matches as the login it signs in as, and as the account', async () => {
    const found = await h.explain.lookup(FIXTURE.healthy.contractNumber);
    expect(found.state).toBe('found');
    expect(found.matches).toEqual([{ userId: String(FIXTURE.healthy.pk), by: expect.arrayContaining(['login', 'account']), contracts: [String(FIXTURE.healthy.pk)] }]);
  });

  it('a text that names nobody still finds nobody', async () => {
    expect((await h.explain.lookup('74-99999')).state).toBe('none');
  });
});
