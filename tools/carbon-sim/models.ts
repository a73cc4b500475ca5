// The Carbon Billing 5 models the simulator knows (spec §3 and the defaults table of §4).
// Field kinds decide how values are stored, compared in lookups and serialised.

/** What a cell holds. FKs are stored as `<name>_id` numbers. */
export type Value = string | number | null;

/**
 * - int:      plain integer (Django IntegerField)
 * - bit:      0/1 integer flag (`enabled`, `deleted`, `is_folder`, `storno`, `promise_pay`)
 * - flag:     "1"/"0" string flag (`allow_internet`, a CharField in Carbon)
 * - str:      text, "" when empty
 * - money:    numeric(15,2), stored and served as a string with two decimals
 * - date:     "YYYY-MM-DD" or null
 * - datetime: "YYYY-MM-DD HH:MM:SS" (billing local time, no zone) or null
 * - fk:       foreign key, stored under `<name>_id`
 */
export type Kind = 'int' | 'bit' | 'flag' | 'str' | 'money' | 'date' | 'datetime' | 'fk';

export interface FieldDef {
  readonly name: string;
  readonly kind: Kind;
  /** Target model of an fk. */
  readonly to?: string;
}

export interface ModelDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  /** Columns with an equality index (pk and every fk column are always indexed). */
  readonly indexed?: readonly string[];
}

/** A reverse relation: rows of `from` whose fk `field` points at this model. */
export interface ReverseDef {
  readonly name: string;
  readonly from: string;
  readonly field: FieldDef;
}

const f = (name: string, kind: Kind, to?: string): FieldDef => (to ? { name, kind, to } : { name, kind });

/** Today's shape, built from the spec's sections 3–4 (the "legacy" profile). */
export const MODEL_DEFS: readonly ModelDef[] = [
  {
    name: 'Abonents',
    fields: [
      f('name', 'str'),
      f('contract_number', 'str'),
      f('sms', 'str'),
      f('email', 'str'),
      f('tarif', 'fk', 'Tarif'),
      f('tarif_next', 'fk', 'Tarif'),
      f('account', 'fk', 'AdminAccounts'),
      f('home', 'fk', 'Homes'),
      f('parent', 'fk', 'Abonents'),
      f('a_home_number', 'str'),
      f('allow_internet', 'flag'),
      f('own_disabled_start', 'date'),
      f('own_disabled_end', 'date'),
      f('promise_pay', 'bit'),
      f('recomend_pay_sum', 'money'),
      f('minimal_pay_sum', 'money'),
      f('is_folder', 'bit'),
      f('create_date', 'datetime'),
      f('activate_date', 'date'),
      f('enabled', 'bit'),
      f('deleted', 'bit'),
    ],
    indexed: ['contract_number'],
  },
  {
    name: 'Users',
    fields: [f('login', 'str'), f('abonent', 'fk', 'Abonents'), f('sms', 'str'), f('gen_pwd', 'str'), f('ip', 'str')],
    indexed: ['login', 'ip'],
  },
  { name: 'AdminAccounts', fields: [f('balance', 'money')] },
  { name: 'Tarif', fields: [f('name', 'str'), f('abonent_pay', 'money')] },
  { name: 'Usluga', fields: [f('name', 'str'), f('comments', 'str'), f('cost', 'money')] },
  {
    name: 'UsersUsluga',
    fields: [f('abonent', 'fk', 'Abonents'), f('usluga', 'fk', 'Usluga'), f('comment', 'str')],
  },
  {
    name: 'FinanceOperations',
    fields: [
      f('abonent', 'fk', 'Abonents'),
      f('op_date', 'datetime'),
      f('op_summa', 'money'),
      f('storno', 'bit'),
      f('op_type', 'int'),
      f('comment', 'str'),
    ],
  },
  { name: 'Homes', fields: [f('name', 'str'), f('number', 'str'), f('fias_guid', 'str')] },
];

/**
 * The shape public sources show (spec §6), the default profile: Abonents without `enabled` and
 * `deleted`; Homes with `city`, `street`, `s_number`, `s_liter`, `settlement`, `connect_date`; block
 * records (AbonentsBlock) and balance movements (ArchAccountStack), whose other field names are ours.
 */
