// The data directory and its lock, the settings store and the logger (whose level is a setting).
import { LogRing, createLogger, type Logger } from '../logging/logger.js';
import { dataFiles, ensureDataDir } from '../settings/paths.js';
import { SettingsStore } from '../settings/settings-store.js';
import { lockDataDir } from '../state/lock.js';
import type { Lifecycle } from './lifecycle.js';

export interface SettingsSetup {
  files: ReturnType<typeof dataFiles>;
  store: SettingsStore;
  log: Logger;
  logs: LogRing;
}

/** One agent per data directory: the lock is taken first and released last (by `life`). */
export function setupSettings(options: { dataDir: string; log?: Logger; ring?: LogRing }, life: Lifecycle): SettingsSetup {
  ensureDataDir(options.dataDir);
  const lock = lockDataDir(options.dataDir);
  const files = dataFiles(options.dataDir);
  let store: SettingsStore;
  try {
    store = new SettingsStore(files.settings);
  } catch (err) {
    lock.release();
    throw err;
  }
  life.add('data directory lock', () => lock.release());
  const logs = options.ring ?? new LogRing();
  const log = options.log ?? createLogger({ level: store.current().log.level, ring: logs });
  if (store.loaded.created) log.info({ file: files.settings }, 'wrote default settings (demo billing, loopback-only allowlist)');
  if (store.loaded.migratedFrom !== undefined) log.info({ file: files.settings, from: store.loaded.migratedFrom }, 'settings migrated; the old file was kept as a .bak');
  return { files, store, log, logs };
}

/** From here on hand edits and SIGHUP apply; stopped first, so nothing changes while the rest stops. */
export function watchSettings(store: SettingsStore, log: Logger, life: Lifecycle): void {
  store.watch(log.child({ component: 'settings' }));
  life.add('settings', () => store.close());
}
