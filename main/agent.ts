// The headless agent, composed of its pieces (main/setup/): settings → secrets → billing → state
// → API server → explain, sync → admin API. Each piece registers how it stops; they stop in
// reverse order, and a start that fails part way stops what had started. The CLI's `serve` and
// the Electron shell both start it through here.
import type { AdminHandlers } from '../shared/admin.js';
import type { BillingSource } from './billing/source.js';
import type { LogRing, Logger } from './logging/logger.js';
import { OneTimeCodes } from './admin/one-time-codes.js';
import { createMetrics } from './metrics.js';
import type { RunningServer } from './server/listen.js';
import type { SettingsStore } from './settings/settings-store.js';
import type { SyncService } from './sync/service.js';
import { setupAdminHandlers, setupAdminServer } from './setup/admin-server.js';
import { setupApiServer } from './setup/api-server.js';
import { setupBilling, trialBilling } from './setup/billing.js';
import { Lifecycle } from './setup/lifecycle.js';
import { setupReadiness } from './setup/readiness.js';
import { setupSecrets } from './setup/secrets.js';
import { setupSettings, watchSettings } from './setup/settings.js';
import { setupState } from './setup/state.js';
import { setupExplain, setupSync } from './setup/sync.js';

export interface AgentOptions {
  dataDir: string;
  /** Command-line overrides of the listen addresses (not written back to the file). */
  host?: string;
  port?: number;
  adminPort?: number;
  log?: Logger;
  /** Where recent log lines are kept for the dashboard; pass the one behind `log` if you pass a logger. */
  ring?: LogRing;
  env?: NodeJS.ProcessEnv;
  /** A billing to serve whatever the settings say (tests). */
  billing?: BillingSource;
}

export interface Agent {
  dataDir: string;
  settings: SettingsStore;
  log: Logger;
  api: RunningServer;
  admin: RunningServer;
  /** The admin operations, for in-process callers such as the tray shell. */
  handlers: AdminHandlers;
  /** SHA-256 fingerprint of the API's TLS certificate; null for plain HTTP. */
  tlsFingerprint: string | null;
  sync: SyncService;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { dataDir } = options;
  const life = new Lifecycle();
  const { files, store, log, logs } = setupSettings(options, life);
  try {
    const metrics = createMetrics();
    const secrets = setupSecrets({ secretsFile: files.secrets, store, env: options.env, log });
    const billing = await setupBilling({ store, secrets, log, metrics, fixed: options.billing }, life);
    const state = setupState(files.database, log, life);
    const api = await setupApiServer({ dataDir, settingsFile: files.settings, store, secrets, billing, state, metrics, log, host: options.host, port: options.port }, life);
    const explain = setupExplain({ state, dataDir, store, billing });
    const sync = setupSync({ state, store, billing, billingCalls: () => billing.calls.lastMinute(), secrets, explain, metrics, log }, life);
    // The admin API's address is known once it listens, before any operation can be asked for.
    const dashboardCodes = new OneTimeCodes();
    const handlers = setupAdminHandlers({
      dataDir, adminUrl: () => admin.url, billing: () => billing, testBilling: trialBilling({ store, secrets, log }),
      store, secrets, logs, state, api, sync, explain, dashboardCodes,
    });
    const readiness = setupReadiness({ billing, state });
    const admin = await setupAdminServer({
      handlers, readiness, metrics, log, dashboardCodes, tokenFile: files.adminToken, settingsFile: files.settings,
      port: options.adminPort ?? store.current().admin.port,
    }, life);
    watchSettings(store, log, life);
    api.announce();
    log.info({ url: admin.url }, 'admin API listening (loopback only, token in the data directory)');
    sync.start();
    return {
      dataDir, settings: store, log, api: api.server, admin, handlers, sync, tlsFingerprint: api.tlsFingerprint,
      async stop() {
        await life.stop(log);
        log.info('stopped');
      },
    };
  } catch (err) {
    await life.stop(log);
    throw err;
  }
}
