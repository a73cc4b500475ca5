// Where the agent keeps its files: --data-dir, else BILLING_BRIDGE_DATA_DIR, else the OS's usual
// per-user place (~/.config/billing-bridge on Linux, %APPDATA%\billing-bridge on Windows).
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';

export function resolveDataDir(flag?: string): string {
  const dir = flag ?? process.env.BILLING_BRIDGE_DATA_DIR ?? envPaths('billing-bridge', { suffix: '' }).config;
  return path.resolve(dir);
}

/** The data directory holds the database and secrets' fallback: only its owner may enter it. */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

export function dataFiles(dir: string) {
  return {
    settings: path.join(dir, 'settings.json'),
    database: path.join(dir, 'state.db'),
    secrets: path.join(dir, 'secrets.json'),
    adminToken: path.join(dir, 'admin-token'),
  };
}
