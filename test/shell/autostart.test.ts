// Start at login (an XDG autostart entry on Linux, login items elsewhere) and one instance per user.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { autostartFile, desktopEntry, launchCommand, setupAutostart } from '../../main/shell/autostart.js';
import { setupSingleInstance } from '../../main/shell/single-instance.js';
import { fake, resetFake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

beforeEach(() => resetFake());

describe('start at login on Linux', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'bb-home-'));
  });

  it('writes and removes ~/.config/autostart/billing-bridge.desktop', () => {
    const autostart = setupAutostart({ command: ['/opt/Billing Bridge/billing-bridge'], platform: 'linux', env: {}, home });
    const file = path.join(home, '.config', 'autostart', 'billing-bridge.desktop');
    expect(autostart.isEnabled()).toBe(false);
    autostart.setEnabled(true);
    expect(autostart.isEnabled()).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]\n/);
    expect(text).toContain('Type=Application\n');
    expect(text).toContain('Name=Billing Bridge\n');
    expect(text).toContain('Exec="/opt/Billing Bridge/billing-bridge" --hidden\n');
    autostart.setEnabled(true); // twice is fine
    autostart.setEnabled(false);
    expect(existsSync(file)).toBe(false);
    expect(autostart.isEnabled()).toBe(false);
    autostart.setEnabled(false); // nothing to remove is fine
    expect(fake.app.loginItems.openAtLogin).toBe(false); // Electron's login items are not used on Linux
  });

  it('honours XDG_CONFIG_HOME, and an entry switched off by the desktop', () => {
    const config = path.join(home, 'cfg');
    expect(autostartFile({ XDG_CONFIG_HOME: config }, home)).toBe(path.join(config, 'autostart', 'billing-bridge.desktop'));
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative' }, home)).toBe(path.join(home, '.config', 'autostart', 'billing-bridge.desktop'));
    const autostart = setupAutostart({ command: ['/usr/bin/billing-bridge'], platform: 'linux', env: { XDG_CONFIG_HOME: config }, home });
    autostart.setEnabled(true);
    expect(existsSync(path.join(config, 'autostart', 'billing-bridge.desktop'))).toBe(true);
  });

  it('quotes the command as the Desktop Entry spec says', () => {
    const exec = (command: string[]) => /^Exec=(.*)$/m.exec(desktopEntry(command))![1];
    expect(exec(['/usr/bin/billing-bridge'])).toBe('/usr/bin/billing-bridge --hidden');
    expect(exec(['/home/a b/Billing$Bridge.AppImage'])).toBe('"/home/a b/Billing\\\\$Bridge.AppImage" --hidden');
    expect(exec(['/opt/100%/app'])).toBe('/opt/100%%/app --hidden');
    expect(exec(['/x/"q"'])).toBe('"/x/\\\\"q\\\\"" --hidden');
  });

  it('starts the AppImage, not its temporary mount, and the script in development', () => {
    expect(launchCommand({ execPath: '/tmp/.mount_x/billing-bridge', argv: ['/tmp/.mount_x/billing-bridge'], env: { APPIMAGE: '/home/a/Billing-Bridge.AppImage' } }))
      .toEqual(['/home/a/Billing-Bridge.AppImage']);
    expect(launchCommand({ execPath: '/repo/node_modules/electron/dist/electron', argv: ['electron', 'dist/main/shell/main.js'], env: {}, defaultApp: true }))
      .toEqual(['/repo/node_modules/electron/dist/electron', path.resolve('dist/main/shell/main.js')]);
    expect(launchCommand({ execPath: '/opt/Billing Bridge/billing-bridge', argv: ['/opt/Billing Bridge/billing-bridge'], env: {} })).toEqual(['/opt/Billing Bridge/billing-bridge']);
  });
});

describe('start at login on Windows and macOS', () => {
  it('uses Electron login items, started hidden', () => {
    const autostart = setupAutostart({ command: ['C:\\Program Files\\Billing Bridge\\Billing Bridge.exe'], platform: 'win32' });
    expect(autostart.isEnabled()).toBe(false);
    autostart.setEnabled(true);
    expect(fake.app.loginItems).toMatchObject({ openAtLogin: true, path: 'C:\\Program Files\\Billing Bridge\\Billing Bridge.exe', args: ['--hidden'] });
    expect(autostart.isEnabled()).toBe(true);
    autostart.setEnabled(false);
    expect(autostart.isEnabled()).toBe(false);
  });
});

describe('one instance', () => {
  it('the first launch keeps the lock and hears about later ones', () => {
    const launches: string[][] = [];
    expect(setupSingleInstance((argv) => void launches.push(argv))).toBe(true);
    expect(fake.app.quits).toBe(0);
    fake.app.emit('second-instance', {}, ['/opt/bb', '--data-dir', '/x'], '/home');
    expect(launches).toEqual([['/opt/bb', '--data-dir', '/x']]);
  });

  it('a second launch quits at once and sets nothing up', () => {
    fake.app.lock = false;
    const launches: string[][] = [];
    expect(setupSingleInstance((argv) => void launches.push(argv))).toBe(false);
    expect(fake.app.quits).toBe(1);
    expect(fake.app.listenerCount('second-instance')).toBe(0);
  });
});
