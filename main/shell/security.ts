// Locks every web page of the app down (Electron's security checklist): no navigation away from
// the dashboard, no new windows, no webviews, no permissions, a strict Content-Security-Policy.
import { app, session, shell, type WebContents } from 'electron';
import { DASHBOARD_CSP } from '../admin/dashboard.js';

/** The dashboard's CSP, the one the admin port serves it with. The renderer's index.html carries
 *  the same as a meta tag, which is what applies to file:// pages; the header covers pages
 *  served over http (the dev server). */
export const CSP = DASHBOARD_CSP;

/** Vite's dev server needs its inline preamble and hot-reload socket; never used when packaged. */
export const DEV_CSP = CSP
  .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
  .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*");

/** Links the dashboard opens in a new window go to the OS browser: web addresses only. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContents, isTrustedUrl: (url: string) => boolean): void {
  const stayHome = (event: { url: string; preventDefault(): void }) => {
    if (!isTrustedUrl(event.url)) event.preventDefault();
  };
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function setupSecurity(options: { isTrustedUrl: (url: string) => boolean; dev: boolean }): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options.isTrustedUrl));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  const csp = options.dev ? DEV_CSP : CSP;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
}
