// Where the dashboard page is — the packaged renderer/dist/index.html, or Vite's dev server
// during development — and whether a URL is that page (the only one allowed to call the core).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pages the shell opens directly (hash routes of the dashboard). */
export type DashboardPage = 'callbacks' | 'logs';

export interface RendererLocation {
  /** The built dashboard: renderer/dist/index.html in the app. */
  indexFile: string;
  /** Vite's dev server (BILLING_BRIDGE_DEV_URL), only when not packaged and only on loopback. */
  devUrl: string | null;
}

export { appRoot } from '../app-root.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function rendererLocation(options: { root: string; packaged: boolean; devUrl?: string }): RendererLocation {
  let devUrl: string | null = null;
  if (!options.packaged && options.devUrl) {
    const url = new URL(options.devUrl);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new Error(`BILLING_BRIDGE_DEV_URL must be an http:// address on this machine (localhost, 127.0.0.1), not ${options.devUrl}`);
    }
    devUrl = url.origin;
  }
  return { indexFile: path.join(options.root, 'renderer', 'dist', 'index.html'), devUrl };
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.normalize(p).toLowerCase() : path.normalize(p));
  return norm(a) === norm(b);
}

/** Is this frame URL the dashboard page? Query and hash (the page's routes) do not matter. */
export function isDashboardUrl(url: string, location: RendererLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    if (parsed.host !== '') return false;
    parsed.hash = '';
    parsed.search = '';
    try {
      return samePath(fileURLToPath(parsed), location.indexFile);
    } catch {
      return false;
    }
  }
  return location.devUrl !== null && parsed.origin === location.devUrl;
}
