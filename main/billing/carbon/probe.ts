// `billing-bridge check`: are the inferred field names (settings) real on this Carbon? One call
// per model names every inferred field twice: as `<field>__isnull` lookups (Django resolves lookup
// names when the query is built, so an unknown one fails even on an empty result) and in `fields`.
// `pk__in: []` keeps the answer empty. An unknown name comes back as an error that quotes it.
import type { CheckItem } from '../source.js';
import { CarbonAnswerError, type CarbonClient } from './client.js';
import type { CarbonSettings } from '../../../shared/carbon-settings.js';

interface Probe {
  model: string;
  /** Setting path → the field it names. */
  fields: Array<{ setting: string; path: string }>;
}

export function probesOf(s: CarbonSettings): Probe[] {
  const p = 'billing.carbon.';
  const list: Probe[] = [
    {
      model: 'Abonents',
      fields: [
        { setting: `${p}fields.balance`, path: s.fields.balance },
        { setting: `${p}fields.address`, path: s.fields.address },
        { setting: `${p}fields.houseNumber`, path: s.fields.houseNumber },
        { setting: `${p}fields.buildingCode`, path: s.fields.buildingCode },
        { setting: `${p}fields.flat`, path: s.fields.flat },
        { setting: `${p}disabled.field`, path: s.disabled.field },
        { setting: `${p}deleted.field`, path: s.deleted.field },
        { setting: `${p}adminBlock.field`, path: s.adminBlock.field },
      ],
    },
    { model: 'Users', fields: [{ setting: `${p}fields.password`, path: s.fields.password }] },
    { model: 'Tarif', fields: [{ setting: `${p}fields.tariffPrice`, path: s.fields.tariffPrice }] },
    { model: 'Usluga', fields: [{ setting: `${p}fields.servicePrice`, path: s.fields.servicePrice }] },
    {
      model: 'FinanceOperations',
      fields: [
        { setting: `${p}fields.chargeDescription`, path: s.fields.chargeDescription },
        ...(s.charges.rule === 'type' ? [{ setting: `${p}charges.typeField`, path: s.charges.typeField }] : []),
      ],
    },
  ];
  return list.map((probe) => ({ ...probe, fields: probe.fields.filter((f) => f.path !== '') }));
}

/** Which settings an "unknown field" error blames: those whose path contains a quoted name. */
export function blame(message: string, fields: Probe['fields']): Probe['fields'] {
  const quoted = [...message.matchAll(/'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!);
  return fields.filter((f) => f.path.split('__').some((part) => quoted.includes(part)) || quoted.includes(f.path));
}

export async function probeFields(client: CarbonClient, s: CarbonSettings): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  for (const probe of probesOf(s)) {
    const name = `Carbon fields of ${probe.model}`;
    if (probe.fields.length === 0) continue;
    const paths = probe.fields.map((f) => f.path);
    const arg: Record<string, unknown> = { pk__in: [] };
    for (const path of paths) arg[`${path}__isnull`] = false;
    try {
      await client.rows({ model: probe.model, calls: [{ method: 'objects.filter', arg }], fields: paths });
      items.push({ name, ok: true, detail: `${paths.join(', ')} present` });
    } catch (err) {
      if (err instanceof CarbonAnswerError && err.kind === 'unknown-field') {
        const culprits = blame(err.carbonMessage, probe.fields);
        const choices = /Choices are: (.*)$/s.exec(err.carbonMessage)?.[1];
        const detail = culprits.length > 0
          ? culprits.map((f) => `Carbon has no field ${f.path}: change the setting ${f.setting} to this Carbon's field name`).join('; ')
          : `Carbon does not know a field: ${err.carbonMessage.slice(0, 200)}`;
        items.push({ name, ok: false, detail: choices ? `${detail} (Carbon's fields there: ${choices.slice(0, 300)})` : detail });
      } else {
        items.push({ name, ok: false, detail: (err as Error).message });
      }
    }
  }
  return items;
}
