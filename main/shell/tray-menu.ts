// What the tray shows, worked out from sync.status: the icon's state, the status line and the
// menu. Plain data in, Electron menu templates out, so it is tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import type { SyncStatus } from '../../shared/admin.js';
import type { IconState } from './icons.js';
import type { Strings } from './strings.js';

/** The last sync.status, or why there is none. */
export type TrayView =
  | { kind: 'starting' }
  | { kind: 'status'; status: SyncStatus }
  | { kind: 'unreachable'; message: string };

/** Paused wins: a person chose it, and sync's own problems list says "paused" too. */
export function trayState(view: TrayView): IconState {
  if (view.kind === 'starting') return 'unknown';
  if (view.kind === 'unreachable') return 'error';
  const s = view.status;
  if (!s.enabled) return 'paused';
  if (s.problems.length > 0 || s.delivery.state === 'refused' || s.delivery.state === 'retrying' || s.scan.consecutiveFailures > 0) return 'error';
  return 'ok';
}

export function statusLine(view: TrayView, strings: Strings): string {
  if (view.kind === 'starting') return strings.syncUnknown;
  if (view.kind === 'unreachable') return strings.agentUnreachable;
  const { status } = view;
  const queue = status.outbox.pending;
  switch (trayState(view)) {
    case 'paused': return strings.syncPaused(queue);
    case 'error': return strings.syncProblems(Math.max(1, status.problems.length), queue);
    default: return strings.syncOk(queue);
  }
}

/** The tooltip: the status line and what needs attention. */
export function tooltip(view: TrayView, strings: Strings): string {
  const lines = [strings.appName, statusLine(view, strings)];
  if (view.kind === 'unreachable') lines.push(view.message);
  if (view.kind === 'status') lines.push(...view.status.problems.slice(0, 3));
  return lines.join('\n');
}

export interface TrayActions {
  pause(): void;
  resume(): void;
  sendCallback(): void;
  openDashboard(): void;
  openLogs(): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

const MAX_PROBLEM_LENGTH = 90;

export function buildTrayMenu(view: TrayView, strings: Strings, actions: TrayActions, startAtLogin: boolean): MenuItemConstructorOptions[] {
  const status = view.kind === 'status' ? view.status : null;
  const problems = status?.enabled ? status.problems.slice(0, 3) : [];
  return [
    { id: 'status', label: statusLine(view, strings), enabled: false },
    ...problems.map((p, i): MenuItemConstructorOptions => ({
      id: `problem-${i}`,
      label: p.length > MAX_PROBLEM_LENGTH ? `${p.slice(0, MAX_PROBLEM_LENGTH - 1)}…` : p,
      enabled: false,
    })),
    { type: 'separator' },
    status && !status.enabled
      ? { id: 'resume', label: strings.resume, click: () => actions.resume() }
      : { id: 'pause', label: strings.pause, enabled: status !== null, click: () => actions.pause() },
    { id: 'send-callback', label: strings.sendCallback, enabled: view.kind !== 'unreachable', click: () => actions.sendCallback() },
    { type: 'separator' },
    { id: 'open-dashboard', label: strings.openDashboard, click: () => actions.openDashboard() },
    { id: 'open-logs', label: strings.openLogs, click: () => actions.openLogs() },
    { type: 'separator' },
    { id: 'start-at-login', label: strings.startAtLogin, type: 'checkbox', checked: startAtLogin, click: (item) => actions.setStartAtLogin(item.checked) },
    { id: 'quit', label: strings.quit, click: () => actions.quit() },
  ];
}
