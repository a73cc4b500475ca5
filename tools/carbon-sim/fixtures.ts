// Hand-written Carbon data: one subscriber per case the adapter must handle, each with a fixed pk.
// Adapter tests import FIXTURE and assert against it instead of magic numbers.
// Dates that matter relative to "today" (voluntary blocks, operations) come from buildFixtures(now).
import type { RowInput } from './db.js';
import { fmtDate, fmtDateTime, moneyToCents } from './values.js';

/** Contract states of the Data Provider API: 1 new, 2 connected, 3 suspended, 4 terminated. */
export type ContractState = 1 | 2 | 3 | 4;

export interface FixtureLogin {
  /** Users.pk */
  pk: number;
  login: string;
  /** Users.gen_pwd, which check_pass and web_cabinet.login accept. */
  password: string;
  /** Users.sms */
  sms: string;
  ip: string;
}

export interface FixtureSubscriber {
  /** Abonents.pk = the adapter's ext_user_id / contract ext_id. */
  pk: number;
  /** AdminAccounts.pk, deliberately different from the Abonents pk. */
  accountPk: number;
  name: string;
  contractNumber: string;
  /** Abonents.sms as typed by the ISP. */
  sms: string;
  email: string;
  tarifPk: number;
  homePk: number | null;
  /** Abonents.a_home_number (the flat). */
  flat: string;
  /** AdminAccounts.balance as stored. */
  balance: string;
  /** The balance in kopecks; null when the stored text is malformed on purpose. */
  balanceKopecks: number | null;
  /** Logins in ascending pk order; logins[0] is the one the adapter must pick. */
  logins: FixtureLogin[];
  /** Usluga pks of this subscriber's UsersUsluga rows. */
  uslugaPks: number[];
  /** What the adapter should report as contract state (spec §4). */
  state: ContractState;
  /** Administratively blocked (allow_internet "0") → the forced-block setting. */
  forcedBlock: boolean;
  /** Abonents.enabled / deleted / allow_internet as stored. */
  enabled: 0 | 1;
  deleted: 0 | 1;
  allowInternet: '0' | '1';
  /** Voluntary block relative to today, in days; end null = open-ended. */
  ownDisabled: { startDays: number; endDays: number | null } | null;
  activated: boolean;
  /** Months of monthly charges/payments in FinanceOperations (0 = none). */
  historyMonths: number;
}

export const GROUP_PK = 1;

export const FIXTURE_TARIFS = {
  internet100: { pk: 3, name: 'Интернет 100', abonentPay: '450.00', kopecks: 45000 },
  internet300tv: { pk: 4, name: 'Интернет 300 + ТВ', abonentPay: '690.50', kopecks: 69050 },
  domofonPlus: { pk: 7, name: 'Домофон+', abonentPay: '120.00', kopecks: 12000 },
  social: { pk: 8, name: 'Социальный', abonentPay: '250.00', kopecks: 25000 },
  archive: { pk: 9, name: 'Старт 2019 (архив)', abonentPay: '300.00', kopecks: 30000 },
} as const;

export const FIXTURE_USLUGI = {
  domofon: { pk: 1, name: 'Домофон', comments: 'Обслуживание подъездного домофона', cost: '60.00', kopecks: 6000 },
  video: { pk: 2, name: 'Видеонаблюдение', comments: 'Камеры во дворе и в подъезде, архив 7 дней', cost: '120.00', kopecks: 12000 },
  staticIp: { pk: 3, name: 'Статический IP', comments: 'Белый IP-адрес', cost: '150.00', kopecks: 15000 },
  router: { pk: 4, name: 'Аренда роутера', comments: 'TP-Link Archer C6', cost: '99.90', kopecks: 9990 },
} as const;

