// The Data Provider API contract (docs/data-provider-api.md), as zod schemas.
// Server, adapters and tests take their types from here; there is no second copy.
import { z } from 'zod';

/** Money is always an integer number of kopecks (spec §1). */
export const Kopecks = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer')
  .meta({ description: 'Money as a whole number of kopecks (369.00 RUB is 36900); a debt is negative. Never a float, never rubles.' });

/** Identifiers are non-empty strings even when the billing keeps numbers (spec §1). */
export const ExtId = z.string().min(1).max(128)
  .meta({ description: 'An identifier, always a string, even where the billing keeps a number.' });

/** Digits only; 10 (national) or 11 (with country code) in practice, E.164 allows up to 15. */
export const PhoneNumber = z.string().regex(/^\d{5,15}$/, 'digits only')
  .meta({ description: 'Digits only: 10-digit national (9090833414) by default, with the country code (79090833414) when phones.format is international.' });

export const Phone = z.object({
  number: PhoneNumber,
  confirmed: z.boolean(),
});

export const User = z.object({
  ext_user_id: ExtId,
  login: z.string().min(1),
  password: z.string().meta({ description: 'The subscriber\'s password in clear text (core stores it hashed): the only place a subscriber password leaves the agent.' }),
  is_blocked: z.boolean().meta({ description: 'Blocked in the billing. A blocked user still signs in (POST /api/auth answers 200).' }),
  full_name: z.string(),
  phones: z.array(Phone).meta({ description: 'Every number of the billing\'s phone field, normalised; parts that are not a number are dropped.' }),
});

/** 1 new, 2 connected, 3 suspended, 4 terminated (spec §2.4). */
export const ContractState = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
  .meta({ description: '1 new, 2 connected, 3 suspended, 4 terminated.' });

export const ContractSetting = z.object({
  category_name: z.string(),
  name: z.string(),
  hidden: z.boolean(),
  value: z.number().int(),
});

export const Option = z.object({
  category_name: z.string(),
  name: z.string(),
  hidden: z.boolean(),
  value: Kopecks,
});

export const ContractTariff = z.object({
  id: ExtId,
  options: z.array(Option),
});

export const Contract = z.object({
  ext_id: ExtId,
  account: z.string().min(1),
  contract: z.string().min(1),
  state: ContractState,
  balance: Kopecks,
  address: z.string(),
  building_code: z.string().optional().meta({ description: 'The building\'s FIAS/GAR id, when the billing knows it.' }),
  region: z.number().int().positive().optional().meta({ description: 'The Russian region code (74 is Chelyabinsk oblast).' }),
  building_num: z.string().optional(),
  flat: z.string().optional(),
  settings: z.array(ContractSetting).meta({ description: 'Holds the forced-block entry (blocked / services_suspended_pending_payment, value 1) only when services must be suspended whatever the balance; otherwise empty.' }),
  options: z.array(Option).meta({ description: 'Contract-level surcharges (positive) and discounts (negative); hidden ones count too.' }),
  tariffs: z.array(ContractTariff).meta({ description: 'The contract\'s tariffs (ids of /api/tariffs) with their tariff-level options.' }),
  required_payment: Kopecks.min(0, 'must be >= 0').optional().meta({ description: 'The amount due now; deprecated by the platform and optional.', deprecated: true }),
});

/** The forced-block entry of a contract's `settings` (spec §2.4). */
export const FORCED_BLOCK_SETTING = {
  category_name: 'blocked',
  name: 'services_suspended_pending_payment',
  hidden: false,
  value: 1,
} as const satisfies z.infer<typeof ContractSetting>;

export const Service = z.object({
  id: ExtId,
  name: z.string().min(1),
});

const TariffBase = z.object({
  id: ExtId,
  name: z.string().min(1),
  services: z.array(z.object({ id: ExtId })),
  description: z.string().optional(),
  link: z.string().optional(),
});

/** A tariff has either `cost` (kopecks per period) or `without_cost: true`, never both. */
export const Tariff = z.union([
  TariffBase.extend({ cost: Kopecks, without_cost: z.undefined().optional() }),
  TariffBase.extend({ without_cost: z.literal(true), cost: z.undefined().optional() }),
]).meta({ description: 'A tariff has either `cost` (kopecks per period) or `without_cost: true`, never both.' });

/** `MM-YY`, the month a charge belongs to. */
export const Period = z.string().regex(/^(0[1-9]|1[0-2])-\d{2}$/, 'must be MM-YY')
  .meta({ description: 'The month a charge belongs to, MM-YY.' });

export const Charge = z.object({
  account: z.string().min(1).meta({ description: 'The `account` of the contract it was charged to.' }),
  cost: Kopecks,
  period: Period,
  description: z.string(),
});

// ---- requests ----

const Param = z.string({ error: 'required' }).trim().min(1, 'must not be empty').max(128, 'too long');

export const AuthRequest = z.object({
  login: z.string({ error: 'required, a string' }).min(1, 'must not be empty').max(256, 'too long'),
  pswd: z.string({ error: 'required, a string' }).min(1, 'must not be empty').max(256, 'too long'),
});

export const UsersQuery = z.object({ user_id: Param });

/** Exactly one of `user_id` (all of a user's contracts) or `id` (one contract). */
export const ContractsQuery = z
  .object({ user_id: Param.optional(), id: Param.optional() })
  .refine((q) => (q.user_id === undefined) !== (q.id === undefined), 'give exactly one of user_id or id');

/** Charges answered when no `limit` is given; also the largest `limit` honoured. */
export const MAX_CHARGES = 500;

export const ChargesQuery = z.object({
  user_id: Param,
  limit: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a positive whole number')
    .transform(Number)
    .refine((n) => n >= 1, 'must be at least 1')
    .optional(),
});

// ---- responses ----

export const AuthResponse = z.object({ ext_user_id: ExtId });
export const UsersResponse = z.array(User).length(1);
export const ContractsResponse = z.array(Contract).min(1);
export const ServicesResponse = z.array(Service);
export const TariffsResponse = z.array(Tariff);
export const ChargesResponse = z.array(Charge);

export const ErrorBody = z.object({ error: z.string(), message: z.string() });

// ---- callbacks we send to core (spec §3) ----

export const ContractCallback = z.union([
  z.object({ ext_id: ExtId }).strict(),
  z.object({ user_ext_id: ExtId }).strict(),
]);
export const ChargeCallback = z.object({ user_ext_id: ExtId }).strict();

export const CALLBACK_PATHS = {
  contract: '/api/v1/mb/callback/contract',
  charge: '/api/v1/mb/callback/charge',
} as const;

export type User = z.infer<typeof User>;
export type Phone = z.infer<typeof Phone>;
export type Contract = z.infer<typeof Contract>;
export type ContractState = z.infer<typeof ContractState>;
export type ContractSetting = z.infer<typeof ContractSetting>;
export type Option = z.infer<typeof Option>;
export type ContractTariff = z.infer<typeof ContractTariff>;
export type Service = z.infer<typeof Service>;
export type Tariff = z.infer<typeof Tariff>;
export type Charge = z.infer<typeof Charge>;
export type ErrorBody = z.infer<typeof ErrorBody>;
export type ContractCallback = z.infer<typeof ContractCallback>;
export type ChargeCallback = z.infer<typeof ChargeCallback>;
