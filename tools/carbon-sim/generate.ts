// N generated subscribers, deterministic from a seed, for size and load tests.
// Generated pks start high so they never meet the hand-written fixtures (see GENERATED).
import type { Database } from './db.js';
import { FIXTURE_TARIFS, FIXTURE_USLUGI, GROUP_PK, OP_TYPES } from './fixtures.js';
import { fmtDate } from './values.js';
import { seededRandom } from '../../main/seeded-random.js';

/** Where generated rows start. The i-th subscriber: Abonents 1001+i, AdminAccounts 200001+i, Users 300001+2i (and +1 for a second login). */
export const GENERATED = {
  firstAbonentPk: 1001,
  firstAccountPk: 200_001,
  firstUserPk: 300_001,
  firstHomePk: 1001,
} as const;


// Surname [male, latin], female form derived.
const SURNAMES: Array<[string, string]> = [
  ['Иванов', 'ivanov'], ['Петров', 'petrov'], ['Сидоров', 'sidorov'], ['Смирнов', 'smirnov'], ['Кузнецов', 'kuznetsov'],
  ['Попов', 'popov'], ['Васильев', 'vasiliev'], ['Соколов', 'sokolov'], ['Михайлов', 'mikhailov'], ['Новиков', 'novikov'],
  ['Фёдоров', 'fedorov'], ['Морозов', 'morozov'], ['Волков', 'volkov'], ['Алексеев', 'alekseev'], ['Лебедев', 'lebedev'],
  ['Семёнов', 'semenov'], ['Егоров', 'egorov'], ['Павлов', 'pavlov'], ['Козлов', 'kozlov'], ['Степанов', 'stepanov'],
  ['Николаев', 'nikolaev'], ['Орлов', 'orlov'], ['Андреев', 'andreev'], ['Макаров', 'makarov'], ['Никитин', 'nikitin'],
  ['Захаров', 'zakharov'], ['Зайцев', 'zaitsev'], ['Соловьёв', 'soloviev'], ['Борисов', 'borisov'], ['Яковлев', 'yakovlev'],
  ['Григорьев', 'grigoriev'], ['Романов', 'romanov'], ['Воробьёв', 'vorobiev'], ['Сергеев', 'sergeev'], ['Кириллов', 'kirillov'],
  ['Гусев', 'gusev'], ['Титов', 'titov'], ['Белов', 'belov'], ['Комаров', 'komarov'], ['Медведев', 'medvedev'],
  ['Шевчук', 'shevchuk'], ['Галиуллин', 'galiullin'], ['Хабибуллин', 'khabibullin'], ['Уфимцев', 'ufimtsev'], ['Черепанов', 'cherepanov'],
];
const MALE_NAMES = ['Александр', 'Сергей', 'Дмитрий', 'Андрей', 'Алексей', 'Максим', 'Евгений', 'Владимир', 'Иван', 'Михаил', 'Николай', 'Артём', 'Павел', 'Олег', 'Игорь', 'Роман', 'Виктор', 'Юрий', 'Денис', 'Рустам'];
const FEMALE_NAMES = ['Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Анна', 'Мария', 'Екатерина', 'Юлия', 'Марина', 'Людмила', 'Галина', 'Анастасия', 'Оксана', 'Валентина', 'Дарья', 'Гульнара'];
const PATRONYMIC_ROOTS = ['Александров', 'Сергеев', 'Дмитриев', 'Андреев', 'Алексеев', 'Владимиров', 'Иванов', 'Михайлов', 'Николаев', 'Павлов', 'Викторов', 'Юрьев', 'Петров', 'Олегов', 'Игорев', 'Геннадьев', 'Анатольев', 'Васильев'];
const STREETS = [
  'ул. Кирова', 'пр. Ленина', 'ул. Братьев Кашириных', 'Комсомольский пр.', 'ул. Молдавская', 'ул. Гагарина',
  'пр. Победы', 'ул. Труда', 'ул. Свободы', 'ул. Цвиллинга', 'Свердловский пр.', 'ул. Чичерина', 'ул. Салавата Юлаева',
  'пр. Комарова', 'ул. 250-летия Челябинска', 'ул. Энтузиастов', 'ул. Российская', 'ул. Бажова', 'ул. Хохрякова',
  'Копейское ш.', 'ул. Сталеваров', 'ул. Танкистов', 'ул. Воровского', 'ул. Академика Королёва', 'ул. Новороссийская',
];
const PAY_COMMENTS = ['Платёж через Сбербанк Онлайн', 'Платёж через терминал QIWI', 'Оплата картой в личном кабинете', 'Оплата в кассе офиса'];
const PWD_CHARS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface GenerateOptions {
  count: number;
  seed: number;
  now: Date;
}

