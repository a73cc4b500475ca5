// The words of the Subscriber page, Russian and English. The agent sends each verdict reason as a
// code with parameters; they are worded here, and the agent's English sentence is the fallback
// for a code this dashboard does not know yet.
import type { Reason, VerdictRule } from '../../shared/admin.ts';
import type { Lang } from './i18n.ts';

type P = Record<string, string | number>;
type Words = (p: P, lang: Lang) => string;

const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB' };

/** Kopecks as rubles in the language's own way: "−450,50 ₽", "−RUB 450.50". */
export function money(kopecks: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'RUB' }).format(kopecks / 100);
}

function when(value: string | number | undefined, lang: Lang): string {
  const date = new Date(String(value ?? ''));
  if (value === '' || Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString(LOCALE[lang], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** "contract 12331231", "all contracts of user 1", "charges of user 1", "user record" in Russian. */
export function targetText(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return text
    .replace(/^all contracts of user (\S+)$/, 'все договоры абонента $1')
    .replace(/^charges of user (\S+)$/, 'списания абонента $1')
    .replace(/^contract (\S+) \(removed\)$/, 'договор $1 (удалён)')
    .replace(/^contract (\S+)$/, 'договор $1')
    .replace(/^user record$/, 'данные абонента')
    .replace(/^charges$/, 'списания');
}

const parts = (p: P, lang: Lang) => String(p.parts ?? '').split(', ').map((x) => targetText(x, lang)).join(', ');

const REASONS_RU: Record<string, Words> = {
  'user-active': () => 'Абонент не заблокирован в биллинге.',
  'user-blocked': () => 'Биллинг отмечает абонента как заблокированного (is_blocked): платформа считает его заблокированным.',
  'password-set': () => 'Пароль задан: вход по логину и паролю работает.',
  'password-empty': () => 'В биллинге нет пароля: войти по логину и паролю нельзя.',
  phones: (p) => `Телефонов: ${p.count}. Вход по номеру телефона работает.`,
  'no-phone': () => 'Нет ни одного годного номера телефона: войти по номеру нельзя.',
  'delivery-dead': (p, l) => `Платформа не узнала об изменении: уведомление «${targetText(String(p.target), l)}» брошено ${when(p.at, l)} (${p.reason}). Отправьте его снова (раздел «Состояние» или billing-bridge dead-letters resend ${p.id}).`,
  'delivery-waiting': (p, l) => `Уведомление «${targetText(String(p.target), l)}» ждёт отправки с ${when(p.since, l)} (попыток: ${p.attempts}${p.error ? `, последняя ошибка: ${p.error}` : ''}): у платформы могут быть старые данные.`,
  'not-scanned': () => 'Первая проверка биллинга ещё не закончилась: неизвестно, что знает платформа.',
  'changed-since-scan': (p, l) => `Данные изменились после последней проверки (${parts(p, l)}): платформа узнает о них со следующей проверкой.`,
  'new-since-scan': () => 'Абонент появился после последней проверки: платформа прочитает его данные при входе, агент учтёт его при следующей проверке.',
  delivered: (p, l) => `Платформа приняла последнее уведомление об этом абоненте («${targetText(String(p.target), l)}») ${when(p.at, l)} (HTTP ${p.status}).`,
  'in-step': (p, l) => `С проверки ${when(p.at, l)} ничего не менялось и уведомлений в очереди нет: у платформы актуальные данные.`,
  'balance-ok': (p, l) => `Баланс ${money(Number(p.balance), l)} — не меньше нуля.`,
  'balance-negative': (p, l) => `Баланс ${money(Number(p.balance), l)} — меньше нуля: платформа не даёт доступа, пока баланс не станет 0 или больше.`,
  'forced-block': () => 'На договоре принудительная блокировка (settings: blocked / services_suspended_pending_payment): платформа блокирует его при любом балансе.',
  'no-forced-block': () => 'Принудительной блокировки нет.',
  'state-connected': () => 'Договор подключён (состояние 2).',
  'state-new': () => 'Договор новый (состояние 1) и ещё не подключён: услуги могут не работать до подключения.',
  'state-suspended': () => 'Договор приостановлен (состояние 3): услуги остановлены.',
  'state-terminated': () => 'Договор расторгнут (состояние 4).',
  'no-tariff': () => 'У договора нет тарифа: нет услуг — нет и доступа в приложении.',
  'permissions-not-set': (p) => `Не задано, какие услуги дают какие права (permissions.services в настройках), поэтому нельзя сказать, открывает ли дверь ${p.tariffs}.`,
  'no-permission-services': () => 'Ни одна услуга не даёт прав — в этом случае платформа даёт все права по умолчанию.',
  'door-service': (p) => `Тариф «${p.tariff}» включает услугу «${p.service}», которая открывает дверь (open_relay).`,
  'unknown-tariff': (p) => `Тарифа ${p.ids} нет в /api/tariffs: платформа не видит его услуг.`,
  'no-door-permission': (p) => `Тарифы (${p.tariffs}) дают ${p.permissions}, но не открытие двери (open_relay).`,
  'no-intercom-service': (p) => `Ни в одном тарифе договора (${p.tariffs}) нет услуги, которая даёт права домофона.`,
  'door-yes': (p) => `В биллинге ничто не мешает открыть дверь: все проверки пройдены (договоров: ${p.passing} из ${p.total}).`,
  'cannot-sign-in': () => 'У абонента нет ни пароля, ни телефона: войти в приложение он не может.',
  'no-contracts': () => 'У абонента нет договоров: правам неоткуда взяться.',
  entrance: () => 'Доступ к подъезду задаётся в платформе, а не в биллинге: если здесь всё в порядке, проверьте его в админке платформы.',
};

const REASONS_EN: Record<string, Words> = {
  'balance-ok': (p, l) => `Balance ${money(Number(p.balance), l)} is not below zero.`,
  'balance-negative': (p, l) => `Balance ${money(Number(p.balance), l)} is below zero: the platform grants no permissions until it is paid up to 0 or more.`,
  'delivery-dead': (p, l) => `Core was not told about a change: the callback for ${p.target} was given up on ${when(p.at, l)} (${p.reason}). Send it again (Status page, or billing-bridge dead-letters resend ${p.id}).`,
  'delivery-waiting': (p, l) => `A callback for ${p.target} has waited since ${when(p.since, l)} (${p.attempts} attempts${p.error ? `, last error: ${p.error}` : ''}): core may still show older data.`,
  delivered: (p, l) => `Core accepted the last callback about this subscriber (${p.target}) ${when(p.at, l)} (HTTP ${p.status}).`,
  'in-step': (p, l) => `Nothing changed since the check at ${when(p.at, l)} and no callback is waiting: core has the billing's data.`,
};

/** A reason in the chosen language; the agent's own English sentence when the code is new to us. */
export function reasonText(r: Reason, lang: Lang): string {
  const words = (lang === 'ru' ? REASONS_RU : REASONS_EN)[r.code];
  return words ? words(r.params, lang) : r.text;
}

const ru = {
  title: 'Абонент',
  searchTitle: 'Почему абонент не может открыть дверь?',
  searchExplain: 'Найдите абонента по логину, телефону (в любой записи) или номеру договора: агент спросит биллинг и проверит правила платформы.',
  query: 'Логин, телефон или номер договора', queryHint: 'Например: 1595, 8 909 083-34-14 или 1595-И',
  find: 'Найти',
  notReady: 'Первая проверка биллинга ещё не закончилась, поэтому искать по логину, телефону и договору пока нельзя. Попробуйте через минуту.',
  rebuilding: 'Указатель для поиска перестраивается (новый ключ или сразу много изменений) и будет готов после следующей проверки биллинга. Пока абонента можно найти только по номеру абонента или договора (ext_id).',
  none: (at: string) => `Нет абонента с таким логином, телефоном или номером договора (по проверке ${at}). Добавленные позже найдутся после следующей проверки.`,
  several: 'Подходят несколько абонентов — выберите одного:',
  matchedBy: { login: 'логин', phone: 'телефон', account: 'номер договора', 'user-id': 'номер абонента', 'contract-id': 'номер договора (ext_id)' } as Record<string, string>,
  show: 'Показать',
  door: { yes: 'Может открыть дверь', no: 'Не может открыть дверь', maybe: 'Может не открыть дверь' },
  status: { ok: 'в порядке', fail: 'не пройдено', warn: 'внимание', unknown: 'неизвестно' },
  rules: {
    'user-blocked': 'Блокировка абонента', password: 'Пароль', phone: 'Телефон', delivery: 'Платформа знает изменения',
    balance: 'Баланс', 'forced-block': 'Принудительная блокировка', tariff: 'Тариф и услуги', state: 'Состояние договора',
  } satisfies Record<VerdictRule['rule'], string>,
  checksTitle: 'Правила платформы', userChecks: (id: string, login: string) => `Абонент ${id} (логин ${login})`,
  contractChecks: (id: string, account: string) => `Договор ${id} (${account})`,
  notChecked: 'Не проверяется здесь',
  coreTitle: 'Что получает платформа', coreExplain: 'Ответы API для этого абонента, полученные только что из биллинга.',
  user: 'Абонент (/api/users)', contracts: 'Договоры (/api/contracts)', tariffs: 'Тарифы договоров', charges: 'Списания (/api/charges)',
  noContracts: 'Договоров нет (платформа получит 404).',
  fullName: 'ФИО', login: 'Логин', blocked: 'Заблокирован', phones: 'Телефоны', password: 'Пароль',
  passwordSet: 'задан (не показывается)', passwordEmpty: 'не задан',
  extId: 'ext_id', account: 'Лицевой счёт', state: 'Состояние', balance: 'Баланс', forced: 'Принуд. блокировка', address: 'Адрес',
  tariffName: 'Тариф', services: 'Услуги и права', notInCatalogue: 'нет в /api/tariffs', noRights: 'без прав',
  period: 'Период', cost: 'Сумма', description: 'Описание',
  chargesShown: (shown: number, total: number) => `Показаны последние ${shown} из ${total}.`, noCharges: 'Списаний нет.',
  states: { 1: 'новый', 2: 'подключён', 3: 'приостановлен', 4: 'расторгнут' } as Record<number, string>,
  deliveryTitle: 'Уведомления платформе',
  sinceScan: 'После последней проверки',
  since: { same: 'без изменений', changed: 'есть изменения', new: 'новый абонент', 'not-scanned': 'проверок ещё не было' },
  lastAttempt: 'Последняя попытка доставки', noAttempt: 'не сохранилась (хранятся последние 200)',
  accepted: 'принято', refused: 'не принято', waiting: 'Ждут отправки', dead: 'Недоставленные',
  selftestTitle: 'Самопроверка API',
  selftestExplain: 'Агент обратится к своему API с 127.0.0.1 так же, как платформа, для выборки абонентов и сверит каждый ответ со спецификацией.',
  runSelftest: 'Запустить самопроверку',
  selftestPassed: (n: number, subs: number, ms: string) => `Все проверки пройдены: ${n} для ${subs} абонентов (${ms}).`,
  selftestFailed: (f: number, n: number) => `Не пройдено проверок: ${f} из ${n}. Платформа получила бы неверные ответы.`,
  selftestStopped: 'Самопроверка не смогла начаться',
  check: 'Проверка', result: 'Результат', problems: 'Что не так',
  checkNames: {
    'the API answers': 'API отвечает',
    'services: schema': 'услуги: формат',
    'tariffs: schema': 'тарифы: формат',
    'tariffs: their services are listed': 'тарифы: их услуги есть в списке',
    'users: schema and id': 'абонент: формат и номер',
    'contracts of a user: schema': 'договоры абонента: формат',
    'contracts: their tariffs are listed': 'договоры: их тарифы есть в списке',
    'contracts?id= gives the same contract': 'договор по ext_id тот же',
    'charges: schema': 'списания: формат',
    'charges: newest first': 'списания: сначала новые',
    'charges: accounts of the user\'s contracts': 'списания: по счетам абонента',
    'charges: limit=1 is the newest': 'списания: limit=1 — самое новое',
    'auth: own login and password give the user\'s id': 'вход: свой логин и пароль',
    'auth: a wrong password is 401': 'вход: неверный пароль — 401',
    'unknown ids: 404 JSON': 'неизвестные номера — 404',
    'missing parameters: 400 JSON': 'нет параметров — 400',
  } as Record<string, string>,
  reportTitle: 'Отчёт синхронизации',
  reportNone: 'Проверок биллинга ещё не было: отчёт составляет каждая успешная проверка.',
  lastScan: (at: string) => `Последняя проверка: ${at}`,
  counts: { subscribers: 'Абонентов', contracts: 'Договоров', tariffs: 'Тарифов', services: 'Услуг' },
  unknownCount: 'неизвестно', vsPrevious: 'с прошлой проверки',
  problemsTitle: 'Абоненты, которых платформа не сможет обслужить правильно',
  problemsExplain: 'Только номера абонентов (ext_user_id): исправьте данные в биллинге.',
  noProblems: 'Таких абонентов нет.',
  kind: 'Что не так', count: 'Сколько', ids: 'Абоненты',
  kinds: {
    'duplicate-login': 'одинаковый логин у нескольких абонентов',
    'no-tariff': 'договор без тарифа',
    'unknown-tariff': 'тарифа договора нет в /api/tariffs',
    'unparseable-phone': 'в поле телефона не номер',
    'no-phone': 'нет телефона',
  } as Record<string, string>,
  more: (n: number) => `и ещё ${n}`,
};

export type SubscriberStrings = typeof ru;

const en: SubscriberStrings = {
  title: 'Subscriber',
  searchTitle: 'Why can\'t this subscriber open the door?',
  searchExplain: 'Find a subscriber by login, phone (written any way) or contract number: the agent asks the billing and applies the platform\'s rules.',
  query: 'Login, phone or contract number', queryHint: 'For example: 1595, 8 909 083-34-14 or 1595-И',
  find: 'Find',
  notReady: 'The first check of the billing has not finished yet, so subscribers cannot be found by login, phone or contract yet. Try again in a minute.',
  rebuilding: 'The search index is being rebuilt (a new key, or many changes at once) and is ready after the next check of the billing. Until then a subscriber is found by user or contract id (ext_id) only.',
  none: (at: string) => `No subscriber has this login, phone or contract number (as of the check at ${at}). Anyone added since is found after the next check.`,
  several: 'Several subscribers match — choose one:',
  matchedBy: { login: 'login', phone: 'phone', account: 'contract number', 'user-id': 'user id', 'contract-id': 'contract id (ext_id)' },
  show: 'Show',
  door: { yes: 'Can open the door', no: 'Cannot open the door', maybe: 'May not open the door' },
  status: { ok: 'ok', fail: 'failed', warn: 'attention', unknown: 'unknown' },
  rules: {
    'user-blocked': 'Blocking', password: 'Password', phone: 'Phone', delivery: 'Core knows the changes',
    balance: 'Balance', 'forced-block': 'Forced block', tariff: 'Tariff and services', state: 'Contract state',
  },
  checksTitle: 'The platform\'s rules', userChecks: (id: string, login: string) => `User ${id} (login ${login})`,
  contractChecks: (id: string, account: string) => `Contract ${id} (${account})`,
  notChecked: 'Not checked here',
  coreTitle: 'What core gets', coreExplain: 'The API\'s answers for this subscriber, read from the billing just now.',
  user: 'User (/api/users)', contracts: 'Contracts (/api/contracts)', tariffs: 'Tariffs of the contracts', charges: 'Charges (/api/charges)',
  noContracts: 'No contracts (core gets 404).',
  fullName: 'Full name', login: 'Login', blocked: 'Blocked', phones: 'Phones', password: 'Password',
  passwordSet: 'set (not shown)', passwordEmpty: 'not set',
  extId: 'ext_id', account: 'Account', state: 'State', balance: 'Balance', forced: 'Forced block', address: 'Address',
  tariffName: 'Tariff', services: 'Services and permissions', notInCatalogue: 'not in /api/tariffs', noRights: 'no permissions',
  period: 'Period', cost: 'Amount', description: 'Description',
  chargesShown: (shown: number, total: number) => `The newest ${shown} of ${total}.`, noCharges: 'No charges.',
  states: { 1: 'new', 2: 'connected', 3: 'suspended', 4: 'terminated' },
  deliveryTitle: 'Callbacks to core',
  sinceScan: 'Since the last check',
  since: { same: 'unchanged', changed: 'changed', new: 'new subscriber', 'not-scanned': 'no check yet' },
  lastAttempt: 'Last delivery attempt', noAttempt: 'none kept (the last 200 are kept)',
  accepted: 'accepted', refused: 'refused', waiting: 'Waiting', dead: 'Undelivered',
  selftestTitle: 'API self-test',
  selftestExplain: 'The agent calls its own API from 127.0.0.1 the way core does, for a sample of subscribers, and holds every answer to the spec.',
  runSelftest: 'Run the self-test',
  selftestPassed: (n: number, subs: number, ms: string) => `All ${n} checks passed for ${subs} subscribers (${ms}).`,
  selftestFailed: (f: number, n: number) => `${f} of ${n} checks failed: core would get wrong answers.`,
  selftestStopped: 'The self-test could not start',
  check: 'Check', result: 'Result', problems: 'What is wrong',
  checkNames: {},
  reportTitle: 'Sync report',
  reportNone: 'No check of the billing has finished yet: each successful check makes the report.',
  lastScan: (at: string) => `Last check: ${at}`,
  counts: { subscribers: 'Subscribers', contracts: 'Contracts', tariffs: 'Tariffs', services: 'Services' },
  unknownCount: 'unknown', vsPrevious: 'since the check before',
  problemsTitle: 'Subscribers core cannot be served correctly',
  problemsExplain: 'User ids (ext_user_id) only: fix their data in the billing.',
  noProblems: 'None.',
  kind: 'Problem', count: 'Count', ids: 'Subscribers',
  kinds: {
    'duplicate-login': 'the same login as another user',
    'no-tariff': 'a contract without a tariff',
    'unknown-tariff': 'a contract\'s tariff is not in /api/tariffs',
    'unparseable-phone': 'the phone field is not a number',
    'no-phone': 'no phone',
  },
  more: (n: number) => `and ${n} more`,
};

export const SUBSCRIBER_STRINGS: Record<Lang, SubscriberStrings> = { ru, en };
