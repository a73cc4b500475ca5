// Admin operations that change the demo billing, so people and tests can watch a change reach
// core. They refuse with a clear message when the agent reads a real billing.
import type { AdminHandlers, DemoContractState } from '../../shared/admin.js';
import type { Contract } from '../../shared/data-provider.js';
import { DemoBilling } from '../billing/demo/index.js';
import { unwrapBilling } from '../billing/guard.js';
import { rublesToKopecks } from '../billing/money.js';
import type { BillingSource } from '../billing/source.js';
import { AdminOpError } from './errors.js';

type DemoOps = 'demo.pay' | 'demo.charge' | 'demo.setTariff' | 'demo.setBlock';

export interface DemoHandlerContext {
  billing: () => BillingSource;
  /** Called after each change: the agent scans shortly after, so the change reaches core in seconds. */
  changed?: () => void;
}

export function createDemoHandlers(ctx: DemoHandlerContext): Pick<AdminHandlers, DemoOps> {
  const demo = (): DemoBilling => {
    const billing = unwrapBilling(ctx.billing());
    if (!(billing instanceof DemoBilling)) {
      throw new AdminOpError(409, `demo operations work only with the demo billing; this agent reads the ${billing.kind} billing (billing.kind in the settings)`);
    }
    return billing;
  };
  const change = (what: string, run: (billing: DemoBilling) => Contract): DemoContractState => {
    const contract = run(demo());
    ctx.changed?.();
    return {
      ext_id: contract.ext_id,
      account: contract.account,
      balance: contract.balance,
      state: contract.state,
      tariffs: contract.tariffs.map((t) => t.id),
      forcedBlock: contract.settings.some((s) => s.name === 'services_suspended_pending_payment'),
      message: `${what}; contract ${contract.ext_id} balance is now ${formatRubles(contract.balance)}. Core is told by the next scan.`,
    };
  };
  const kopecks = (rubles: number | string): number => {
    const value = rublesToKopecks(rubles);
    if (value === null || value <= 0) throw new AdminOpError(400, `"${rubles}" is not a positive amount of rubles (examples: 500, 390.67, 12,50)`);
    return value;
  };
  return {
    'demo.pay': async ({ contractId, rubles }) => {
      const amount = kopecks(rubles);
      return change(`paid ${formatRubles(amount)}`, (b) => b.pay(contractId, amount));
    },
    'demo.charge': async ({ contractId, rubles, description }) => {
      const amount = kopecks(rubles);
      return change(`charged ${formatRubles(amount)} ("${description}")`, (b) => b.charge(contractId, amount, description));
    },
    'demo.setTariff': async ({ contractId, tariffId }) => change(`tariff set to ${tariffId}`, (b) => b.setTariff(contractId, tariffId)),
    'demo.setBlock': async ({ contractId, blocked }) => change(blocked ? 'forced block switched on' : 'forced block switched off', (b) => b.setForcedBlock(contractId, blocked)),
  };
}

function formatRubles(kopecks: number): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(kopecks);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} RUB`;
}
