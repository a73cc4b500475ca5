// Settings of the Carbon Billing 5 adapter. Field names the spec marks as inferred are settings
// with the spec's defaults (../shared/spec/carbon-billing-5.md §4), so a live system that differs
// is fixed by configuration, not code. README.md in this folder documents every one.
import { z } from 'zod';

/** A Carbon field name or an fk path (`home__name`), as used in `fields` and lookups. */
const FieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Carbon field name such as home__name');

/** A yes/no rule read from one field; an empty `field` switches the rule off. */
const FlagRule = (field: string, is: boolean) =>
  z.strictObject({
    field: z.union([z.literal(''), FieldPath]).default(field),
    /** The rule holds when the field reads as this value (1/"1"/true or 0/"0"/false). */
    is: z.boolean().default(is),
  }).prefault({});

const PlatformService = z.strictObject({
  id: z.string().min(1).max(128),
  name: z.string().min(1),
});

export const CarbonSettings = z.strictObject({
  /** REST API v2 root, e.g. http://10.0.0.5:8082 (the adapter appends /rest_api/v2/<Model>/). */
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address such as http://10.0.0.5:8082' }).default('http://127.0.0.1:8082'),
  /** One call answering one API request. */
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** The whole-table reads of change detection (Carbon's own client allows 30 s; tables are big). */
  bulkTimeoutMs: z.number().int().min(100).max(900_000).default(120_000),
  /** Carbon calls in flight at once; Carbon is a small server shared with the ISP's staff. */
  concurrency: z.number().int().min(1).max(32).default(4),
  /** How long the tariff and service catalogues are reused before Carbon is asked again. */
  catalogueTtlSeconds: z.number().int().min(0).max(3600).default(60),

  /** Field names the spec infers; `check` probes each one on the live system. */
  fields: z.strictObject({
    /** Tarif: monthly price in rubles. */
    tariffPrice: FieldPath.default('abonent_pay'),
    /** Usluga: monthly price in rubles. */
    servicePrice: FieldPath.default('cost'),
    /** Users: the cabinet password in clear text. */
    password: FieldPath.default('gen_pwd'),
    /** Abonents: the balance through the money account. */
    balance: FieldPath.default('account__balance'),
    /** Abonents: the home's address text, house number and FIAS/GAR id. */
    address: FieldPath.default('home__name'),
    houseNumber: FieldPath.default('home__number'),
    buildingCode: FieldPath.default('home__fias_guid'),
    /** Abonents: the flat. */
    flat: FieldPath.default('a_home_number'),
    /** FinanceOperations: the text shown as a charge's description. */
    chargeDescription: FieldPath.default('comment'),
  }).prefault({}),

  /** Subscriber disabled (→ state 3, user blocked): `enabled` is 0. */
  disabled: FlagRule('enabled', false),
  /** Subscriber deleted (→ state 4, user blocked): `deleted` is 1. */
  deleted: FlagRule('deleted', true),
  /** Administrative block (→ the forced-block entry in contract settings): `allow_internet` is 0. */
  adminBlock: FlagRule('allow_internet', false),

  charges: z.strictObject({
    /** History read for /api/charges and change detection, in calendar months including this one. */
    months: z.number().int().min(1).max(120).default(13),
    /** The bulk scan reads the window in parts of this many months (13 months → 5 calls at 3). */
    scanChunkMonths: z.number().int().min(1).max(120).default(3),
    /** `negative-amount`: op_summa < 0 is a charge; `type`: the type field is one of `types`. */
    rule: z.enum(['negative-amount', 'type']).default('negative-amount'),
    typeField: FieldPath.default('op_type'),
    types: z.array(z.union([z.number().int(), z.string()])).default([]),
    /** Description when the operation has no comment. */
    fallbackDescription: z.string().default('Списание'),
  }).prefault({}),

  /** The ISP's Russian region code (74 = Chelyabinsk oblast); null leaves `region` out. */
  regionCode: z.number().int().positive().nullable().default(74),
  /** Whether Carbon's phone numbers are verified ones. */
  phonesConfirmed: z.boolean().default(false),

  /** `check_pass` (REST v2) or `web_cabinet.login` through `webCabinetVia`. */
  passwordCheck: z.enum(['check_pass', 'web_cabinet.login']).default('check_pass'),
  /** system_api (context `systemApiContext`, password = the billing-password secret) or REST v2. */
  webCabinetVia: z.enum(['system_api', 'rest']).default('system_api'),
  systemApiContext: z.string().min(1).default('web'),

  /** The platform's services, served as /api/services. */
  services: z.array(PlatformService).min(1).default([
    { id: 'intercom', name: 'Домофон' },
    { id: 'video', name: 'Видеонаблюдение' },
  ]),
  /** Carbon tariff pk ("7") or extra service ("usluga-3") → the platform services it grants. */
  serviceMap: z.record(z.string().regex(/^(\d+|usluga-\d+)$/, 'must be a tariff pk such as "7" or "usluga-3"'), z.array(z.string())).default({}),
  /** What a tariff or extra service missing from serviceMap grants. */
  unmappedServices: z.array(z.string()).default(['intercom']),
}).superRefine((s, ctx) => {
  const ids = new Set<string>();
  s.services.forEach((service, i) => {
    if (ids.has(service.id)) ctx.addIssue({ code: 'custom', path: ['services', i, 'id'], message: `"${service.id}" is listed twice` });
    ids.add(service.id);
  });
  const known = (id: string) => ids.has(id);
  s.unmappedServices.forEach((id, i) => {
    if (!known(id)) ctx.addIssue({ code: 'custom', path: ['unmappedServices', i], message: `"${id}" is not one of services[].id` });
  });
  for (const [key, list] of Object.entries(s.serviceMap)) {
    list.forEach((id, i) => {
      if (!known(id)) ctx.addIssue({ code: 'custom', path: ['serviceMap', key, i], message: `"${id}" is not one of services[].id` });
    });
  }
});

export type CarbonSettings = z.infer<typeof CarbonSettings>;
