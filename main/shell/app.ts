// The tray app: one instance per user, the core started here or attached to, the admin IPC
// channel, the dashboard window and the tray icon. Each part is a setupX() module; this file
// only wires them together.
import { fileURLToPath } from 'node:url';
import { app, dialog, shell } from 'electron';
import { resolveDataDir } from '../settings/paths.js';
import type { ShellArgs } from './args.js';
import { HIDDEN_FLAG, launchCommand, setupAutostart } from './autostart.js';
import { setupIpc } from './ipc.js';
import { createFileLogger, logDir } from './logs.js';
import { appRoot, isDashboardUrl, rendererLocation } from './renderer.js';
import { setupSecurity } from './security.js';
import { setupSingleInstance } from './single-instance.js';
import { STRINGS, pickLanguage } from './strings.js';
import { startOrAttach, type Core } from './transport.js';
import { setupTray } from './tray.js';
import { setupWindow, type DashboardWindow } from './window.js';

export async function runApp(args: ShellArgs): Promise<void> {
  const strings = STRINGS[pickLanguage(process.env.BILLING_BRIDGE_LANGUAGE)];
  const dataDir = resolveDataDir(args.dataDir);

  app.enableSandbox();
  let dashboard: DashboardWindow | null = null;
  let showWhenReady = false;
  const ours = setupSingleInstance((argv) => {
    if (argv.includes(HIDDEN_FLAG)) return;
    if (dashboard) dashboard.show();
    else showWhenReady = true;
  });
  if (!ours) return;
  // Closing the dashboard leaves the app in the tray (a listener replaces the default quit).
  app.on('window-all-closed', () => undefined);

  await app.whenReady();
  const location = rendererLocation({ root: appRoot(), packaged: app.isPackaged, devUrl: process.env.BILLING_BRIDGE_DEV_URL });
  const isTrustedUrl = (url: string) => isDashboardUrl(url, location);
  setupSecurity({ isTrustedUrl, dev: location.devUrl !== null });

  const { log } = createFileLogger(dataDir);
  // Not showErrorBox: it blocks the main thread, and with it the in-process core's API.
  const showError = (message: string) => {
    void dialog.showMessageBox({ type: 'error', title: strings.appName, message: strings.actionFailed, detail: message });
  };

  let core: Core;
  try {
    core = await startOrAttach({ dataDir, log, agentOptions: { host: args.host, port: args.port, adminPort: args.adminPort } });
  } catch (err) {
    log.error({ err }, 'the agent did not start');
    dialog.showErrorBox(strings.startFailed, (err as Error).message);
    app.exit(1);
    return;
  }
  log.info({ mode: core.transport.kind, dataDir }, 'tray app started');

  setupIpc({ transport: () => core.transport, isTrustedUrl, log: log.child({ component: 'ipc' }) });
  const window = setupWindow({
    location,
    preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    title: strings.appName,
    devTools: !app.isPackaged,
    showError,
  });
  dashboard = window;

  const autostart = setupAutostart({ command: launchCommand(process) });
  const tray = setupTray({
    transport: core.transport,
    strings,
    openDashboard: (page) => window.show(page),
    // The log file exists when the core runs here; an attached core (a service) logs elsewhere,
    // so its dashboard page is the way in.
    openLogs: () => {
      if (core.agent) void shell.openPath(logDir(dataDir)).then((problem) => problem && showError(problem));
      else window.show('logs');
    },
    autostart,
    quit: () => app.quit(),
    showError,
    log: log.child({ component: 'tray' }),
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    tray.dispose();
    core.transport.close()
      .catch((err: unknown) => log.error({ err }, 'the agent did not stop cleanly'))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  process.once('SIGTERM', () => app.quit());
  process.once('SIGINT', () => app.quit());

  const openedAtLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (showWhenReady || (!args.hidden && !openedAtLogin)) window.show();
}
