// The few settings the dashboard edits, read out of the settings document (settings.get answers
// the whole file as an untyped record) with the agent's defaults where a field is missing.

export type BillingKind = 'demo' | 'carbon';
export type PhoneFormat = 'national' | 'international';

export interface EditableSettings {
  billingKind: BillingKind;
  carbonUrl: string;
  carbonTimeoutMs: number;
  coreBaseUrl: string;
  coreLogin: string;
  syncIntervalSeconds: number;
  phoneFormat: PhoneFormat;
}

function at(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
const count = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

export function readSettings(doc: Record<string, unknown>): EditableSettings {
  return {
    billingKind: at(doc, 'billing.kind') === 'carbon' ? 'carbon' : 'demo',
    carbonUrl: text(at(doc, 'billing.carbon.url'), 'http://127.0.0.1:8082'),
    carbonTimeoutMs: count(at(doc, 'billing.carbon.timeoutMs'), 10_000),
    coreBaseUrl: text(at(doc, 'core.baseUrl'), ''),
    coreLogin: text(at(doc, 'core.login'), ''),
    syncIntervalSeconds: count(at(doc, 'sync.intervalSeconds'), 60),
    phoneFormat: at(doc, 'phones.format') === 'international' ? 'international' : 'national',
  };
}