/** Houses in both shapes: legacy `name`/`number`/`fias_guid`, and the evidence profile's Homes fields. */
export const FIXTURE_HOMES = {
  kirova104: { pk: 31, name: 'г. Челябинск, ул. Кирова, д. 104', number: '104', fias_guid: '5c1a0e3b-7d42-4f6e-9a1d-2b8f3c4d5e61', city: 'г. Челябинск', settlement: '', street: 'ул. Кирова', s_number: 104, s_liter: '' },
  lenina21a: { pk: 32, name: 'г. Челябинск, пр. Ленина, д. 21А', number: '21А', fias_guid: '8e2b4a17-3c5d-4b9f-a0e6-7f1d2c3b4a52', city: 'г. Челябинск', settlement: '', street: 'пр. Ленина', s_number: 21, s_liter: 'А' },
  kashirinyh95: { pk: 33, name: 'г. Челябинск, ул. Братьев Кашириных, д. 95', number: '95', fias_guid: 'a3d5f7b9-1c2e-4d6f-8a0b-9c8d7e6f5a43', city: 'г. Челябинск', settlement: '', street: 'ул. Братьев Кашириных', s_number: 95, s_liter: '' },
  komsomolsky36: { pk: 34, name: 'г. Челябинск, Комсомольский пр., д. 36/1', number: '36/1', fias_guid: 'c7e9a1b3-5d6f-4a8b-b2c4-1e3f5a7b9c34', city: 'г. Челябинск', settlement: '', street: 'Комсомольский пр.', s_number: 36, s_liter: '/1' },
  // A house without a FIAS code, as often happens in real billings; and one in a settlement.
  moldavskaya16: { pk: 35, name: 'г. Челябинск, ул. Молдавская, д. 16', number: '16', fias_guid: '', city: 'г. Челябинск', settlement: 'пос. Шершни', street: 'ул. Молдавская', s_number: 16, s_liter: '' },
  gagarina5: { pk: 36, name: 'г. Челябинск, ул. Гагарина, д. 5, корп. 2', number: '5к2', fias_guid: 'e1f3a5c7-9b2d-4e6f-8c1a-3b5d7f9e1a25', city: 'г. Челябинск', settlement: '', street: 'ул. Гагарина', s_number: 5, s_liter: 'к2' },
} as const;

/** The address the default field map assembles from a house's Homes fields. */
export function assembledAddress(h: { city: string; settlement: string; street: string; s_number: number; s_liter: string }): string {
  return [h.city, h.settlement, h.street, `д. ${h.s_number}${h.s_liter}`].filter((p) => p !== '').join(', ');
}

const T = FIXTURE_TARIFS;
const H = FIXTURE_HOMES;
const U = FIXTURE_USLUGI;

type Base = Omit<FixtureSubscriber, 'state' | 'forcedBlock' | 'balanceKopecks'> & { balanceKopecks?: number | null };

function sub(b: Base, state: ContractState): FixtureSubscriber {
  const kop = b.balanceKopecks === undefined ? moneyToCents(b.balance) : b.balanceKopecks;
  return { ...b, balanceKopecks: kop, state, forcedBlock: b.allowInternet === '0' };
}

const ok = { enabled: 1, deleted: 0, allowInternet: '1', ownDisabled: null, activated: true, historyMonths: 15 } as const;

