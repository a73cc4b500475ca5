// Carbon Billing 5 simulator for tests and demos (spec §5). See README.md in this folder.
import { Database, type Row, type RowInput } from './db.js';
import { buildFixtures, OP_TYPES, type FixtureData } from './fixtures.js';
import { generate } from './generate.js';
import { profileModels, Schema, type Profile, type Value } from './models.js';
import { createSimServer, noFaults, type CallRecord, type Faults, type ListingFormat, type SimServer } from './server.js';
import { fmtDateTime } from './values.js';

export {
  BLOCKED_FIXTURE, FIXTURE, FIXTURE_HOMES, FIXTURE_SUBSCRIBERS, FIXTURE_TARIFS, FIXTURE_USLUGI, GROUP_FIXTURE, GROUP_PK, OP_TYPES, STORNO_OP_PKS,
  assembledAddress, buildFixtures,
} from './fixtures.js';
export type { Profile } from './models.js';
export type { ListingFormat } from './server.js';
export type { ContractState, FixtureKey, FixtureLogin, FixtureSubscriber } from './fixtures.js';
export { GENERATED } from './generate.js';
export type { CallRecord, Faults } from './server.js';
export type { Row } from './db.js';

export interface CarbonSimOptions {
  /** Generated subscribers on top of the fixtures (default 0). */
  subscribers?: number;
  /** Seed of the generated data (default 1). */
  seed?: number;
  /** "Today" for fixture dates, voluntary blocks and operation history (default: the real clock). */
  now?: () => Date;
  /** Only these remote addresses may call; others get HTTP 403 "Access denied". Default: everyone. */
  allowIps?: string[];
  /**
   * `evidence` (default): the shape public sources show (spec §6); `legacy`: the shape of the
   * spec's sections 3–4 that the adapter was first built on. README.md lists what each stands on.
   */
  profile?: Profile;
  /** How `GET /rest_api/v2/` lists the models: json (default for evidence), html, text, or none (404; legacy's default). */
  listing?: ListingFormat;
  /** Fields this Carbon lacks, as "Model.field". */
  removeFields?: string[];
  /** Fields this Carbon names differently: "Model.field" → its name here. */
  renameFields?: Record<string, string>;
  /** system_api `psw` of context `web`; null: none asked (evidence's default), legacy: "web-secret". */
  systemApiPassword?: string | null;
  /** Every system_api context and its psw (null: none asked); overrides systemApiPassword. */
  systemApiContexts?: Record<string, string | null>;
}

export interface NewOperation {
  abonentId: number;
  /** Rubles as text ("-390.00") or a number; negative = charge. */
  summa: string | number;
  /** Date or "YYYY-MM-DD HH:MM:SS"; default now. */
  opDate?: Date | string;
  storno?: 0 | 1;
  opType?: number;
  comment?: string;
}

export interface NewSubscriber {
  name: string;
  balance?: string;
  sms?: string;
  tarifPk?: number;
  login?: string;
  password?: string;
  /** Any other Abonents columns (contract_number, allow_internet, deleted, ...). */
  fields?: Record<string, unknown>;
}

export interface CarbonSim {
  listen(port?: number, host?: string): Promise<{ url: string }>;
  close(): Promise<void>;
  /** Set while listening. */
  readonly url: string | null;
  /** Fault switches, read on every call; change them at any time. */
  faults: Faults;
  clearFaults(): void;
  /** Every REST/system_api call that got past the allow-list, in arrival order. */
  calls: CallRecord[];
  resetCalls(): void;
  /** The allow-list; null = everyone. May be changed at runtime. */
  allowIps: string[] | null;
  /** The data, for direct reads and writes. */
  readonly db: Database;
  /** The "now" the data was built with. */
  readonly now: () => Date;

  /** One row's stored cells (fks as `<name>_id`), or undefined. */
  get(model: string, pk: number): Row | undefined;
  /** Change one field (`balance`, `tarif` or `tarif_id`, ...). Malformed text is stored as is. */
  setField(model: string, pk: number, field: string, value: unknown): void;
  /** Set the AdminAccounts.balance of subscriber `abonentPk` (via Abonents.account). */
  setBalance(abonentPk: number, balance: string | number): void;
  /** Add a FinanceOperations row; returns its pk. */
  addOperation(op: NewOperation): number;
  /** Insert any row; returns its pk. */
  addRow(model: string, values: RowInput): number;
  removeRow(model: string, pk: number): boolean;
  /** A subscriber with its account and (if login given) a Users row; returns the Abonents pk. */
  addSubscriber(s: NewSubscriber): number;
}

function load(db: Database, data: FixtureData): void {
  for (const [model, rows] of Object.entries(data)) {
    // A profile without the model (legacy has no AbonentsBlock) drops its rows.
    const table = db.find(model);
    if (table) for (const row of rows) table.insertShaped(row);
  }
}

