// Start at login. Linux: an XDG autostart entry (~/.config/autostart/billing-bridge.desktop),
// which every desktop honours; Electron's login item API does nothing there. Windows and macOS:
// Electron's login items. Started at login, the app opens in the tray only (--hidden).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { app } from 'electron';

export interface Autostart {
  isEnabled(): boolean;
  setEnabled(on: boolean): void;
}

export interface AutostartOptions {
  /** The executable and its arguments that start this app (see launchCommand). */
  command: string[];
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export const HIDDEN_FLAG = '--hidden';

/** The command that starts this app again: the AppImage rather than its temporary mount, and
 *  in development the Electron binary with the entry script. */
export function launchCommand(proc: { execPath: string; argv: string[]; env: NodeJS.ProcessEnv; defaultApp?: boolean }): string[] {
  if (proc.env.APPIMAGE) return [proc.env.APPIMAGE];
  if (proc.defaultApp && proc.argv[1]) return [proc.execPath, path.resolve(proc.argv[1])];
  return [proc.execPath];
}

export function autostartFile(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(config, 'autostart', 'billing-bridge.desktop');
}

// Desktop Entry spec: an argument with reserved characters is double-quoted with ", `, $ and \
// backslash-escaped; then the value as a whole escapes \ again, and % is doubled (field codes).
function execArgument(arg: string): string {
  const quoted = /[\s"'\\><~|&;$*?#()`]/.test(arg) || arg === '' ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Billing Bridge',
    'Comment=Billing Bridge in the tray',
    `Exec=${[...command, HIDDEN_FLAG].map(execArgument).join(' ')}`,
    'Icon=billing-bridge',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function xdgAutostart(file: string, command: string[]): Autostart {
  return {
    isEnabled() {
      if (!existsSync(file)) return false;
      const text = readFileSync(file, 'utf8');
      return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
    },
    setEnabled(on) {
      if (on) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, desktopEntry(command), { mode: 0o644 });
      } else {
        rmSync(file, { force: true });
      }
    },
  };
}

function loginItems(command: string[]): Autostart {
  const [executable, ...args] = command;
  const item = { path: executable, args: [...args, HIDDEN_FLAG] };
  return {
    isEnabled: () => app.getLoginItemSettings(item).openAtLogin,
    setEnabled: (on) => app.setLoginItemSettings({ ...item, openAtLogin: on }),
  };
}

export function setupAutostart(options: AutostartOptions): Autostart {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32' || platform === 'darwin') return loginItems(options.command);
  return xdgAutostart(autostartFile(options.env ?? process.env, options.home ?? homedir()), options.command);
}