export const FIXTURE = {
  /** Healthy, positive balance. */
  healthy: sub(
    {
      ...ok,
      pk: 11,
      accountPk: 511,
      name: 'Иванов Пётр Сергеевич',
      contractNumber: '74-00011',
      sms: '+7 (912) 345-67-89',
      email: 'p.ivanov@mail.ru',
      tarifPk: T.internet100.pk,
      homePk: H.kirova104.pk,
      flat: '12',
      balance: '390.67',
      balanceKopecks: 39067,
      logins: [{ pk: 111, login: 'ivanov_ps', password: 'Kq7wz2Lm', sms: '', ip: '10.20.1.11' }],
      uslugaPks: [],
    },
    2,
  ),
  /** Debt: negative balance. */
  debt: sub(
    {
      ...ok,
      pk: 12,
      accountPk: 512,
      name: 'Смирнова Ольга Викторовна',
      contractNumber: '74-00012',
      sms: '89227001122',
      email: '',
      tarifPk: T.internet300tv.pk,
      homePk: H.lenina21a.pk,
      flat: '45',
      balance: '-412.50',
      balanceKopecks: -41250,
      logins: [{ pk: 112, login: 'smirnova_ov', password: 'r8TnX4pa', sms: '', ip: '10.20.1.12' }],
      uslugaPks: [],
    },
    2,
  ),
  /** Voluntary block: own_disabled_start = today-10, own_disabled_end = today+20. */
  voluntaryBlock: sub(
    {
      ...ok,
      pk: 13,
      accountPk: 513,
      name: 'Кузнецов Алексей Игоревич',
      contractNumber: '74-00013',
      sms: '8 (351) 265-40-17',
      email: 'kuznetsov.ai@yandex.ru',
      tarifPk: T.internet100.pk,
      homePk: H.kashirinyh95.pk,
      flat: '7',
      balance: '1200.00',
      logins: [{ pk: 113, login: 'kuznetsov_ai', password: 'Lm3vQ9sd', sms: '', ip: '10.20.1.13' }],
      uslugaPks: [],
      ownDisabled: { startDays: -10, endDays: 20 },
    },
    3,
  ),
  /** Voluntary block without an end date (open-ended): start = today-45, end null. */
  voluntaryBlockOpen: sub(
    {
      ...ok,
      pk: 14,
      accountPk: 514,
      name: 'Попова Наталья Андреевна',
      contractNumber: '74-00014',
      sms: '+79045553311',
      email: '',
      tarifPk: T.social.pk,
      homePk: H.komsomolsky36.pk,
      flat: '88',
      balance: '87.30',
      logins: [{ pk: 114, login: 'popova_na', password: 'Zx2cV7bn', sms: '', ip: '10.20.1.14' }],
      uslugaPks: [],
      ownDisabled: { startDays: -45, endDays: null },
    },
    3,
  ),
  /** Administrative block: allow_internet "0" (state stays connected, forced block on). */
  adminBlock: sub(
    {
      ...ok,
      pk: 15,
      accountPk: 515,
      name: 'Соколов Дмитрий Олегович',
      contractNumber: '74-00015',
      sms: '8-912-800-15-15',
      email: '',
      tarifPk: T.internet100.pk,
      homePk: H.kirova104.pk,
      flat: '56',
      balance: '15.00',
      allowInternet: '0',
      logins: [{ pk: 115, login: 'sokolov_do', password: 'Pq9wE4rt', sms: '', ip: '10.20.1.15' }],
      uslugaPks: [],
    },
    2,
  ),
  /** Terminated: deleted = 1. */
  terminated: sub(
    {
      ...ok,
      pk: 16,
      accountPk: 516,
      name: 'Лебедева Ирина Павловна',
      contractNumber: '74-00016',
      sms: '+7 951 444 12 34',
      email: '',
      tarifPk: T.archive.pk,
      homePk: H.moldavskaya16.pk,
      flat: '3',
      balance: '0.00',
      deleted: 1,
      logins: [{ pk: 116, login: 'lebedeva_ip', password: 'Hj6kL1zx', sms: '', ip: '' }],
      uslugaPks: [],
      historyMonths: 0,
    },
    4,
  ),
  /** Disabled: enabled = 0. */
  disabled: sub(
    {
      ...ok,
      pk: 17,
      accountPk: 517,
      name: 'Козлов Сергей Николаевич',
      contractNumber: '74-00017',
      sms: '89049876543',
      email: 'kozlov@chel.ru',
      tarifPk: T.internet100.pk,
      homePk: H.gagarina5.pk,
      flat: '101',
      balance: '250.00',
      enabled: 0,
      logins: [{ pk: 117, login: 'kozlov_sn', password: 'Tg5yH8uj', sms: '', ip: '10.20.1.17' }],
      uslugaPks: [],
    },
    3,
  ),
  /** Not yet activated: activate_date null, created three days ago, no operations. */
  notActivated: sub(
    {
      ...ok,
      pk: 18,
      accountPk: 518,
      name: 'Новикова Анна Михайловна',
      contractNumber: '74-00018',
      sms: '+7(919)1112233',
      email: '',
      tarifPk: T.internet100.pk,
      homePk: H.lenina21a.pk,
      flat: '9',
      balance: '0.00',
      activated: false,
      historyMonths: 0,
      logins: [{ pk: 118, login: 'novikova_am', password: 'Bn4mK7ws', sms: '', ip: '' }],
      uslugaPks: [],
    },
    1,
  ),
  /**
   * Two logins. Users row 120 is stored before 119, so an unordered filter lists morozov_av2 first;
   * the adapter must pick the lowest pk (119, morozov_av).
   */
  severalLogins: sub(
    {
      ...ok,
      pk: 19,
      accountPk: 519,
      name: 'Морозов Андрей Владимирович',
      contractNumber: '74-00019',
      sms: '+7 (922) 633-44-55',
      email: 'morozov.av@gmail.com',
      tarifPk: T.internet300tv.pk,
      homePk: H.kashirinyh95.pk,
      flat: '64',
      balance: '560.00',
      logins: [
        { pk: 119, login: 'morozov_av', password: 'Ui7oP2as', sms: '', ip: '10.20.1.19' },
        { pk: 120, login: 'morozov_av2', password: 'Wq8eR3ty', sms: '+7 (922) 633-44-56', ip: '10.20.1.20' },
      ],
      uslugaPks: [],
    },
    2,
  ),
  /** Several phones in one sms field; Users.sms repeats one of them in another format. */
  multiPhones: sub(
    {
      ...ok,
      pk: 20,
      accountPk: 520,
      name: 'Волкова Елена Сергеевна',
      contractNumber: '74-00020',
      sms: '+7 (909) 083-34-14, 8-351-222-33-44; 89123456789',
      email: 'volkova.es@mail.ru',
      tarifPk: T.internet100.pk,
      homePk: H.komsomolsky36.pk,
      flat: '15',
      balance: '1015.25',
      logins: [{ pk: 121, login: 'volkova_es', password: 'Df5gH6jk', sms: '+79090833414', ip: '10.20.1.21' }],
      uslugaPks: [],
    },
    2,
  ),
  /** Extra services: Домофон (intercom), Видеонаблюдение, Статический IP. */
  extraServices: sub(
    {
      ...ok,
      pk: 21,
      accountPk: 521,
      name: 'Алексеев Николай Петрович',
      contractNumber: '74-00021',
      sms: '+7 (912) 777-21-21',
      email: '',
      tarifPk: T.domofonPlus.pk,
      homePk: H.gagarina5.pk,
      flat: '7',
      balance: '300.00',
      logins: [{ pk: 122, login: 'alekseev_np', password: 'Kl9zX2cv', sms: '', ip: '10.20.1.22' }],
      uslugaPks: [U.domofon.pk, U.video.pk, U.staticIp.pk],
    },
    2,
  ),
  /** Storno: FinanceOperations 1 (payment) and 2 (charge) have storno = 1 and must be ignored. */
  storno: sub(
    {
      ...ok,
      pk: 22,
      accountPk: 522,
      name: 'Степанов Виктор Александрович',
      contractNumber: '74-00022',
      sms: '8 (912) 456-78-90',
      email: '',
      tarifPk: T.internet100.pk,
      homePk: H.kirova104.pk,
      flat: '33',
      balance: '145.90',
      logins: [{ pk: 123, login: 'stepanov_va', password: 'Vb3nM8qw', sms: '', ip: '10.20.1.23' }],
      uslugaPks: [],
    },
    2,
  ),
  /** No phone at all: empty Abonents.sms and Users.sms. */
  noPhone: sub(
    {
      ...ok,
      pk: 23,
      accountPk: 523,
      name: 'Павлова Татьяна Юрьевна',
      contractNumber: '74-00023',
      sms: '',
      email: '',
      tarifPk: T.social.pk,
      homePk: H.moldavskaya16.pk,
      flat: '21',
      balance: '70.00',
      logins: [{ pk: 124, login: 'pavlova_tyu', password: 'Qa1sW2ed', sms: '', ip: '10.20.1.24' }],
      uslugaPks: [],
    },
    2,
  ),
  /** Malformed money: balance "12,50" (a comma). */
  badMoneyComma: sub(
    {
      ...ok,
      pk: 24,
      accountPk: 524,
      name: 'Семёнов Игорь Валерьевич',
      contractNumber: '74-00024',
      sms: '89511234567',
      email: '',
      tarifPk: T.internet100.pk,
      homePk: H.lenina21a.pk,
      flat: '2',
      balance: '12,50',
      balanceKopecks: null,
      logins: [{ pk: 125, login: 'semenov_iv', password: 'Rf4tG5yh', sms: '', ip: '10.20.1.25' }],
      uslugaPks: [],
    },
    2,
  ),
  /** Malformed money: balance "abc". */
  badMoneyText: sub(
    {
      ...ok,
      pk: 25,
      accountPk: 525,
      name: 'Голубева Марина Олеговна',
      contractNumber: '74-00025',
      sms: '+79514567890',
      email: '',
      tarifPk: T.internet100.pk,
      homePk: H.lenina21a.pk,
      flat: '4',
      balance: 'abc',
      balanceKopecks: null,
      logins: [{ pk: 126, login: 'golubeva_mo', password: 'Yh6uJ7ik', sms: '', ip: '10.20.1.26' }],
      uslugaPks: [],
    },
    2,
  ),
  /** No address: home null, empty flat. */
  noAddress: sub(
    {
      ...ok,
      pk: 26,
      accountPk: 526,
      name: 'Виноградов Павел Ильич',
      contractNumber: '74-00026',
      sms: '8 912 300 26 26',
      email: '',
      tarifPk: T.internet100.pk,
      homePk: null,
      flat: '',
      balance: '410.00',
      logins: [{ pk: 127, login: 'vinogradov_pi', password: 'Ol8pK9ij', sms: '', ip: '10.20.1.27' }],
      uslugaPks: [],
    },
    2,
  ),
  /** No Users row at all (no cabinet login). */
  noLogin: sub(
    {
      ...ok,
      pk: 27,
      accountPk: 527,
      name: 'Богданова Светлана Игоревна',
      contractNumber: '74-00027',
      sms: '+7 (982) 270-27-27',
      email: '',
      tarifPk: T.domofonPlus.pk,
      homePk: H.gagarina5.pk,
      flat: '27',
      balance: '95.00',
      logins: [],
      uslugaPks: [U.domofon.pk],
    },
    2,
  ),
} as const satisfies Record<string, FixtureSubscriber>;

