// The dashboard's words, Russian first, English second: one table, no library. Messages the agent
// writes (problems, reasons, refusals) are shown as the agent wrote them.
import { createContext, useContext } from 'react';
import { AdminCallError } from '../../shared/admin-client.ts';
import type { ClientErrorCode } from './api.ts';
import type { ScanReport } from './contract.ts';

export type Lang = 'ru' | 'en';

const ru = {
  languageName: 'Русский',
  common: {
    ok: 'в порядке', fail: 'ошибка', yes: 'да', no: 'нет', cancel: 'Отмена', save: 'Сохранить', saved: 'Сохранено',
    unsaved: 'Есть несохранённые изменения', loading: 'Загрузка…', notUpdated: 'Данные не обновились:', refresh: 'Обновить',
    httpStatus: 'Ответ (HTTP)',
  },
  nav: {
    label: 'Разделы', language: 'Язык',
    status: 'Состояние', subscriber: 'Абонент', sync: 'Синхронизация', allowlist: 'Доступ', callbacks: 'Уведомления', settings: 'Настройки', logs: 'Журнал',
  },
  billingKinds: { demo: 'Демо-биллинг', carbon: 'Carbon Billing 5' },
  deliveryStates: {
    idle: 'всё отправлено', delivering: 'отправляет', retrying: 'повторяет попытки', refused: 'платформа отказывает',
    paused: 'на паузе', 'not-configured': 'не настроена',
  },
  errors: {
    agent_unreachable: 'Агент не отвечает. Проверьте, что он запущен, и обновите страницу.',
    agent_timeout: 'Агент не ответил вовремя. Попробуйте ещё раз.',
    bad_response: 'Ответ агента не подходит к этой версии панели. Обновите страницу; если не поможет — версии агента и панели различаются.',
    no_token: 'Нет ключа доступа: откройте панель по ссылке с ключом (#token=…).',
    unauthorized: 'Ключ доступа не подошёл (агент мог создать новый). Откройте панель заново по ссылке с ключом.',
  } satisfies Record<ClientErrorCode, string>,
  token: {
    title: 'Нужна ссылка с ключом доступа',
    explain: 'Панель управляет агентом, поэтому открывается только по ссылке с ключом. Откройте адрес вида:',
    where: 'Ключ — это содержимое файла admin-token в папке данных агента. После открытия ключ убирается из адресной строки и хранится только до закрытия вкладки.',
  },
  status: {
    title: 'Состояние', allWell: 'Всё работает: внимания ничего не требует.', problems: 'Требует внимания',
    billing: 'Биллинг', billingKind: 'Тип', reachable: 'Доступен', checkAgain: 'Проверить ещё раз',
    billingCalls: 'Запросов к биллингу за минуту',
    billingCallsValue: (scan: number, request: number) => `${scan} — проверка изменений, ${request} — запросы платформы и оператора`,
    core: 'Платформа (core)', coreAddress: 'Адрес', notSet: 'не задан', delivery: 'Отправка уведомлений', lastDelivered: 'Последняя доставка',
    never: 'ещё не было', testCore: 'Проверить связь с платформой',
    sync: 'Синхронизация', syncState: 'Состояние', interval: 'Проверка биллинга каждые', nextScan: 'Следующая проверка',
    scanRunning: (n: number) => `идёт сейчас, прочитано абонентов: ${n}`, manageSync: 'Управление синхронизацией →',
    lastScan: 'Последняя проверка биллинга', noScanYet: 'Проверок ещё не было.', when: 'Когда', took: 'Длилась',
    subscribers: 'Абонентов', changes: 'Изменения', noChanges: 'нет',
    changesDetail: (total: number, users: number, contracts: number, charges: number) => `${total} (абоненты: ${users}, договоры: ${contracts}, списания: ${charges})`,
    callbacksQueued: 'Уведомлений в очередь',
    queue: 'Очередь уведомлений', pending: 'Ждут отправки', oldestPending: 'Самое старое ждёт', deadLetters: 'Недоставленные',
    sentFailed: 'Доставлено / неудачных попыток', lastError: 'Последняя ошибка отправки', noErrors: 'Ошибок не было.', what: 'Что',
  },
  scan: {
    baseline: (subs: number) => `Первая проверка: агент запомнил данные ${subs} абонентов и ничего не отправлял — платформа их уже знает.`,
    resendAll: (callbacks: number, subs: number) => `Поставлено в очередь уведомлений: ${callbacks} (абонентов: ${subs}). Платформа перечитает всё.`,
    noChanges: (subs: number) => `Изменений нет (проверено абонентов: ${subs}).`,
    changes: (total: number, subs: number, callbacks: number) => `Найдено изменений: ${total} (проверено абонентов: ${subs}); уведомлений в очередь: ${callbacks}.`,
  },
  dead: {
    title: (n: number) => `Недоставленные уведомления: ${n}`,
    requeued: (n: number) => (n === 0 ? 'Нечего отправлять: этих уведомлений уже нет.' : `Снова в очереди: ${n}.`),
    explain: 'Платформа так и не приняла эти уведомления, и агент перестал пытаться. Когда причина устранена, отправьте их снова.',
    resendAll: 'Отправить все снова', resendAllQuestion: (n: number) => `Поставить в очередь снова все ${n}?`, resendAllConfirm: 'Да, отправить все',
    what: 'Что', failedAt: 'Прекращено', attempts: 'Попыток', reason: 'Причина', resendOne: 'Отправить снова',
    more: (n: number) => `И ещё ${n} — они тоже отправятся по кнопке «Отправить все снова».`,
  },
  sync: {
    title: 'Синхронизация', on: 'Включена', paused: 'На паузе', switchTitle: 'Включение',
    onExplain: (s: number) => `Агент проверяет биллинг каждые ${s} с и сообщает платформе об изменениях.`,
    pausedExplain: 'Изменения не ищутся и не отправляются. API для платформы продолжает работать, очередь сохраняется.',
    pause: 'Поставить на паузу', resume: 'Включить',
    scanTitle: 'Проверить биллинг сейчас', scanExplain: 'Сравнить биллинг с тем, что знает платформа, не дожидаясь очередной проверки.',
    scanNow: 'Проверить сейчас', needsResume: 'Сначала включите синхронизацию.',
    resendTitle: 'Отправить всё заново',
    resendExplain: 'Попросить платформу перечитать данные всех абонентов. Это по два уведомления на каждого абонента — нужно, только если платформа потеряла данные.',
    resendAll: 'Отправить всё заново', resendQuestion: 'Платформа перечитает всех абонентов. Продолжить?', resendConfirm: 'Да, отправить всё',
  },
  callbacks: {
    title: 'Уведомления платформе',
    explain: 'Уведомление просит платформу перечитать данные из биллинга. Обычно агент отправляет их сам; здесь можно отправить вручную.',
    formTitle: 'Отправить уведомление', sessionTitle: 'Отправленные сейчас', what: 'Что обновить',
    targets: { contract: 'Договор', user: 'Все договоры абонента', charge: 'Списания абонента' },
    contractId: 'Номер договора (ext_id)', userId: 'Номер абонента (ext_user_id)',
    contractHint: 'Например, 12331231', userHint: 'Например, 58208891',
    send: 'Отправить', waiting: 'Отправляем и ждём ответа платформы (до 5 секунд)…',
    outcomes: { delivered: 'Доставлено', failed: 'Не доставлено', queued: 'В очереди', pending: 'Ждёт ответа' },
    nextAttempt: 'Следующая попытка', deadLettered: 'Агент больше не будет пытаться: уведомление в недоставленных (раздел «Состояние»).',
    reason: 'Причина', recentTitle: 'Последние попытки доставки', noDeliveries: 'Попыток доставки ещё не было.',
    time: 'Время', attempt: 'Попытка', result: 'Результат', took: 'Заняло', accepted: 'принято', refused: 'не принято',
  },
  allowlist: {
    title: 'Доступ к API', saved: 'Список сохранён и уже действует.', entriesTitle: 'Разрешённые адреса',
    explain: 'Платформа получает данные только с этих адресов. Можно указать адрес (203.0.113.7) или диапазон (203.0.113.0/24).',
    entryLabel: (n: number) => `Адрес ${n}`, remove: 'Убрать', addEntry: '+ Добавить адрес',
    suggestion: (a: string) => `Адрес из настроек платформы: ${a}`, add: 'Добавить',
    allowAll: 'Разрешить любой адрес', allowAllWarning: 'Тогда данные абонентов сможет запросить кто угодно. Включайте, только если перед агентом стоит свой фильтр.',
    lockoutTitle: 'Этот список закроет доступ тем, кто недавно обращался',
    lockoutExplain: (list: string) => `За последние сутки к агенту обращались: ${list}. Скорее всего, это платформа — с новым списком она получит отказ.`,
    conflictTitle: 'Агент предупреждает', saveAnyway: 'Всё равно сохранить',
    refusedTitle: 'Недавно получили отказ', refusedExplain: 'Если платформа сменила адрес, он появится здесь — добавьте его одной кнопкой.',
    noneRefused: 'Отказов не было.', address: 'Адрес', requests: 'Запросов', last: 'Последний',
    inList: 'уже в списке', clientsTitle: 'Недавно обращались', clientsExplain: 'Кто получал данные: обычно это платформа.',
    noClients: 'Пока никто не обращался.', wouldBeRefused: 'получит отказ', allowed: 'разрешён',
  },
  settings: {
    title: 'Настройки', file: (f: string) => `Файл настроек: ${f}`,
    billingTitle: 'Биллинг', coreTitle: 'Платформа (core)', syncTitle: 'Синхронизация', phonesTitle: 'Телефоны',
    testBilling: 'Проверить биллинг', testDraft: 'Проверить эти настройки', testCore: 'Проверить связь с платформой',
    testBillingHint: 'Проверяется биллинг, с которым агент работает сейчас. Если вы сменили тип биллинга, сначала перезапустите агент.',
    wizardExplain: 'Пошаговая настройка: биллинг, платформа, доступ, формат телефонов.', openWizard: 'Открыть мастер настройки',
    savedApplied: 'Сохранено и уже действует.', savedRestart: 'Сохранено, но вступит в силу после перезапуска агента',
    restartFields: (list: string) => `Изменённые настройки: ${list}.`,
    billingKind: 'Откуда брать данные',
    billingKindHint: { demo: 'встроенные примеры абонентов, чтобы попробовать', carbon: 'ваш биллинг через REST API' },
    carbonUrl: 'Адрес REST API Carbon', carbonUrlHint: 'Например, http://10.0.0.5:8082 — без пути в конце.',
    carbonTimeout: 'Ждать ответа биллинга, секунд', wholeNumber: 'Введите целое число.',
    billingPasswordHint: 'Пароль API биллинга задаётся ниже, в разделе «Пароли и ключи».',
    fieldMapTitle: 'Поля Carbon',
    fieldMapExplain: 'Агент сверяет, какие поля Carbon он читает, с полями, которые называет сам Carbon, и предлагает замену для отсутствующих.',
    fieldMapRead: 'Сверить с Carbon', fieldMapFix: 'Записать подходящую карту полей',
    fieldMapSource: (s: string) => `Имена полей взяты из: ${s}`,
    fieldMapField: 'Поле', fieldMapSetting: 'Настройка', fieldMapState: 'Состояние', fieldMapReplacement: 'Замена',
    fieldStates: { present: 'есть', missing: 'нет в Carbon', unknown: 'не проверено' },
    fieldNeeds: { required: 'обязательное', optional: 'необязательное', 'if-present': 'если есть' },
    fieldOff: 'отключить', fieldMapFits: 'Все поля на месте: менять нечего.', fieldNotUsed: 'нет в этом Carbon, не читается',
    coreUrl: 'Адрес платформы', coreUrlHint: 'Его выдаёт платформа, например https://core.example.com', coreLogin: 'Логин',
    corePassword: 'Пароль платформы', passwordKeep: 'Пароль уже задан. Оставьте поле пустым, чтобы его не менять.',
    passwordNew: 'Пароль хранится отдельно от настроек и больше нигде не показывается.',
    passwordStored: 'Пароль сохранён.', passwordNotStored: 'Пароль не сохранён:',
    interval: 'Проверять биллинг каждые, секунд', intervalHint: 'От 5 секунд до суток. Обычно 60.',
    phoneFormat: 'Формат телефонов', phoneFormats: { national: 'Без кода страны', international: 'С кодом страны' },
  },
  secrets: {
    title: 'Пароли и ключи',
    explain: 'Пароли не хранятся в файле настроек и не показываются: видно только, задан ли пароль и откуда он взят.',
    keyringAvailable: 'Системное хранилище паролей доступно.',
    keyringUnavailable: (d: string) => `Системное хранилище паролей не используется: ${d}`,
    writesTo: (w: string) => `Новые пароли сохраняются в: ${w}.`,
    noWrites: 'Сохранить пароль отсюда нельзя: агент объяснит почему при попытке. Можно задать его переменной окружения.',
    sources: { environment: 'переменная окружения', keyring: 'системное хранилище паролей', file: 'файл secrets.json (только для владельца)' },
    names: { 'core-password': 'Пароль платформы (core)', 'billing-password': 'Пароль API биллинга', 'api-token': 'Ключ для входящих запросов платформы' },
    isSet: (source: string) => (source ? `задан — ${source}` : 'задан'), notSet: 'не задан',
    newValue: (name: string) => `Новое значение: ${name}`, replace: 'Заменить', clear: 'Удалить',
    fromEnvironment: 'Взят из переменной окружения: изменить его можно только там.',
  },
  logs: {
    title: 'Журнал', linesTitle: 'Последние записи', level: 'Показывать', autoRefresh: 'Обновлять автоматически',
    levels: { trace: 'Всё', debug: 'Отладка и выше', info: 'Сообщения и выше', warn: 'Предупреждения и ошибки', error: 'Только ошибки', fatal: 'Только сбои' },
    levelNames: { trace: 'трассировка', debug: 'отладка', info: 'сообщение', warn: 'предупреждение', error: 'ошибка', fatal: 'сбой' },
    empty: 'Записей нет.', diagnosticsTitle: 'Файл для поддержки',
    diagnosticsExplain: 'Соберёт настройки, состояние, проверки связи и журнал в один архив. Пароли в него не попадают.',
    createDiagnostics: 'Создать файл диагностики', diagnosticsCreated: 'Файл создан:',
  },
  wizard: {
    title: 'Первоначальная настройка', stepOf: (i: number, n: number) => `Шаг ${i} из ${n}`, skipAll: 'Пропустить настройку',
    steps: { billing: 'Биллинг', core: 'Платформа', allowlist: 'Доступ', phones: 'Телефоны' },
    billingTitle: 'Откуда агент берёт данные абонентов',
    billingExplain: 'Демо-биллинг подходит, чтобы всё попробовать. Для работы укажите адрес вашего Carbon Billing.',
    coreTitle: 'Куда отправлять уведомления',
    coreExplain: 'Адрес, логин и пароль выдаёт платформа. Сохраните и проверьте связь.',
    saveBeforeTest: 'Проверяются сохранённые настройки.',
    allowlistTitle: 'Кому разрешено получать данные',
    allowlistExplain: 'Добавьте адрес, с которого обращается платформа. Если она уже пробовала и получила отказ, адрес будет в списке ниже.',
    phonesTitle: 'Как передавать телефоны', phonesExplain: 'Спросите у платформы, какой формат она ждёт. Обычно — без кода страны.',
    back: '← Назад', next: 'Дальше →', skipStep: 'Пропустить шаг',
    doneTitle: 'Готово', notYet: 'пока нет', allowlistStillDefault: 'только этот компьютер',
    stillNeeded: 'Не всё настроено: платформа пока не сможет работать с агентом. Вернуться к настройке можно в разделе «Настройки».',
    finish: 'Открыть панель',
  },
};

