// The dashboard window: created when first asked for, destroyed when closed (the app lives on in
// the tray), locked down per Electron's security checklist. Its only bridge to the core is the
// preload's window.billingBridge.call.
import { existsSync } from 'node:fs';
import { BrowserWindow, type WebPreferences } from 'electron';
import type { DashboardPage, RendererLocation } from './renderer.js';

export type { DashboardPage } from './renderer.js';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

export interface WindowOptions {
  location: RendererLocation;
  /** The compiled preload (preload.cjs). */
  preload: string;
  title: string;
  devTools: boolean;
  showError: (message: string) => void;
}

export interface DashboardWindow {
  /** Opens (or focuses) the dashboard, on a given page if asked. */
  show(page?: DashboardPage): void;
  current(): BrowserWindow | null;
}

export function setupWindow(options: WindowOptions): DashboardWindow {
  let window: BrowserWindow | null = null;

  function load(win: BrowserWindow, page?: DashboardPage): void {
    const hash = page ? `/${page}` : undefined;
    const { devUrl, indexFile } = options.location;
    const loading = devUrl ? win.loadURL(hash ? `${devUrl}/#${hash}` : devUrl) : win.loadFile(indexFile, hash ? { hash } : undefined);
    loading.catch((err: Error) => options.showError(`the dashboard did not load: ${err.message}`));
  }

  function create(page?: DashboardPage): BrowserWindow {
    const win = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 720,
      minHeight: 480,
      title: options.title,
      show: false,
      autoHideMenuBar: true,
      webPreferences: { ...WEB_PREFERENCES, preload: options.preload, devTools: options.devTools },
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (window === win) window = null;
    });
    load(win, page);
    return win;
  }

  return {
    show(page) {
      if (!options.location.devUrl && !existsSync(options.location.indexFile)) {
        options.showError(`the dashboard is not built: ${options.location.indexFile} is missing`);
        return;
      }
      if (!window || window.isDestroyed()) {
        window = create(page);
        return;
      }
      if (page) load(window, page);
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    current: () => window,
  };
}