export type FixtureKey = keyof typeof FIXTURE;

export const FIXTURE_SUBSCRIBERS: readonly FixtureSubscriber[] = Object.values(FIXTURE);

/** FinanceOperations pks with storno = 1 (both belong to FIXTURE.storno). */
export const STORNO_OP_PKS = [1, 2] as const;

/** FinanceOperations.op_type values the simulator uses (names not public; our assumption). */
export const OP_TYPES = { payment: 1, charge: 2, serviceCharge: 3 } as const;

/**
 * The evidence profile only: a group with a login of its own and two members (one pays from the
 * group's account), and a subscriber blocked by a block record.
 */
export const GROUP_FIXTURE = {
  group: { pk: 40, accountPk: 540, name: 'Петров Иван Иванович (все договоры)', contractNumber: '74-00040', balance: '800.00', sms: '+7 (912) 040-40-40', login: { pk: 140, login: 'petrov_ii', password: 'Gr4upP40' } },
  flat: { pk: 41, accountPk: 541, name: 'Петров Иван Иванович', contractNumber: '74-00041', balance: '150.00', balanceKopecks: 15000, homePk: 32, flat: '17', tarifPk: 3, uslugaPks: [1], login: { pk: 141, login: 'petrov_kv', password: 'Kv41pass' } },
  /** No money account of its own: its balance is the group's. */
  dacha: { pk: 42, accountPk: null, name: 'Петров Иван Иванович (дача)', contractNumber: '74-00042', balanceKopecks: 80000, homePk: 35, flat: '', tarifPk: 8, uslugaPks: [] as number[] },
} as const;

