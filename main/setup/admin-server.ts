// The admin operations over the running agent, and the loopback admin API that serves them with
// the dashboard, the probes and the metrics.
import path from 'node:path';
import type { AdminHandlers } from '../../shared/admin.js';
import { createAdminHandlers, type AdminContext } from '../admin/handlers.js';
import type { OneTimeCodes } from '../admin/one-time-codes.js';
import { ADMIN_HOST, createAdminApp, type Readiness } from '../admin/server.js';
import { loadOrCreateToken } from '../admin/token.js';
import { appRoot } from '../app-root.js';
import type { ExplainService } from '../explain/explain.js';
import type { LogRing, Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';
import type { SecretStore } from '../secrets/store.js';
import type { RunningServer } from '../server/listen.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { State } from '../state/index.js';
import type { SyncService } from '../sync/service.js';
import type { ApiServer } from './api-server.js';
import type { Lifecycle } from './lifecycle.js';
import { openServer } from './listen.js';

export interface HandlerDeps extends Pick<AdminContext, 'dataDir' | 'adminUrl' | 'billing' | 'testBilling' | 'dashboardCodes'> {
  store: SettingsStore;
  secrets: SecretStore;
  logs: LogRing;
  state: State;
  api: ApiServer;
  sync: SyncService;
  explain: ExplainService;
}

export function setupAdminHandlers(d: HandlerDeps): AdminHandlers {
  const { api } = d;
  return createAdminHandlers({
    dataDir: d.dataDir,
    startedAt: new Date(),
    apiUrl: api.server.url,
    adminUrl: d.adminUrl,
    tlsFingerprint: api.tlsFingerprint,
    billing: d.billing,
    sync: d.sync,
    passwordGuard: api.passwordGuard,
    testBilling: d.testBilling,
    dashboardCodes: d.dashboardCodes,
    config: {
      dataDir: d.dataDir, settings: d.store, access: api.access, secrets: d.secrets, logs: d.logs, billing: d.billing,
      status: async () => ({ sync: await d.sync.status(), tlsFingerprint: api.tlsFingerprint }),
    },
    explain: {
      explain: d.explain, fingerprints: d.state.fingerprints, billing: d.billing, settings: () => d.store.current(), secrets: d.secrets,
      api: () => ({ url: api.server.url, address: api.server.server.address() }), tlsFingerprint: api.tlsFingerprint,
    },
  });
}

export interface AdminServerDeps {
  handlers: AdminHandlers;
  /** The one-time codes `dashboard.code` hands out, redeemed here for the token. */
  dashboardCodes: OneTimeCodes;
  readiness: () => Promise<Readiness>;
  metrics: Metrics;
  log: Logger;
  tokenFile: string;
  settingsFile: string;
  port: number;
}

export async function setupAdminServer(d: AdminServerDeps, life: Lifecycle): Promise<RunningServer> {
  const app = createAdminApp({
    token: loadOrCreateToken(d.tokenFile),
    handlers: d.handlers,
    log: d.log.child({ component: 'admin' }),
    readiness: d.readiness,
    metrics: d.metrics,
    dashboardDir: path.join(appRoot(), 'renderer', 'dist'),
    dashboardCodes: d.dashboardCodes,
  });
  return openServer(app, { host: ADMIN_HOST, port: d.port, setting: 'admin.port', settingsFile: d.settingsFile }, life);
}
