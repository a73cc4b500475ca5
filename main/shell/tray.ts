// The tray icon: polls sync.status every few seconds, shows health in the icon and the menu's
// status line, and offers pause/resume, the dashboard, logs, start at login and quit.
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { AdminOp } from '../../shared/admin.js';
import type { Logger } from '../logging/logger.js';
import type { Autostart } from './autostart.js';
import { trayIconPng, type IconState } from './icons.js';
import type { Strings } from './strings.js';
import { AdminCallError } from '../../shared/admin-client.js';
import type { AdminTransport } from './transport.js';
import { buildTrayMenu, tooltip, trayState, type TrayView } from './tray-menu.js';
import type { DashboardPage } from './window.js';

export interface TrayOptions {
  transport: AdminTransport;
  strings: Strings;
  openDashboard: (page?: DashboardPage) => void;
  openLogs: () => void;
  autostart: Autostart;
  quit: () => void;
  /** Tells the person an action failed (a dialog in the app). */
  showError: (message: string) => void;
  intervalMs?: number;
  log?: Logger;
}

export interface ShellTray {
  tray: Tray;
  view(): TrayView;
  /** Asks sync.status now and redraws. */
  refresh(): Promise<void>;
  dispose(): void;
}

function icon(state: IconState): NativeImage {
  const image = nativeImage.createFromBuffer(trayIconPng(state, 16));
  image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(state, 32) });
  return image;
}

export function setupTray(options: TrayOptions): ShellTray {
  const { transport, strings } = options;
  const icons = new Map<IconState, NativeImage>();
  const iconFor = (state: IconState) => {
    let image = icons.get(state);
    if (!image) icons.set(state, (image = icon(state)));
    return image;
  };

  let view: TrayView = { kind: 'starting' };
  let drawn = '';
  const tray = new Tray(iconFor('unknown'));

  const actions = {
    pause: () => void change('sync.pause'),
    resume: () => void change('sync.resume'),
    sendCallback: () => options.openDashboard('callbacks'),
    openDashboard: () => options.openDashboard(),
    openLogs: () => options.openLogs(),
    setStartAtLogin: (on: boolean) => {
      try {
        options.autostart.setEnabled(on);
      } catch (err) {
        options.showError((err as Error).message);
      }
      draw(true);
    },
    quit: () => options.quit(),
  };

  // Menus are rebuilt only when something shown changed: a rebuilt menu closes an open one on
  // some Linux desktops.
  function draw(force = false): void {
    const startAtLogin = options.autostart.isEnabled();
    const template = buildTrayMenu(view, strings, actions, startAtLogin);
    const state = trayState(view);
    const key = JSON.stringify([state, tooltip(view, strings), template.map((i) => [i.label, i.enabled, i.checked])]);
    if (!force && key === drawn) return;
    drawn = key;
    tray.setImage(iconFor(state));
    tray.setToolTip(tooltip(view, strings));
    tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  let polling: Promise<void> | null = null;
  async function poll(): Promise<void> {
    try {
      view = { kind: 'status', status: await transport.call('sync.status', {}) };
    } catch (err) {
      view = { kind: 'unreachable', message: err instanceof AdminCallError ? err.message : String(err) };
      options.log?.debug({ err }, 'sync.status failed');
    }
    draw();
  }
  const refresh = (): Promise<void> => (polling ??= poll().finally(() => (polling = null)));

  async function change(op: Extract<AdminOp, 'sync.pause' | 'sync.resume'>): Promise<void> {
    try {
      view = { kind: 'status', status: await transport.call(op, {}) };
      draw();
    } catch (err) {
      options.showError(err instanceof Error ? err.message : String(err));
      await refresh();
    }
  }

  // A left click opens the dashboard where the platform reports clicks (Windows, macOS).
  tray.on('click', () => options.openDashboard());
  draw(true);
  void refresh();
  const timer = setInterval(() => void refresh(), options.intervalMs ?? 5_000);

  return {
    tray,
    view: () => view,
    refresh,
    dispose() {
      clearInterval(timer);
      tray.destroy();
    },
  };
}