function renamedFrom(rename: Record<string, string>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [from, to] of Object.entries(rename)) {
    const [model, field] = from.split('.') as [string, string];
    out.set(model, (out.get(model) ?? new Map()).set(to, field));
  }
  return out;
}

export function createCarbonSim(opts: CarbonSimOptions = {}): CarbonSim {
  const now = opts.now ?? (() => new Date());
  const profile = opts.profile ?? 'evidence';
  const rename = opts.renameFields ?? {};
  const db = new Database(new Schema(profileModels(profile, { remove: opts.removeFields, rename })), renamedFrom(rename));
  const start = now();
  load(db, buildFixtures(start, profile));
  generate(db, { count: opts.subscribers ?? 0, seed: opts.seed ?? 1, now: start });

  const calls: CallRecord[] = [];
  const state = {
    db,
    sessions: new Map<string, number>(),
    faults: noFaults(),
    calls,
    allowIps: opts.allowIps ? [...opts.allowIps] : null,
    contexts: new Map<string, string | null>(Object.entries(opts.systemApiContexts ?? {
      web: opts.systemApiPassword !== undefined ? opts.systemApiPassword : profile === 'legacy' ? 'web-secret' : null,
    })),
    profile,
    listing: opts.listing ?? (profile === 'legacy' ? 'none' : 'json'),
  };
  let running: SimServer | null = null;
  let url: string | null = null;

  const sim: CarbonSim = {
    async listen(port = 0, host = '127.0.0.1') {
      if (running) throw new Error('carbon-sim: already listening');
      const s = createSimServer(state);
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.server.listen(port, host, () => {
          s.server.off('error', reject);
          resolve();
        });
      });
      running = s;
      const addr = s.server.address();
      const actualPort = typeof addr === 'object' && addr ? addr.port : port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
      return { url };
    },
    async close() {
      const s = running;
      running = null;
      url = null;
      if (s) await s.shutdown();
    },
    get url() {
      return url;
    },
    get faults() {
      return state.faults;
    },
    set faults(f: Faults) {
      state.faults = { ...noFaults(), ...f };
    },
    clearFaults() {
      Object.assign(state.faults, noFaults());
    },
    calls,
    resetCalls() {
      calls.length = 0;
    },
    get allowIps() {
      return state.allowIps;
    },
    set allowIps(ips: string[] | null) {
      state.allowIps = ips ? [...ips] : null;
    },
    db,
    now,

    get(model, pk) {
      return db.table(model).get(pk);
    },
    setField(model, pk, field, value) {
      db.table(model).set(pk, field, value);
    },
    setBalance(abonentPk, balance) {
      const ab = db.table('Abonents').get(abonentPk);
      const accountId: Value | undefined = ab?.account_id;
      if (typeof accountId !== 'number') throw new Error(`carbon-sim: subscriber ${abonentPk} has no account`);
      db.table('AdminAccounts').set(accountId, 'balance', balance);
    },
    addOperation(op) {
      const opDate = op.opDate === undefined ? fmtDateTime(now()) : op.opDate;
      return db.table('FinanceOperations').insertShaped({
        abonent_id: op.abonentId,
        op_date: opDate,
        op_summa: op.summa,
        storno: op.storno ?? 0,
        op_type: op.opType ?? (Number(op.summa) < 0 ? OP_TYPES.charge : OP_TYPES.payment),
        comment: op.comment ?? '',
      }).pk;
    },
    addRow(model, values) {
      return db.table(model).insert(values).pk;
    },
    removeRow(model, pk) {
      return db.table(model).remove(pk);
    },
    addSubscriber(s) {
      const abonents = db.table('Abonents');
      const account = db.table('AdminAccounts').insertShaped({ balance: s.balance ?? '0.00' });
      const pk = abonents.nextPk();
      abonents.insertShaped({
        pk,
        name: s.name,
        contract_number: `74-${String(pk).padStart(6, '0')}`,
        sms: s.sms ?? '',
        tarif_id: s.tarifPk ?? 3,
        account_id: account.pk,
        parent_id: 1,
        allow_internet: '1',
        promise_pay: 0,
        recomend_pay_sum: '0.00',
        minimal_pay_sum: '0.00',
        is_folder: 0,
        create_date: fmtDateTime(now()),
        activate_date: fmtDateTime(now()).slice(0, 10),
        enabled: 1,
        deleted: 0,
        ...s.fields,
      });
      if (s.login) {
        db.table('Users').insertShaped({ login: s.login, abonent_id: pk, sms: '', gen_pwd: s.password ?? '', ip: '' });
      }
      return pk;
    },
  };
  return sim;
}