export function generate(db: Database, { count, seed, now }: GenerateOptions): void {
  if (count <= 0) return;
  const r = seededRandom(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const digits = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(int(10));
    return s;
  };

  const abonents = db.table('Abonents');
  const accounts = db.table('AdminAccounts');
  const users = db.table('Users');
  const homes = db.table('Homes');
  const usersUsluga = db.table('UsersUsluga');
  const ops = db.table('FinanceOperations');
  const blocks = db.find('AbonentsBlock');
  const tarifs = Object.values(FIXTURE_TARIFS).filter((t) => t.pk !== FIXTURE_TARIFS.archive.pk);

  // A pool of houses, about one per 20 subscribers.
  const homeCount = Math.min(3000, Math.max(10, Math.ceil(count / 20)));
  const homePks: number[] = [];
  for (let i = 0; i < homeCount; i++) {
    const pk = GENERATED.firstHomePk + i;
    const sNumber = 1 + int(120);
    const liter = r() < 0.1 ? pick(['А', 'Б', '/1', 'к2']) : '';
    const number = `${sNumber}${liter}`;
    const guid = r() < 0.15 ? '' : [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('')).join('-');
    const street = pick(STREETS);
    homes.insertPicked({
      pk, name: `г. Челябинск, ${street}, д. ${number}`, number, fias_guid: guid,
      city: 'г. Челябинск', settlement: '', street, s_number: sNumber, s_liter: liter, connect_date: null,
    });
    homePks.push(pk);
  }

  const phone = (): string => {
    const code = pick(['912', '922', '904', '908', '951', '919', '982', '900']);
    const a = digits(3);
    const b = digits(2);
    const c = digits(2);
    switch (int(6)) {
      case 0: return `+7 (${code}) ${a}-${b}-${c}`;
      case 1: return `8${code}${a}${b}${c}`;
      case 2: return `8-351-${a}-${b}-${c}`;
      case 3: return `+7${code}${a}${b}${c}`;
      case 4: return `8 (${code}) ${a} ${b} ${c}`;
      default: return `${a}-${b}-${c}`; // a local city number without a code
    }
  };
  const password = () => {
    let s = '';
    for (let i = 0; i < 8; i++) s += PWD_CHARS[int(PWD_CHARS.length)];
    return s;
  };

  // Operation dates: abonent pay on the 1st, payments some day of the month, never in the future.
  const nowText = `${fmtDate(now)} 23:59:59`;
  const monthPrefix: string[] = [];
  for (let back = 0; back < 14; back++) {
    monthPrefix.push(fmtDate(new Date(now.getFullYear(), now.getMonth() - back, 1)).slice(0, 8));
  }
  const today = now.getDate();
  const dayText = (n: number) => String(n).padStart(2, '0');
  const relDate = (days: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    return fmtDate(d);
  };

  let opPk = Math.max(ops.nextPk(), 1_000_001);
  let uuPk = Math.max(usersUsluga.nextPk(), 1_000_001);
  for (let i = 0; i < count; i++) {
    const pk = GENERATED.firstAbonentPk + i;
    const accountPk = GENERATED.firstAccountPk + i;
    const [surname, latin] = pick(SURNAMES);
    const female = r() < 0.5;
    const name = female
      ? `${/(ов|ев|ёв|ин)$/.test(surname) ? `${surname}а` : surname} ${pick(FEMALE_NAMES)} ${pick(PATRONYMIC_ROOTS)}на`
      : `${surname} ${pick(MALE_NAMES)} ${pick(PATRONYMIC_ROOTS)}ич`;
    const tarif = pick(tarifs);

    // State mix: mostly healthy, a few of every special case.
    const s = r();
    const debt = s >= 0.8 && s < 0.88;
    const voluntary = s >= 0.88 && s < 0.9;
    const voluntaryOpen = s >= 0.9 && s < 0.905;
    const adminBlock = s >= 0.905 && s < 0.915;
    const deleted = s >= 0.915 && s < 0.935;
    const disabled = s >= 0.935 && s < 0.945;
    const notActivated = s >= 0.945 && s < 0.955;

    const cents = debt ? -(100 + int(150000)) : int(250000);
    accounts.insertPicked({ pk: accountPk, balance: `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}` });

    const ph = r();
    const sms = ph < 0.07 ? '' : ph < 0.12 ? `${phone()}, ${phone()}` : phone();
    const year = 2012 + int(13);
    const month = 1 + int(12);
    const day = 1 + int(28);
    const created = `${year}-${dayText(month)}-${dayText(day)}`;
    abonents.insertPicked({
      pk,
      name,
      contract_number: `74-${String(pk).padStart(6, '0')}`,
      sms,
      email: r() < 0.3 ? `${latin}${pk}@mail.ru` : '',
      tarif_id: tarif.pk,
      tarif_next_id: null,
      account_id: accountPk,
      home_id: r() < 0.02 ? null : pick(homePks),
      parent_id: GROUP_PK,
      a_home_number: String(1 + int(200)),
      allow_internet: adminBlock ? '0' : '1',
      own_disabled_start: voluntary ? relDate(-int(20) - 1) : voluntaryOpen ? relDate(-int(90) - 1) : null,
      own_disabled_end: voluntary ? relDate(int(30) + 1) : null,
      promise_pay: 0,
      recomend_pay_sum: '0.00',
      minimal_pay_sum: '0.00',
      is_folder: 0,
      create_date: notActivated ? `${relDate(-int(5))} 12:00:00` : `${created} ${dayText(9 + int(9))}:${dayText(int(60))}:00`,
      activate_date: notActivated ? null : created,
      enabled: disabled ? 0 : 1,
      deleted: deleted ? 1 : 0,
    });

    const logins = r() < 0.03 ? 2 : 1;
    for (let j = 0; j < logins; j++) {
      users.insertPicked({
        pk: GENERATED.firstUserPk + i * 2 + j,
        login: `${latin}${pk}${j ? `_${j + 1}` : ''}`,
        abonent_id: pk,
        sms: '',
        gen_pwd: password(),
        ip: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      });
    }

    if (adminBlock && blocks) blocks.insertPicked({ pk: blocks.nextPk(), abonent_id: pk, date_start: `${relDate(-int(60) - 1)} 10:00:00`, date_end: null, comment: 'Блокировка администратором' });

    if (r() < 0.3) {
      usersUsluga.insertPicked({ pk: uuPk++, abonent_id: pk, usluga_id: FIXTURE_USLUGI.domofon.pk, comment: '' });
    }

    if (notActivated) continue;
    // 3–13 operations: pairs of (monthly charge, payment) going back from this month.
    const n = 3 + int(11);
    for (let k = 0; k < n; k++) {
      const back = k >> 1;
      const prefix = monthPrefix[back]!;
      let date: string;
      let summa: string;
      let type: number;
      let comment: string;
      if (k % 2 === 0) {
        date = `${prefix}01 00:05:00`;
        summa = `-${tarif.abonentPay}`;
        type = OP_TYPES.charge;
        comment = `Абонентская плата по тарифу «${tarif.name}»`;
      } else {
        const d = back === 0 ? 1 + int(today) : 2 + int(26);
        date = `${prefix}${dayText(d)} ${dayText(8 + int(14))}:${dayText(int(60))}:${dayText(int(60))}`;
        summa = pick(['300.00', '500.00', '1000.00', tarif.abonentPay]);
        type = OP_TYPES.payment;
        comment = pick(PAY_COMMENTS);
      }
      if (date > nowText) continue;
      ops.insertPicked({ pk: opPk++, abonent_id: pk, op_date: date, op_summa: summa, storno: r() < 0.01 ? 1 : 0, op_type: type, comment });
    }
  }
}
