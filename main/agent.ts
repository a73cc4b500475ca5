// The headless agent: settings → secrets → billing → API server. The CLI's `serve` and the
// Electron shell both start it through here.
import type Koa from 'koa';
import { createAdminHandlers } from './admin/handlers.js';
import { ADMIN_HOST, createAdminApp } from './admin/server.js';
import { loadOrCreateToken } from './admin/token.js';
import type { BillingSource } from './billing/source.js';
import { createBilling } from './billing/create.js';
import { openDatabase, type Db } from './db/open.js';
import { createLogger, type Logger } from './logging/logger.js';
import { AccessControl } from './server/access.js';
import { createApiApp } from './server/app.js';
import { listen, type RunningServer } from './server/listen.js';
import { createSecretStore, type SecretStore } from './secrets/store.js';
import { dataFiles, ensureDataDir } from './settings/paths.js';
import type { Settings } from './settings/schema.js';
import { loadSettings, saveSettings } from './settings/store.js';
import type { Clock, Random } from './sync/clock.js';
import { createSyncService, type SyncService } from './sync/service.js';

export interface AgentOptions {
  dataDir: string;
  /** Command-line overrides of the listen addresses (not written back to the file). */
  host?: string;
  port?: number;
  adminPort?: number;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Tests inject a billing they control. */
  billing?: BillingSource;
  /** Tests inject time and chance for the sync service. */
  clock?: Clock;
  random?: Random;
}

export interface Agent {
  settings: Settings;
  billing: BillingSource;
  access: AccessControl;
  secrets: SecretStore;
  log: Logger;
  api: RunningServer;
  admin: RunningServer;
  sync: SyncService;
  db: Db;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<Agent> {
  ensureDataDir(options.dataDir);
  const files = dataFiles(options.dataDir);
  const loaded = loadSettings(files.settings);
  const settings = loaded.settings;
  const log = options.log ?? createLogger({ level: settings.log.level });
  if (loaded.created) log.info({ file: files.settings }, 'wrote default settings (demo billing, loopback-only allowlist)');
  if (loaded.migratedFrom !== undefined) log.info({ file: files.settings, from: loaded.migratedFrom }, 'settings migrated; the old file was kept as a .bak');

  const secrets = createSecretStore({ secretsFile: files.secrets, env: options.env });
  const billing = options.billing ?? (await createBilling(settings, secrets));
  const access = new AccessControl(settings.server);
  if (settings.server.allowAll) log.warn('allowAll is on: any address may call the API');

  const startedAt = new Date();
  const opened: RunningServer[] = [];
  let db: Db | undefined;
  const open = async (app: Koa, host: string | undefined, port: number, setting: string) => {
    try {
      const server = await listen(app, { host, port });
      opened.push(server);
      return server;
    } catch (err) {
      await Promise.all(opened.map((s) => s.close()));
      db?.close();
      await billing.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`port ${port} is already in use (is another billing-bridge running?): stop the other program or set ${setting} in ${files.settings}`);
      if (code === 'EACCES') throw new Error(`not allowed to listen on port ${port}: use a port above 1024 or run with the needed rights`);
      throw err;
    }
  };

  const api = await open(createApiApp({ billing: () => billing, access, log }), options.host ?? settings.server.host, options.port ?? settings.server.port, 'server.port');
  // The API answers before the database is opened and long before the first scan.
  let sync: SyncService;
  try {
    db = openDatabase(files.database);
    sync = createSyncService({
      db,
      billing: () => billing,
      settings: () => settings,
      saveEnabled: (enabled) => {
        // Re-read the file so edits made while the agent runs are kept.
        const current = loadSettings(files.settings).settings;
        saveSettings(files.settings, { ...current, sync: { ...current.sync, enabled } });
        settings.sync.enabled = enabled;
      },
      secrets,
      log: log.child({ component: 'sync' }),
      settingsFile: files.settings,
      clock: options.clock,
      random: options.random,
    });
  } catch (err) {
    await api.close();
    db?.close();
    await billing.close();
    throw new Error(`the state database ${files.database} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  const handlers = createAdminHandlers({ dataDir: options.dataDir, startedAt, apiUrl: api.url, billing: () => billing, sync: () => sync });
  const adminApp = createAdminApp({ token: loadOrCreateToken(files.adminToken), handlers, log: log.child({ component: 'admin' }) });
  const admin = await open(adminApp, ADMIN_HOST, options.adminPort ?? settings.admin.port, 'admin.port');
  log.info({ url: api.url, billing: billing.kind, allowlist: settings.server.allowAll ? 'any' : settings.server.allowlist }, 'Data Provider API listening');
  log.info({ url: admin.url }, 'admin API listening (loopback only, token in the data directory)');
  sync.start();

  return {
    settings, billing, access, secrets, log, api, admin, sync, db,
    async stop() {
      await sync.stop();
      await Promise.all([api.close(), admin.close()]);
      db?.close();
      await billing.close();
      log.info('stopped');
    },
  };
}