export type Strings = typeof ru;

const en: Strings = {
  languageName: 'English',
  common: {
    ok: 'ok', fail: 'failed', yes: 'yes', no: 'no', cancel: 'Cancel', save: 'Save', saved: 'Saved',
    unsaved: 'Unsaved changes', loading: 'Loading…', notUpdated: 'Not updated:', refresh: 'Refresh',
    httpStatus: 'Answer (HTTP)',
  },
  nav: {
    label: 'Pages', language: 'Language',
    status: 'Status', subscriber: 'Subscriber', sync: 'Sync', allowlist: 'Access', callbacks: 'Callbacks', settings: 'Settings', logs: 'Logs',
  },
  billingKinds: { demo: 'Demo billing', carbon: 'Carbon Billing 5' },
  deliveryStates: {
    idle: 'all sent', delivering: 'sending', retrying: 'retrying', refused: 'core refuses us', paused: 'paused', 'not-configured': 'not set up',
  },
  errors: {
    agent_unreachable: 'The agent does not answer. Check that it is running, then reload the page.',
    agent_timeout: 'The agent did not answer in time. Try again.',
    bad_response: 'The agent\'s answer does not fit this dashboard. Reload the page; if that does not help, the agent and dashboard versions differ.',
    no_token: 'No access key: open the dashboard with the link that carries it (#token=…).',
    unauthorized: 'The access key was refused (the agent may have made a new one). Open the dashboard again with the link.',
  },
  token: {
    title: 'Open the dashboard with its access link',
    explain: 'The dashboard controls the agent, so it opens only with a link carrying the access key. Open an address like:',
    where: 'The key is the content of the file admin-token in the agent\'s data folder. Once opened, the key leaves the address bar and is kept only until the tab closes.',
  },
  status: {
    title: 'Status', allWell: 'All is well: nothing needs your attention.', problems: 'Needs attention',
    billing: 'Billing', billingKind: 'Kind', reachable: 'Reachable', checkAgain: 'Check again',
    billingCalls: 'Calls to the billing, last minute',
    billingCallsValue: (scan: number, request: number) => `${scan} change detection, ${request} requests of core and the operator`,
    core: 'Core (the platform)', coreAddress: 'Address', notSet: 'not set', delivery: 'Callbacks', lastDelivered: 'Last delivered',
    never: 'never', testCore: 'Test the connection to core',
    sync: 'Sync', syncState: 'State', interval: 'Billing checked every', nextScan: 'Next check',
    scanRunning: (n: number) => `running now, ${n} subscribers read`, manageSync: 'Manage sync →',
    lastScan: 'Last billing check', noScanYet: 'No check yet.', when: 'When', took: 'Took',
    subscribers: 'Subscribers', changes: 'Changes', noChanges: 'none',
    changesDetail: (total: number, users: number, contracts: number, charges: number) => `${total} (users: ${users}, contracts: ${contracts}, charges: ${charges})`,
    callbacksQueued: 'Callbacks queued',
    queue: 'Callback queue', pending: 'Waiting', oldestPending: 'Oldest waiting for', deadLetters: 'Undelivered',
    sentFailed: 'Delivered / failed attempts', lastError: 'Last delivery error', noErrors: 'No errors.', what: 'What',
  },
  scan: {
    baseline: (subs: number) => `First check: the agent recorded ${subs} subscribers and sent nothing — core already knows them.`,
    resendAll: (callbacks: number, subs: number) => `${callbacks} callbacks queued for ${subs} subscribers: core will re-read everything.`,
    noChanges: (subs: number) => `No changes among ${subs} subscribers.`,
    changes: (total: number, subs: number, callbacks: number) => `${total} changes among ${subs} subscribers; ${callbacks} callbacks queued.`,
  },
  dead: {
    title: (n: number) => `Undelivered callbacks: ${n}`,
    requeued: (n: number) => (n === 0 ? 'Nothing to send: those callbacks are gone.' : `Queued again: ${n}.`),
    explain: 'Core never accepted these callbacks and the agent stopped trying. Once the cause is fixed, send them again.',
    resendAll: 'Send all again', resendAllQuestion: (n: number) => `Queue all ${n} again?`, resendAllConfirm: 'Yes, send all',
    what: 'What', failedAt: 'Given up', attempts: 'Attempts', reason: 'Reason', resendOne: 'Send again',
    more: (n: number) => `And ${n} more — "Send all again" sends them too.`,
  },
  sync: {
    title: 'Sync', on: 'On', paused: 'Paused', switchTitle: 'On or off',
    onExplain: (s: number) => `The agent checks the billing every ${s} s and tells core what changed.`,
    pausedExplain: 'Changes are neither detected nor sent. The API for core keeps working and the queue is kept.',
    pause: 'Pause', resume: 'Resume',
    scanTitle: 'Check the billing now', scanExplain: 'Compare the billing with what core knows without waiting for the next check.',
    scanNow: 'Check now', needsResume: 'Resume sync first.',
    resendTitle: 'Re-send everything',
    resendExplain: 'Ask core to re-read every subscriber. That is two callbacks per subscriber — only needed when core lost its data.',
    resendAll: 'Re-send everything', resendQuestion: 'Core will re-read every subscriber. Go ahead?', resendConfirm: 'Yes, re-send everything',
  },
  callbacks: {
    title: 'Callbacks to core',
    explain: 'A callback asks core to re-read data from the billing. The agent sends them by itself; here you can send one by hand.',
    formTitle: 'Send a callback', sessionTitle: 'Sent in this session', what: 'What to refresh',
    targets: { contract: 'A contract', user: 'All contracts of a user', charge: 'A user\'s charges' },
    contractId: 'Contract id (ext_id)', userId: 'User id (ext_user_id)',
    contractHint: 'For example 12331231', userHint: 'For example 58208891',
    send: 'Send', waiting: 'Sending and waiting for core\'s answer (up to 5 seconds)…',
    outcomes: { delivered: 'Delivered', failed: 'Not delivered', queued: 'Queued', pending: 'Awaiting answer' },
    nextAttempt: 'Next attempt', deadLettered: 'The agent stops trying: the callback is among the undelivered ones (Status page).',
    reason: 'Reason', recentTitle: 'Recent delivery attempts', noDeliveries: 'No delivery attempts yet.',
    time: 'Time', attempt: 'Attempt', result: 'Result', took: 'Took', accepted: 'accepted', refused: 'refused',
  },
  allowlist: {
    title: 'API access', saved: 'The list is saved and in effect.', entriesTitle: 'Allowed addresses',
    explain: 'Core gets data only from these addresses: an address (203.0.113.7) or a range (203.0.113.0/24).',
    entryLabel: (n: number) => `Address ${n}`, remove: 'Remove', addEntry: '+ Add an address',
    suggestion: (a: string) => `Address from core's settings: ${a}`, add: 'Add',
    allowAll: 'Allow any address', allowAllWarning: 'Then anyone can read subscriber data. Only turn it on when something in front of the agent filters.',
    lockoutTitle: 'This list shuts out recent callers',
    lockoutExplain: (list: string) => `In the last day the agent was called from: ${list}. That is probably core — it would be refused with the new list.`,
    conflictTitle: 'The agent warns', saveAnyway: 'Save anyway',
    refusedTitle: 'Recently refused', refusedExplain: 'When core changes its address it shows up here — add it in one click.',
    noneRefused: 'Nobody was refused.', address: 'Address', requests: 'Requests', last: 'Last',
    inList: 'already listed', clientsTitle: 'Recent callers', clientsExplain: 'Who got data: usually core.',
    noClients: 'Nobody has called yet.', wouldBeRefused: 'would be refused', allowed: 'allowed',
  },
  settings: {
    title: 'Settings', file: (f: string) => `Settings file: ${f}`,
    billingTitle: 'Billing', coreTitle: 'Core (the platform)', syncTitle: 'Sync', phonesTitle: 'Phones',
    testBilling: 'Test the billing', testDraft: 'Test these settings', testCore: 'Test the connection to core',
    testBillingHint: 'This tests the billing the agent runs with now. After changing the billing kind, restart the agent first.',
    wizardExplain: 'Step by step: billing, core, access, phone format.', openWizard: 'Open the set-up wizard',
    savedApplied: 'Saved and in effect.', savedRestart: 'Saved; takes effect after the agent restarts',
    restartFields: (list: string) => `Changed: ${list}.`,
    billingKind: 'Where the data comes from',
    billingKindHint: { demo: 'built-in sample subscribers, to try things out', carbon: 'your billing over its REST API' },
    carbonUrl: 'Carbon REST API address', carbonUrlHint: 'For example http://10.0.0.5:8082 — no path at the end.',
    carbonTimeout: 'Wait for the billing, seconds', wholeNumber: 'Enter a whole number.',
    billingPasswordHint: 'The billing API password is set below, under "Passwords and keys".',
    fieldMapTitle: 'Carbon fields',
    fieldMapExplain: 'The agent compares the Carbon fields it reads with the fields Carbon itself names, and proposes a replacement for each missing one.',
    fieldMapRead: 'Compare with Carbon', fieldMapFix: 'Write a field map that fits',
    fieldMapSource: (s: string) => `Field names read from: ${s}`,
    fieldMapField: 'Field', fieldMapSetting: 'Setting', fieldMapState: 'State', fieldMapReplacement: 'Replacement',
    fieldStates: { present: 'present', missing: 'not in Carbon', unknown: 'not checked' },
    fieldNeeds: { required: 'required', optional: 'optional', 'if-present': 'if present' },
    fieldOff: 'switch off', fieldMapFits: 'Every field is there: nothing to change.', fieldNotUsed: 'not on this Carbon, not read',
    coreUrl: 'Core\'s address', coreUrlHint: 'Core gives it to you, e.g. https://core.example.com', coreLogin: 'Login',
    corePassword: 'Core password', passwordKeep: 'A password is set. Leave this empty to keep it.',
    passwordNew: 'Kept apart from the settings and never shown again.',
    passwordStored: 'Password stored.', passwordNotStored: 'Password not stored:',
    interval: 'Check the billing every, seconds', intervalHint: 'From 5 seconds to a day. Usually 60.',
    phoneFormat: 'Phone format', phoneFormats: { national: 'Without country code', international: 'With country code' },
  },
  secrets: {
    title: 'Passwords and keys',
    explain: 'Passwords are not kept in the settings file and never shown: you only see whether one is set and where it comes from.',
    keyringAvailable: 'The system password store is available.',
    keyringUnavailable: (d: string) => `The system password store is not used: ${d}`,
    writesTo: (w: string) => `New passwords are kept in: ${w}.`,
    noWrites: 'Passwords cannot be stored from here; the agent says why when you try. An environment variable works.',
    sources: { environment: 'environment variable', keyring: 'system password store', file: 'secrets.json (owner only)' },
    names: { 'core-password': 'Core password', 'billing-password': 'Billing API password', 'api-token': 'Key core presents to the agent' },
    isSet: (source: string) => (source ? `set — ${source}` : 'set'), notSet: 'not set',
    newValue: (name: string) => `New value: ${name}`, replace: 'Replace', clear: 'Remove',
    fromEnvironment: 'Comes from an environment variable: change it there.',
  },
  logs: {
    title: 'Logs', linesTitle: 'Recent lines', level: 'Show', autoRefresh: 'Refresh automatically',
    levels: { trace: 'Everything', debug: 'Debug and up', info: 'Info and up', warn: 'Warnings and errors', error: 'Errors only', fatal: 'Fatal only' },
    levelNames: { trace: 'trace', debug: 'debug', info: 'info', warn: 'warning', error: 'error', fatal: 'fatal' },
    empty: 'No lines.', diagnosticsTitle: 'A file for support',
    diagnosticsExplain: 'Collects settings, status, connection checks and the log into one archive. Passwords are left out.',
    createDiagnostics: 'Create the diagnostics file', diagnosticsCreated: 'File created:',
  },
  wizard: {
    title: 'First-time set-up', stepOf: (i: number, n: number) => `Step ${i} of ${n}`, skipAll: 'Skip set-up',
    steps: { billing: 'Billing', core: 'Core', allowlist: 'Access', phones: 'Phones' },
    billingTitle: 'Where the agent reads subscribers from',
    billingExplain: 'The demo billing is fine for trying things. For real work, give your Carbon Billing\'s address.',
    coreTitle: 'Where callbacks go',
    coreExplain: 'Core gives you the address, login and password. Save, then test the connection.',
    saveBeforeTest: 'The test uses the saved settings.',
    allowlistTitle: 'Who may read the data',
    allowlistExplain: 'Add the address core calls from. If core already tried and was refused, its address is listed below.',
    phonesTitle: 'How phones are sent', phonesExplain: 'Ask core which format it expects. Usually without the country code.',
    back: '← Back', next: 'Next →', skipStep: 'Skip this step',
    doneTitle: 'Done', notYet: 'not yet', allowlistStillDefault: 'this computer only',
    stillNeeded: 'Not everything is set: core cannot work with the agent yet. You can come back to it under Settings.',
    finish: 'Open the dashboard',
  },
};

export const STRINGS: Record<Lang, Strings> = { ru, en };

const LANG_KEY = 'billing-bridge.lang';

export function initialLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ru';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
}

export const LangContext = createContext<{ lang: Lang; t: Strings; setLang: (lang: Lang) => void }>({
  lang: 'ru', t: ru, setLang: () => undefined,
});

export const useT = () => useContext(LangContext);

/** A scan's outcome in words, from its numbers; a failed scan keeps the agent's reason. */
export function scanSummary(r: ScanReport, t: Strings): string {
  if (!r.ok) return r.error ?? r.message;
  if (r.kind === 'baseline') return t.scan.baseline(r.subscribers);
  if (r.kind === 'resend-all') return t.scan.resendAll(r.callbacks, r.subscribers);
  return r.changes.total === 0 ? t.scan.noChanges(r.subscribers) : t.scan.changes(r.changes.total, r.subscribers, r.callbacks);
}

/** A failure in words: ours for failures made here, the agent's own message otherwise. */
export function errorText(err: unknown, t: Strings): string {
  if (err instanceof AdminCallError) return (t.errors as Record<string, string>)[err.code] ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