export const EVIDENCE_MODEL_DEFS: readonly ModelDef[] = [
  ...MODEL_DEFS.map((m): ModelDef => {
    if (m.name === 'Abonents') return { ...m, fields: m.fields.filter((x) => x.name !== 'enabled' && x.name !== 'deleted') };
    if (m.name === 'Homes') {
      return {
        ...m,
        fields: [f('city', 'str'), f('settlement', 'str'), f('street', 'str'), f('s_number', 'int'), f('s_liter', 'str'), f('connect_date', 'datetime')],
      };
    }
    return m;
  }),
  {
    name: 'AbonentsBlock',
    fields: [f('abonent', 'fk', 'Abonents'), f('date_start', 'datetime'), f('date_end', 'datetime'), f('comment', 'str')],
  },
  {
    name: 'ArchAccountStack',
    fields: [f('abonent', 'fk', 'Abonents'), f('change_balance_time', 'datetime'), f('summa', 'money'), f('comment', 'str')],
  },
];

export type Profile = 'evidence' | 'legacy';

/**
 * A profile's models, with fields removed or renamed ("Homes.street" → "street_name") to stand
 * for a Carbon whose names differ from ours.
 */
export function profileModels(profile: Profile, changes: { remove?: readonly string[]; rename?: Readonly<Record<string, string>> } = {}): ModelDef[] {
  const base = profile === 'legacy' ? MODEL_DEFS : EVIDENCE_MODEL_DEFS;
  return base.map((m) => ({
    ...m,
    fields: m.fields
      .filter((x) => !changes.remove?.includes(`${m.name}.${x.name}`))
      .map((x) => {
        const to = changes.rename?.[`${m.name}.${x.name}`];
        return to ? { ...x, name: to } : x;
      }),
  }));
}

/** The column a field is stored under. */
export function columnOf(field: FieldDef): string {
  return field.kind === 'fk' ? `${field.name}_id` : field.name;
}

/**
 * Reverse relation names follow the one name public sources show,
 * `AdminAccounts` ← `Abonents.account` = `account_id_abonents`: `<fk column>_<source model, lower case>`.
 * So `Abonents` has `abonent_id_users`, `abonent_id_financeoperations`, ...
 */
export function reverseName(from: string, field: FieldDef): string {
  return `${columnOf(field)}_${from.toLowerCase()}`;
}

export class Schema {
  private readonly byLower = new Map<string, ModelDef>();
  private readonly reverses = new Map<string, Map<string, ReverseDef>>();
  private readonly fieldMaps = new Map<string, Map<string, FieldDef>>();

  constructor(readonly models: readonly ModelDef[] = MODEL_DEFS) {
    for (const m of models) {
      this.byLower.set(m.name.toLowerCase(), m);
      this.fieldMaps.set(m.name, new Map(m.fields.map((x) => [x.name, x])));
      this.reverses.set(m.name, new Map());
    }
    for (const m of models) {
      for (const field of m.fields) {
        if (field.kind !== 'fk' || !field.to) continue;
        const rev: ReverseDef = { name: reverseName(m.name, field), from: m.name, field };
        this.reverses.get(field.to)?.set(rev.name, rev);
      }
    }
  }

  /** Case-insensitive, as Django's model registry is. */
  find(name: string): ModelDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  get(name: string): ModelDef {
    const m = this.find(name);
    if (!m) throw new Error(`no model ${name}`);
    return m;
  }

  field(model: string, name: string): FieldDef | undefined {
    return this.fieldMaps.get(model)?.get(name);
  }

  reverse(model: string, name: string): ReverseDef | undefined {
    return this.reverses.get(model)?.get(name);
  }

  /** Every name a lookup may start with, for Django-like "Choices are: ..." messages. */
  choices(model: string): string[] {
    const m = this.get(model);
    const names = ['id', ...m.fields.map((x) => x.name)];
    for (const x of m.fields) if (x.kind === 'fk') names.push(columnOf(x));
    names.push(...(this.reverses.get(model)?.keys() ?? []));
    return names.sort();
  }
}
