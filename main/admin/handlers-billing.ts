// Admin operations of the billing's field map: read it against the live billing, and write the
// map it proposes into the settings (through the same settings update as the settings screen).
import type { AdminHandlers } from '../../shared/admin.js';
import type { BillingSource } from '../billing/source.js';
import { AdminOpError } from './errors.js';

type BillingOps = 'billing.fieldMap' | 'billing.fixFieldMap';

const TEXT = {
  noMap: (kind: string) => `the ${kind} billing has no field map to check`,
  fits: 'The field map fits this billing: nothing to change.',
  cannotFix: (problems: string[]) => `Nothing was written: no field of this billing fits (${problems.join('; ')}). Set the fields by hand.`,
  written: (n: number, restart: string[]) => `Wrote ${n} field${n === 1 ? '' : 's'} of the map.${restart.length > 0 ? ' Restart the agent to use it.' : ''}`,
} as const;

export function createBillingHandlers(
  billing: () => BillingSource,
  update: AdminHandlers['settings.update'],
): Pick<AdminHandlers, BillingOps> {
  const report = () => {
    const b = billing();
    if (!b.fieldMap) throw new AdminOpError(409, TEXT.noMap(b.kind));
    return b.fieldMap();
  };
  return {
    'billing.fieldMap': () => report(),
    'billing.fixFieldMap': async () => {
      const found = await report();
      if (!found.fix) {
        const message = found.problems.length > 0 ? TEXT.cannotFix(found.problems) : TEXT.fits;
        return { report: found, changed: [], restartNeeded: [], message };
      }
      const saved = await update({ patch: found.fix.patch });
      const changed = found.fix.changes.map((c) => `${c.setting}: ${c.from} → ${c.to === '' ? '(off)' : c.to}`);
      return { report: found, changed, restartNeeded: saved.restartNeeded, message: TEXT.written(changed.length, saved.restartNeeded) };
    },
  };
}
