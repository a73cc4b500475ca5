// The dashboard window's options, and the locks on every page: navigation, new windows,
// webviews, permissions, CSP.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isDashboardUrl, rendererLocation, type RendererLocation } from '../../main/shell/renderer.js';
import { CSP, DEV_CSP, setupSecurity } from '../../main/shell/security.js';
import { setupWindow } from '../../main/shell/window.js';
import { FakeBrowserWindow, fake, resetFake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

let location: RendererLocation;
let errors: string[];
beforeEach(() => {
  resetFake();
  const root = mkdtempSync(path.join(tmpdir(), 'bb-renderer-'));
  mkdirSync(path.join(root, 'renderer', 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'renderer', 'dist', 'index.html'), '<!doctype html>');
  location = rendererLocation({ root, packaged: true });
  errors = [];
});

function open(loc = location) {
  setupSecurity({ isTrustedUrl: (url) => isDashboardUrl(url, loc), dev: loc.devUrl !== null });
  return setupWindow({ location: loc, preload: '/app/dist/main/shell/preload.cjs', title: 'Billing Bridge', devTools: false, showError: (m) => void errors.push(m) });
}

describe('the dashboard window', () => {
  it('is created isolated, sandboxed, without Node, with web security and our preload', () => {
    open().show();
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist/main/shell/preload.cjs',
      devTools: false,
    });
    expect(win.options.show).toBe(false);
    expect(win.loaded).toEqual([{ file: location.indexFile, hash: undefined }]);
    win.emit('ready-to-show');
    expect(win.shown).toBe(1);
  });

  it('opens once; later calls focus it, load the asked page and restore it', () => {
    const dashboard = open();
    dashboard.show();
    const win = FakeBrowserWindow.instances[0]!;
    win.minimized = true;
    dashboard.show('callbacks');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.loaded.at(-1)).toEqual({ file: location.indexFile, hash: '/callbacks' });
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(1);
    win.close();
    expect(dashboard.current()).toBeNull();
    dashboard.show('logs');
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect(FakeBrowserWindow.instances[1]!.loaded).toEqual([{ file: location.indexFile, hash: '/logs' }]);
  });

  it('loads the dev server when one is set', () => {
    const dev = { ...location, devUrl: 'http://localhost:5173' };
    open(dev).show('callbacks');
    expect(FakeBrowserWindow.instances[0]!.loaded).toEqual([{ url: 'http://localhost:5173/#/callbacks' }]);
  });

  it('says so when the dashboard was not built', () => {
    open({ ...location, indexFile: path.join(tmpdir(), 'nope', 'index.html') }).show();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(errors[0]).toMatch(/the dashboard is not built/);
  });
});

describe('page locks', () => {
  it('blocks navigation away from the dashboard, in any frame and by redirect', () => {
    open().show();
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    const home = pathToFileURL(location.indexFile).href;
    expect(contents.navigate('will-frame-navigate', `${home}#/logs`)).toBe(false);
    expect(contents.navigate('will-frame-navigate', 'https://example.com/')).toBe(true);
    expect(contents.navigate('will-frame-navigate', pathToFileURL('/etc/passwd').href)).toBe(true);
    expect(contents.navigate('will-redirect', 'http://127.0.0.1:8081/')).toBe(true);
    expect(contents.fire('will-attach-webview').defaultPrevented).toBe(true);
  });

  it('opens no windows; web links go to the OS browser, anything else nowhere', () => {
    open().show();
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    for (const url of ['https://core.example.com/docs', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.shell.opened).toEqual(['https://core.example.com/docs', 'http://example.com/']);
  });

  it('denies every permission request and check', () => {
    open();
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      fake.session.permissionRequest!({}, permission, (granted) => void answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(fake.session.permissionCheck!({}, 'media')).toBe(false);
  });

  it('sends a strict Content-Security-Policy, replacing any the server sent', () => {
    open();
    let headers: Record<string, string[]> | undefined;
    fake.session.headersReceived!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } }, (r) => void (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CSP] });
    expect(CSP).toContain("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");
    expect(CSP).not.toContain('unsafe-eval');
    expect(DEV_CSP).toContain('ws://localhost:*');
  });
});