export const BLOCKED_FIXTURE = {
  pk: 28, accountPk: 528, name: 'Орлова Елена Андреевна', contractNumber: '74-00028', balance: '320.00', homePk: 31, flat: '8', tarifPk: 3,
  login: { pk: 128, login: 'orlova_ea', password: 'Bl0ck-28' },
  /** AbonentsBlock pks: 1 current (since 5 days), 2 ended (for FIXTURE.healthy, last year). */
  blockPks: [1, 2],
} as const;

/** Rows of every fixture table, in insertion order, in the full shape (Table.insertShaped drops what a profile lacks). */
export type FixtureData = Record<
  'Abonents' | 'Users' | 'AdminAccounts' | 'Tarif' | 'Usluga' | 'UsersUsluga' | 'FinanceOperations' | 'Homes' | 'AbonentsBlock' | 'ArchAccountStack',
  RowInput[]
>;

function addDays(now: Date, days: number): Date {
  const d = new Date(now);
  d.setDate(d.getDate() + days);
  return d;
}

/** Local midnight of the first day of the month `back` months before now's month. */
function monthStart(now: Date, back: number): Date {
  return new Date(now.getFullYear(), now.getMonth() - back, 1);
}

const mmYyyy = (d: Date) => `${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;

const PAY_COMMENTS = [
  'Платёж через Сбербанк Онлайн',
  'Оплата в кассе офиса, ул. Кирова, 104',
  'Платёж через терминал QIWI',
  'Оплата картой в личном кабинете',
];

/** The fixture rows; the evidence profile's extra rows (groups, block records) only for it. */
export function buildFixtures(now: Date, profile: 'evidence' | 'legacy' = 'evidence'): FixtureData {
  const data: FixtureData = {
    Abonents: [],
    Users: [],
    AdminAccounts: [],
    Tarif: Object.values(FIXTURE_TARIFS).map((t) => ({ pk: t.pk, name: t.name, abonent_pay: t.abonentPay })),
    Usluga: Object.values(FIXTURE_USLUGI).map((u) => ({ pk: u.pk, name: u.name, comments: u.comments, cost: u.cost })),
    UsersUsluga: [],
    FinanceOperations: [],
    Homes: Object.values(FIXTURE_HOMES).map((h) => ({ ...h })),
    AbonentsBlock: [],
    ArchAccountStack: [],
  };

  data.Abonents.push({
    pk: GROUP_PK,
    name: 'Физические лица',
    is_folder: 1,
    enabled: 1,
    deleted: 0,
    allow_internet: '1',
    create_date: '2015-06-01 09:00:00',
    promise_pay: 0,
  });

  // Storno rows first, so their pks (1, 2) do not depend on "now".
  const s = FIXTURE.storno;
  const ops = data.FinanceOperations;
  const at = (back: number, day: number, time: string) => {
    const d = monthStart(now, back);
    d.setDate(day);
    return `${fmtDate(d)} ${time}`;
  };
  ops.push(
    { pk: 1, abonent_id: s.pk, op_date: at(2, 12, '11:15:02'), op_summa: '5000.00', storno: 1, op_type: OP_TYPES.payment, comment: 'Ошибочный платёж (сторнирован)' },
    { pk: 2, abonent_id: s.pk, op_date: at(3, 1, '00:05:00'), op_summa: '-450.00', storno: 1, op_type: OP_TYPES.charge, comment: 'Повторное списание абонентской платы (сторно)' },
  );

  let usersUslugaPk = 1;
  for (const f of FIXTURE_SUBSCRIBERS) {
    const d = f.ownDisabled;
    data.Abonents.push({
      pk: f.pk,
      name: f.name,
      contract_number: f.contractNumber,
      sms: f.sms,
      email: f.email,
      tarif_id: f.tarifPk,
      tarif_next_id: f.pk === FIXTURE.debt.pk ? FIXTURE_TARIFS.social.pk : null,
      account_id: f.accountPk,
      home_id: f.homePk,
      parent_id: GROUP_PK,
      a_home_number: f.flat,
      allow_internet: f.allowInternet,
      own_disabled_start: d ? fmtDate(addDays(now, d.startDays)) : null,
      own_disabled_end: d && d.endDays !== null ? fmtDate(addDays(now, d.endDays)) : null,
      promise_pay: 0,
      recomend_pay_sum: f.balanceKopecks !== null && f.balanceKopecks < 0 ? String(-f.balanceKopecks / 100 + 450) : '0.00',
      minimal_pay_sum: f.balanceKopecks !== null && f.balanceKopecks < 0 ? String(-f.balanceKopecks / 100) : '0.00',
      is_folder: 0,
      create_date: f.activated ? `2019-0${(f.pk % 9) + 1}-14 10:${10 + f.pk}:31` : fmtDateTime(addDays(now, -3)),
      activate_date: f.activated ? `2019-0${(f.pk % 9) + 1}-15` : null,
      enabled: f.enabled,
      deleted: f.deleted,
    });
    data.AdminAccounts.push({ pk: f.accountPk, balance: f.balance });
  }

  // Users: morozov_av2 (120) is stored before morozov_av (119) on purpose.
  const users = FIXTURE_SUBSCRIBERS.flatMap((f) => f.logins.map((l) => ({ f, l })));
  users.sort((a, b) => (a.l.pk === 120 ? -1 : b.l.pk === 120 ? 1 : a.l.pk - b.l.pk));
  for (const { f, l } of users) {
    data.Users.push({ pk: l.pk, login: l.login, abonent_id: f.pk, sms: l.sms, gen_pwd: l.password, ip: l.ip });
  }

  const comments: Record<number, string> = { [U.domofon.pk]: 'подъезд 2, ключи 2 шт.' };
  for (const f of FIXTURE_SUBSCRIBERS) {
    for (const u of f.uslugaPks) {
      data.UsersUsluga.push({ pk: usersUslugaPk++, abonent_id: f.pk, usluga_id: u, comment: comments[u] ?? '' });
    }
  }

  // Monthly history: abonent pay on the 1st at 00:05, services at 00:06, a payment on the 9th.
  const tarifs = Object.values(FIXTURE_TARIFS);
  const uslugi = Object.values(FIXTURE_USLUGI);
  const nowText = fmtDateTime(now);
  let opPk = 3;
  for (const f of FIXTURE_SUBSCRIBERS) {
    const tarif = tarifs.find((t) => t.pk === f.tarifPk)!;
    for (let back = f.historyMonths - 1; back >= 0; back--) {
      const month = monthStart(now, back);
      const push = (day: number, time: string, summa: string, type: number, comment: string) => {
        const date = at(back, day, time);
        if (date > nowText) return; // never in the future
        ops.push({ pk: opPk++, abonent_id: f.pk, op_date: date, op_summa: summa, storno: 0, op_type: type, comment });
      };
      push(1, '00:05:00', `-${tarif.abonentPay}`, OP_TYPES.charge, `Абонентская плата по тарифу «${tarif.name}» за ${mmYyyy(month)}`);
      for (const u of f.uslugaPks) {
        const usl = uslugi.find((x) => x.pk === u)!;
        push(1, '00:06:00', `-${usl.cost}`, OP_TYPES.serviceCharge, `Услуга «${usl.name}» за ${mmYyyy(month)}`);
      }
      if (back % 2 === 0 || f.pk % 2 === 0) {
        const amount = f.pk === FIXTURE.debt.pk ? '300.00' : back % 3 === 0 ? '1000.00' : '500.00';
        push(9, `1${f.pk % 10}:42:17`, amount, OP_TYPES.payment, PAY_COMMENTS[(f.pk + back) % PAY_COMMENTS.length]!);
      }
    }
  }
  if (profile === 'evidence') addEvidenceFixtures(data, now, opPk);
  return data;
}

/** Rows only the evidence profile has (a profile without those models, or with other pks, drops or keeps them apart). */
function addEvidenceFixtures(data: FixtureData, now: Date, firstOpPk: number): void {
  const g = GROUP_FIXTURE;
  const base = { allow_internet: '1', promise_pay: 0, recomend_pay_sum: '0.00', minimal_pay_sum: '0.00', create_date: '2021-03-01 10:00:00', activate_date: '2021-03-02', enabled: 1, deleted: 0, email: '' };
  data.Abonents.push(
    { ...base, pk: g.group.pk, name: g.group.name, contract_number: g.group.contractNumber, sms: g.group.sms, account_id: g.group.accountPk, parent_id: GROUP_PK, is_folder: 1, home_id: null, a_home_number: '', tarif_id: null },
    { ...base, pk: g.flat.pk, name: g.flat.name, contract_number: g.flat.contractNumber, sms: '', account_id: g.flat.accountPk, parent_id: g.group.pk, is_folder: 0, home_id: g.flat.homePk, a_home_number: g.flat.flat, tarif_id: g.flat.tarifPk },
    { ...base, pk: g.dacha.pk, name: g.dacha.name, contract_number: g.dacha.contractNumber, sms: '', account_id: null, parent_id: g.group.pk, is_folder: 0, home_id: g.dacha.homePk, a_home_number: '', tarif_id: g.dacha.tarifPk },
  );
  data.AdminAccounts.push({ pk: g.group.accountPk, balance: g.group.balance }, { pk: g.flat.accountPk, balance: g.flat.balance });
  data.Users.push(
    { pk: g.group.login.pk, login: g.group.login.login, abonent_id: g.group.pk, sms: '', gen_pwd: g.group.login.password, ip: '' },
    { pk: g.flat.login.pk, login: g.flat.login.login, abonent_id: g.flat.pk, sms: '', gen_pwd: g.flat.login.password, ip: '' },
  );
  let usersUslugaPk = 100;
  for (const u of g.flat.uslugaPks) data.UsersUsluga.push({ pk: usersUslugaPk++, abonent_id: g.flat.pk, usluga_id: u, comment: '' });
  const b = BLOCKED_FIXTURE;
  data.Abonents.push({ ...base, pk: b.pk, name: b.name, contract_number: b.contractNumber, sms: '+7 (922) 028-28-28', account_id: b.accountPk, parent_id: GROUP_PK, is_folder: 0, home_id: b.homePk, a_home_number: b.flat, tarif_id: b.tarifPk });
  data.AdminAccounts.push({ pk: b.accountPk, balance: b.balance });
  data.Users.push({ pk: b.login.pk, login: b.login.login, abonent_id: b.pk, sms: '', gen_pwd: b.login.password, ip: '' });
  data.AbonentsBlock.push(
    { pk: b.blockPks[0], abonent_id: b.pk, date_start: fmtDateTime(addDays(now, -5)), date_end: null, comment: 'Блокировка администратором' },
    { pk: b.blockPks[1], abonent_id: FIXTURE.healthy.pk, date_start: fmtDateTime(addDays(now, -400)), date_end: fmtDateTime(addDays(now, -390)), comment: 'Добровольная блокировка' },
  );
  // Monthly charges of the members, on the 1st, as for the other fixtures.
  let opPk = firstOpPk;
  const nowText = fmtDateTime(now);
  for (const m of [g.flat, g.dacha]) {
    const tarif = Object.values(FIXTURE_TARIFS).find((t) => t.pk === m.tarifPk)!;
    for (let back = 2; back >= 0; back--) {
      const d = monthStart(now, back);
      const date = `${fmtDate(d)} 00:05:00`;
      if (date > nowText) continue;
      data.FinanceOperations.push({ pk: opPk++, abonent_id: m.pk, op_date: date, op_summa: `-${tarif.abonentPay}`, storno: 0, op_type: OP_TYPES.charge, comment: `Абонентская плата по тарифу «${tarif.name}» за ${mmYyyy(d)}` });
    }
  }
  // Balance movements: the same operations, as ArchAccountStack shows them (storno ones are not movements).
  let movePk = 1;
  for (const op of data.FinanceOperations) {
    if (op.storno === 1) continue;
    data.ArchAccountStack.push({ pk: movePk++, abonent_id: op.abonent_id, change_balance_time: op.op_date, summa: op.op_summa, comment: op.comment });
  }
}
