// The headless agent: settings → secrets → billing → API server. The CLI's `serve` and the
// Electron shell both start it through here.
import type { BillingSource } from './billing/source.js';
import { createBilling } from './billing/create.js';
import { createLogger, type Logger } from './logging/logger.js';
import { AccessControl } from './server/access.js';
import { createApiApp } from './server/app.js';
import { listen, type RunningServer } from './server/listen.js';
import { createSecretStore, type SecretStore } from './secrets/store.js';
import { dataFiles, ensureDataDir } from './settings/paths.js';
import type { Settings } from './settings/schema.js';
import { loadSettings } from './settings/store.js';

export interface AgentOptions {
  dataDir: string;
  /** Command-line overrides of the listen address (not written back to the file). */
  host?: string;
  port?: number;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Tests inject a billing they control. */
  billing?: BillingSource;
}

export interface Agent {
  settings: Settings;
  billing: BillingSource;
  access: AccessControl;
  secrets: SecretStore;
  log: Logger;
  api: RunningServer;
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

  const app = createApiApp({ billing: () => billing, access, log });
  const host = options.host ?? settings.server.host;
  const port = options.port ?? settings.server.port;
  let api: RunningServer;
  try {
    api = await listen(app, { host, port });
  } catch (err) {
    await billing.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} is already in use: stop the other program or set server.port in ${files.settings}`);
    if (code === 'EACCES') throw new Error(`not allowed to listen on port ${port}: use a port above 1024 or run with the needed rights`);
    throw err;
  }
  log.info({ url: api.url, billing: billing.kind, allowlist: settings.server.allowAll ? 'any' : settings.server.allowlist }, 'Data Provider API listening');

  return {
    settings, billing, access, secrets, log, api,
    async stop() {
      await api.close();
      await billing.close();
      log.info('stopped');
    },
  };
}
