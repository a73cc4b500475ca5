// Settings of the Carbon Billing 5 adapter. Defaults follow the evidence check of the spec
// (../shared/spec/carbon-billing-5.md §6): confirmed names are used, contradicted ones replaced,
// unverified ones are settings the adapter checks against the live Carbon's own field listing
// before it relies on them. main/billing/carbon/README.md documents every one, with its source.
import { z } from 'zod';

/** A Carbon field name or an fk path (`home__city`), as used in `fields` and lookups. */
const FieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Carbon field name such as home__city');
/** A field path, or '' for "not read". */
const OptionalPath = z.union([z.literal(''), FieldPath]);

/** A yes/no rule read from one field; an empty `field` switches the rule off. */
const FlagRule = (field: string, is: boolean) =>
  z.strictObject({
    field: OptionalPath.default(field),
    /** The rule holds when the field reads as this value (1/"1"/true or 0/"0"/false). */
    is: z.boolean().default(is),
  }).prefault({});

const PlatformService = z.strictObject({
  id: z.string().min(1).max(128),
  name: z.string().min(1),
});

/** `{part}` placeholders; `[...]` around text that is left out when a placeholder inside is empty. */
const Template = z.string().max(500).refine((t) => (t.match(/\[/g) ?? []).length === (t.match(/\]/g) ?? []).length, 'has unbalanced [ ]');

/** The parts an address is assembled from: placeholder name → field path on Abonents. */
export const DEFAULT_ADDRESS_PARTS = {
  city: 'home__city',
  settlement: 'home__settlement',
  street: 'home__street',
  s_number: 'home__s_number',
  s_liter: 'home__s_liter',
} as const;

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

  /** `per-abonent`: every subscriber is a user with one contract; `group`: a group with a login of its own is one user, its members its contracts. */
  accounts: z.enum(['per-abonent', 'group']).default('per-abonent'),
  /** What /api/auth and the subscriber lookup accept as a login, tried in this order. */
  loginBy: z.array(z.enum(['login', 'contract_number'])).min(1).max(2).default(['login'])
    .refine((l) => new Set(l).size === l.length, 'lists a kind twice'),

  /** Field names that are settings; `check` compares each with the live Carbon's field list. */
  fields: z.strictObject({
    /** Tarif: monthly price in rubles (not confirmed by public sources). */
    tariffPrice: OptionalPath.default('abonent_pay'),
    /** Usluga: monthly price in rubles (not confirmed by public sources). */
    servicePrice: OptionalPath.default('cost'),
    /** Users: the cabinet password in clear text. */
    password: OptionalPath.default('gen_pwd'),
    /** Abonents: the balance through the money account. */
    balance: FieldPath.default('account__balance'),
    /** Abonents: one field holding the whole address text; '' assembles it from `address.parts`. */
    address: OptionalPath.default(''),
    /** Abonents: one field holding the house number; '' assembles it from `address.buildingNum`. */
    houseNumber: OptionalPath.default(''),
    /** Abonents: the house's FIAS/GAR id; no public source names one, so it is off by default. */
    buildingCode: OptionalPath.default(''),
    /** Abonents: the flat. */
    flat: OptionalPath.default('a_home_number'),
    /** FinanceOperations: the text shown as a charge's description (not confirmed by public sources). */
    chargeDescription: OptionalPath.default('comment'),
  }).prefault({}),

  address: z.strictObject({
    /** Placeholder → field path on Abonents (the house is `home`, Carbon's Homes). */
    parts: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a placeholder name such as city'), OptionalPath).default({ ...DEFAULT_ADDRESS_PARTS }),
    /** The address text; a part that is empty or missing in Carbon is left out with its bracketed text. */
    format: Template.default('{city}[, {settlement}], {street}, д. {s_number}{s_liter}'),
    /** `building_num`. */
    buildingNum: Template.default('{s_number}{s_liter}'),
  }).prefault({}),

  /** Subscriber disabled (→ state 3, user blocked): `enabled` is 0. Read only where the live Carbon has the field. */
  disabled: FlagRule('enabled', false),
  /** Subscriber deleted (→ state 4, user blocked): `deleted` is 1. Read only where the live Carbon has the field. */
  deleted: FlagRule('deleted', true),
  /** Administrative block (→ the forced-block entry in contract settings): `allow_internet` is 0. */
  adminBlock: FlagRule('allow_internet', false),

  /** Block records (→ the forced block while one is current). Read only where the live Carbon has the model. */
  blocks: z.strictObject({
    /** '' switches block records off. */
    model: z.union([z.literal(''), z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/)]).default('AbonentsBlock'),
    /** Its foreign key to Abonents. */
    subscriber: FieldPath.default('abonent'),
    /** When the block starts and ends (an empty end is open-ended); '' means the record alone is a block. */
    start: OptionalPath.default('date_start'),
    end: OptionalPath.default('date_end'),
  }).prefault({}),

  charges: z.strictObject({
    /** Where charges are read: FinanceOperations, or the balance movements of ArchAccountStack. */
    source: z.enum(['FinanceOperations', 'ArchAccountStack']).default('FinanceOperations'),
    /** ArchAccountStack's fields (only `change_balance_time` is confirmed by public clients). */
    archAccountStack: z.strictObject({
      subscriber: FieldPath.default('abonent'),
      date: FieldPath.default('change_balance_time'),
      amount: FieldPath.default('summa'),
      description: OptionalPath.default('comment'),
    }).prefault({}),
    /** History read for /api/charges and change detection, in calendar months including this one. */
    months: z.number().int().min(1).max(120).default(13),
    /** The bulk scan reads the window in parts of this many months (13 months → 5 calls at 3). */
    scanChunkMonths: z.number().int().min(1).max(120).default(3),
    /** `negative-amount`: a negative amount is a charge; `type`: the type field is one of `types`. */
    rule: z.enum(['negative-amount', 'type']).default('negative-amount'),
    typeField: FieldPath.default('op_type'),
    types: z.array(z.union([z.number().int(), z.string()])).default([]),
    /** Description when the operation has none. */
    fallbackDescription: z.string().default('Списание'),
  }).prefault({}),

  /** The ISP's Russian region code (74 = Chelyabinsk oblast); null leaves `region` out. */
  regionCode: z.number().int().positive().nullable().default(74),
  /** Whether Carbon's phone numbers are verified ones. */
  phonesConfirmed: z.boolean().default(false),

  /** `check_pass` (REST v2) or `web_cabinet.login` through `webCabinetVia`. */
  passwordCheck: z.enum(['check_pass', 'web_cabinet.login']).default('check_pass'),
  /** system_api (context `systemApiContext`; `psw` = the billing-password secret, sent only when set) or REST v2. */
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
  for (const [name, template] of [['format', s.address.format], ['buildingNum', s.address.buildingNum]] as const) {
    for (const m of template.matchAll(/\{([^}]*)\}/g)) {
      if (!(m[1]! in s.address.parts)) ctx.addIssue({ code: 'custom', path: ['address', name], message: `{${m[1]}} is not one of address.parts` });
    }
  }
});

export type CarbonSettings = z.infer<typeof CarbonSettings>;

/**
 * Values today's defaults had before the evidence check replaced them: a settings file written
 * by an older agent holds them spelled out, and its migration drops exactly these so the new
 * defaults apply (a value the admin changed is kept).
 */
export const CONTRADICTED_DEFAULTS = {
  fields: { address: 'home__name', houseNumber: 'home__number', buildingCode: 'home__fias_guid' },
} as const;
