// `billing-bridge check` and the dashboard: the field map against the live Carbon, one item per
// model (present, missing with the likely replacement, not used), and which setting an "unknown
// field" error blames when Carbon's own listing could not be read.
import type { CheckItem } from '../source.js';
import type { CarbonSettings } from '../../../shared/carbon-settings.js';
import { mappedFields, type CheckedField } from './fieldmap.js';
import type { LiveSchema } from './schema.js';

interface Probe {
  model: string;
  /** Setting path → the field it names. */
  fields: Array<{ setting: string; path: string }>;
}

/** The fields that are settings, grouped by the model their path starts on. */
export function probesOf(s: CarbonSettings): Probe[] {
  const byModel = new Map<string, Probe>();
  for (const f of mappedFields(s)) {
    if (f.setting === null) continue;
    const probe = byModel.get(f.model) ?? { model: f.model, fields: [] };
    probe.fields.push({ setting: `billing.carbon.${f.setting}`, path: f.path });
    byModel.set(f.model, probe);
  }
  return [...byModel.values()];
}

/** Which settings an "unknown field" error blames: those whose path contains a quoted name. */
export function blame(message: string, fields: Probe['fields']): Probe['fields'] {
  const quoted = [...message.matchAll(/'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!);
  return fields.filter((f) => f.path.split('__').some((part) => quoted.includes(part)) || quoted.includes(f.path));
}

const SOURCES: Record<LiveSchema['source'], string> = {
  listing: "Carbon's model listing (GET /rest_api/v2/)",
  errors: "Carbon's answers to a lookup no model has (Django's \"Choices are\")",
  'listing+errors': "Carbon's model listing and its answers to a lookup no model has",
  none: 'nothing: Carbon neither lists its models nor names their fields in errors, so the map is taken on trust',
};

export function schemaSource(schema: LiveSchema): string {
  return SOURCES[schema.source];
}

function describe(c: CheckedField): string {
  const name = c.setting ? `${c.path} (billing.carbon.${c.setting})` : c.path;
  const lacks = c.lacks && c.lacks.model !== c.model ? ` (${c.lacks.model} has no ${c.lacks.name})` : '';
  if (c.replacement === undefined) return `no field ${c.path}${lacks}: ${c.setting ? `change the setting billing.carbon.${c.setting} to this Carbon's field name` : 'this Carbon cannot serve it'}`;
  const to = c.replacement === '' ? 'empty' : c.replacement;
  return `no field ${c.path}${lacks}: change the setting billing.carbon.${c.setting} to ${to} (${c.because})` + (c.need === 'required' ? '' : `; until then ${name} is left out`);
}

/** One item per model: ok when every field it needs is present; missing ones named with their replacement. */
export function fieldItems(checked: CheckedField[]): CheckItem[] {
  const byModel = new Map<string, CheckedField[]>();
  for (const c of checked) byModel.set(c.model, [...(byModel.get(c.model) ?? []), c]);
  const items: CheckItem[] = [];
  for (const [model, list] of byModel) {
    const present = list.filter((c) => c.status === 'present').map((c) => c.path);
    const missing = list.filter((c) => c.status === 'missing' && c.need !== 'if-present');
    const skipped = list.filter((c) => c.status === 'missing' && c.need === 'if-present').map((c) => c.path);
    const unknown = list.filter((c) => c.status === 'unknown').map((c) => c.path);
    // Models read only where they exist, and models of fixed names that are all there, need no line.
    const settings = list.some((c) => c.setting !== null && c.need !== 'if-present');
    if (missing.length === 0 && unknown.length === 0 && (!settings || present.length === 0)) continue;
    const parts = [
      ...missing.map(describe),
      ...(present.length > 0 ? [`${present.join(', ')} present`] : []),
      ...(unknown.length > 0 ? [`${unknown.join(', ')} not checked (Carbon does not say where these paths lead)`] : []),
      ...(skipped.length > 0 ? [`${skipped.join(', ')} not on this Carbon (only older ones have them): not used`] : []),
    ];
    const ok = missing.length === 0;
    items.push({ name: `Carbon fields of ${model}`, ok, detail: parts.join('; '), ...(!ok && missing.every((c) => c.need !== 'required') && { warnOnly: true }) });
  }
  return items;
}
