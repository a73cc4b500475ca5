// The shell's few words, Russian by default. The language can become the setting ui.language;
// until then BILLING_BRIDGE_LANGUAGE=en switches it.

export type Language = 'ru' | 'en';

export interface Strings {
  appName: string;
  syncOk: (queue: number) => string;
  syncPaused: (queue: number) => string;
  syncProblems: (count: number, queue: number) => string;
  syncUnknown: string;
  agentUnreachable: string;
  pause: string;
  resume: string;
  sendCallback: string;
  openDashboard: string;
  openLogs: string;
  startAtLogin: string;
  quit: string;
  actionFailed: string;
  startFailed: string;
}

export const STRINGS: Record<Language, Strings> = {
  ru: {
    appName: 'Billing Bridge',
    syncOk: (queue) => `Синхронизация: ок, очередь ${queue}`,
    syncPaused: (queue) => `Синхронизация: на паузе, очередь ${queue}`,
    syncProblems: (count, queue) => `Синхронизация: проблемы (${count}), очередь ${queue}`,
    syncUnknown: 'Синхронизация: запуск…',
    agentUnreachable: 'Агент не отвечает',
    pause: 'Приостановить синхронизацию',
    resume: 'Возобновить синхронизацию',
    sendCallback: 'Отправить callback вручную…',
    openDashboard: 'Открыть панель',
    openLogs: 'Открыть журнал',
    startAtLogin: 'Запускать при входе в систему',
    quit: 'Выход',
    actionFailed: 'Не получилось',
    startFailed: 'Billing Bridge не запустился',
  },
  en: {
    appName: 'Billing Bridge',
    syncOk: (queue) => `Sync: ok, queue ${queue}`,
    syncPaused: (queue) => `Sync: paused, queue ${queue}`,
    syncProblems: (count, queue) => `Sync: ${count} problem${count === 1 ? '' : 's'}, queue ${queue}`,
    syncUnknown: 'Sync: starting…',
    agentUnreachable: 'The agent does not answer',
    pause: 'Pause sync',
    resume: 'Resume sync',
    sendCallback: 'Send a callback manually…',
    openDashboard: 'Open dashboard',
    openLogs: 'Open logs',
    startAtLogin: 'Start at login',
    quit: 'Quit',
    actionFailed: 'That did not work',
    startFailed: 'Billing Bridge did not start',
  },
};

export function pickLanguage(value: string | undefined): Language {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}
