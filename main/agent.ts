// The headless agent: settings → secrets → billing → API server → database and sync → admin API.
// The CLI's `serve` and the Electron shell both start it through here.
import path from 'node:path';
import type Koa from 'koa';
import type { AdminHandlers } from '../shared/admin.js';
import { createAdminHandlers } from './admin/handlers.js';
import { appRoot } from './app-root.js';
import { ADMIN_HOST, createAdminApp, type Readiness } from './admin/server.js';
import { loadOrCreateToken } from './admin/token.js';
import { createBilling } from './billing/create.js';
import { GuardedBilling } from './billing/guard.js';
import type { BillingSource } from './billing/source.js';
import { openState, type State } from './state/index.js';
import { LogRing, createLogger, type Logger } from './logging/logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSecretStore, type SecretStore } from './secrets/store.js';
import { PasswordGuard, type GuardSettings } from './security/password-guard.js';
import { AccessControl } from './server/access.js';
import { createApiApp } from './server/app.js';
import type { InboundAuth } from './server/inbound-auth.js';
import { listen, type RunningServer } from './server/listen.js';
import { loadTls, type TlsMaterial } from './server/tls.js';
import { dataFiles, ensureDataDir } from './settings/paths.js';
import type { Settings } from '../shared/settings.js';
import { SettingsStore, touches } from './settings/settings-store.js';
import type { Clock, Random } from './sync/clock.js';
import { createSyncService, type SyncService } from './sync/service.js';
import { createExplainService, type ExplainService } from './explain/explain.js';

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
  /** Tests inject a billing they control. */
  billing?: BillingSource;
  /** Tests inject time and chance for the sync service. */
  clock?: Clock;
  random?: Random;
}

export interface Agent {
  dataDir: string;
  settings: SettingsStore;
  billing: BillingSource;
  access: AccessControl;
  secrets: SecretStore;
  log: Logger;
  logs: LogRing;
  metrics: Metrics;
  api: RunningServer;
  admin: RunningServer;
  /** The admin operations, for in-process callers such as the tray shell. */
  handlers: AdminHandlers;
  /** SHA-256 fingerprint of the API's TLS certificate; null for plain HTTP. */
  tlsFingerprint: string | null;
  sync: SyncService;
  state: State;
  passwordGuard: PasswordGuard;
  stop(): Promise<void>;
}

/** The public API as the agent runs it; benchmarks build it the same way. */
export function buildApiApp(deps: {
  billing: BillingSource;
  access: AccessControl;
  log: Logger;
  metrics?: Metrics;
  settings: () => Settings;
  inboundAuth?: () => InboundAuth;
  passwordGuard?: PasswordGuard;
}): Koa {
  return createApiApp({
    billing: () => deps.billing,
    access: deps.access,
    log: deps.log,
    metrics: deps.metrics,
    maxConcurrent: () => deps.settings().server.maxConcurrentRequests,
    inboundAuth: deps.inboundAuth,
    passwordGuard: deps.passwordGuard,
  });
}

export function guardSettings(settings: Settings): GuardSettings {
  return {
    maxFailures: settings.security.lockoutFailures,
    windowMinutes: settings.security.lockoutWindowMinutes,
    lockMinutes: settings.security.lockoutMinutes,
    checksPerMinute: settings.security.passwordChecksPerMinute,
  };
}

/** Keeps the `api-token` secret close at hand: a keychain read per request would be slow. */
function inboundAuthFrom(settings: () => Settings, secrets: SecretStore, log: Logger) {
  let secret: string | null = null;
  let fetchedAt = -Infinity;
  const refresh = () => {
    fetchedAt = Date.now();
    secrets.get('api-token').then((value) => (secret = value), (err: Error) => log.warn({ err: err.message }, 'cannot read the api-token secret'));
  };
  return {
    refresh,
    current: (): InboundAuth => {
      const { inboundAuth, inboundLogin } = settings().server;
      if (inboundAuth !== 'none' && Date.now() - fetchedAt > 10_000) refresh();
      return { mode: inboundAuth, login: inboundLogin, secret };
    },
  };
}

export async function startAgent(options: AgentOptions): Promise<Agent> {
  ensureDataDir(options.dataDir);
  const files = dataFiles(options.dataDir);
  const store = new SettingsStore(files.settings);
  const current = () => store.current();
  const settings = store.current();
  const logs = options.ring ?? new LogRing();
  const log = options.log ?? createLogger({ level: settings.log.level, ring: logs });
  if (store.loaded.created) log.info({ file: files.settings }, 'wrote default settings (demo billing, loopback-only allowlist)');
  if (store.loaded.migratedFrom !== undefined) log.info({ file: files.settings, from: store.loaded.migratedFrom }, 'settings migrated; the old file was kept as a .bak');

  const metrics = createMetrics();
  const secrets = createSecretStore({ secretsFile: files.secrets, env: options.env, backend: settings.secrets.backend, log: log.child({ component: 'secrets' }) });
  const billing = new GuardedBilling(options.billing ?? (await createBilling(settings, secrets, log)), { metrics });
  const access = new AccessControl(settings.server);
  if (settings.server.allowAll) log.warn('allowAll is on: any address may call the API');
  const inbound = inboundAuthFrom(current, secrets, log);
  inbound.refresh();

  const startedAt = new Date();
  const opened: RunningServer[] = [];
  let state: State | undefined;
  const failStart = async (err: unknown): Promise<never> => {
    store.close();
    await Promise.all(opened.map((s) => s.close()));
    state?.close();
    await billing.close();
    throw err;
  };
  const open = async (app: Koa, host: string | undefined, port: number, setting: string, tls?: TlsMaterial | null) => {
    try {
      const server = await listen(app, { host, port, tls });
      opened.push(server);
      return server;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') return failStart(new Error(`port ${port} is already in use (is another billing-bridge running?): stop the other program or set ${setting} in ${files.settings}`));
      if (code === 'EACCES') return failStart(new Error(`not allowed to listen on port ${port}: use a port above 1024 or run with the needed rights`));
      return failStart(err);
    }
  };

  const tls = await loadTls(settings.server.tls, options.dataDir).catch(failStart);
  try {
    state = openState(files.database);
  } catch (err) {
    return failStart(new Error(`the state database ${files.database} cannot be opened: ${(err as Error).message}`, { cause: err }));
  }
  const passwordGuard = new PasswordGuard(state.lockouts, () => guardSettings(store.current()));
  const apiApp = buildApiApp({ billing, access, log, metrics, settings: current, inboundAuth: inbound.current, passwordGuard });
  const api = await open(apiApp, options.host ?? settings.server.host, options.port ?? settings.server.port, 'server.port', tls);
  // The API answers long before the first scan.
  let sync: SyncService;
  let explain: ExplainService;
  try {
    explain = createExplainService({ state, dataDir: options.dataDir, settings: current, billing: () => billing });
    sync = createSyncService({
      state,
      billing: () => billing,
      settings: current,
      saveEnabled: (enabled) => void store.update({ sync: { enabled } }),
      problems: () => [store.notice()].filter((n) => n !== null),
      secrets,
      log: log.child({ component: 'sync' }),
      settingsFile: files.settings,
      clock: options.clock,
      random: options.random,
      scanObserver: explain.observer,
    });
  } catch (err) {
    return failStart(new Error(`sync cannot start: ${(err as Error).message}`, { cause: err }));
  }
  const liveSync = sync;
  const liveExplain = explain;
  let adminUrl = '';
  const liveState = state;
  metrics.readSyncStatus(() => liveSync.status());

  const handlers = createAdminHandlers({
    dataDir: options.dataDir,
    startedAt,
    apiUrl: api.url,
    adminUrl: () => adminUrl,
    tlsFingerprint: tls?.fingerprint ?? null,
    billing: () => billing,
    sync: () => liveSync,
    passwordGuard: () => passwordGuard,
    explain: () => ({
      explain: liveExplain, fingerprints: liveState.fingerprints, billing: () => billing, settings: current, secrets,
      api: () => ({ url: api.url, address: api.server.address() }), tlsFingerprint: tls?.fingerprint ?? null,
    }),
    testBilling: async (candidate) => {
      const trial = await createBilling(store.preview({ billing: candidate }), secrets, log);
      try {
        return await trial.check();
      } finally {
        await trial.close();
      }
    },
    config: () => ({
      dataDir: options.dataDir,
      settings: store,
      access,
      secrets,
      logs,
      billing: () => billing,
      status: async () => ({ sync: await liveSync.status(), tlsFingerprint: tls?.fingerprint ?? null }),
    }),
  });
  // A billing check probes the billing (for Carbon, several calls): probes polled every few
  // seconds share one answer for up to 15 s instead of each asking again.
  let billingCheck: { at: number; result: Promise<Readiness['checks'][number]> } | null = null;
  const checkBilling = (): Promise<Readiness['checks'][number]> => {
    if (!billingCheck || Date.now() - billingCheck.at > 15_000) {
      billingCheck = {
        at: Date.now(),
        result: billing.check().then(
          (items) => ({ name: 'billing', ok: items.every((i) => i.ok), detail: items.map((i) => `${i.name}: ${i.detail}`).join('; ') }),
          (err: Error) => ({ name: 'billing', ok: false, detail: err.message }),
        ),
      };
    }
    return billingCheck.result;
  };
  const readiness = async (): Promise<Readiness> => {
    const checks: Readiness['checks'] = [await checkBilling()];
    try {
      liveState.meta.readyProbe.set(new Date().toISOString());
      checks.push({ name: 'database', ok: true, detail: 'writable' });
    } catch (err) {
      checks.push({ name: 'database', ok: false, detail: (err as Error).message });
    }
    return { ready: checks.every((c) => c.ok), checks };
  };
  const adminApp = createAdminApp({
    token: loadOrCreateToken(files.adminToken),
    handlers,
    log: log.child({ component: 'admin' }),
    readiness,
    metrics,
    dashboardDir: path.join(appRoot(), 'renderer', 'dist'),
  });
  const admin = await open(adminApp, ADMIN_HOST, options.adminPort ?? settings.admin.port, 'admin.port');
  adminUrl = admin.url;
  store.subscribe((change) => {
    if (touches(change, 'server')) access.update(change.after.server);
    if (touches(change, 'server.inboundAuth')) inbound.refresh();
    liveSync.settingsChanged();
  });
  // A different billing (or phone format, which the adapters apply) is built and put behind the
  // guard; requests in flight finish on the old one. A billing injected by a test stays.
  if (!options.billing) {
    store.subscribe(async (change) => {
      if (touches(change, 'billing', 'phones')) billing.replace(await createBilling(change.after, secrets, log));
    });
  }
  store.watch(log.child({ component: 'settings' }));
  log.info({
    url: api.url,
    billing: billing.kind,
    allowlist: settings.server.allowAll ? 'any' : settings.server.allowlist,
    ...(tls && { tlsFingerprint: tls.fingerprint }),
  }, 'Data Provider API listening');
  log.info({ url: admin.url }, 'admin API listening (loopback only, token in the data directory)');
  sync.start();

  return {
    dataDir: options.dataDir, settings: store, billing, access, secrets, log, logs, metrics, api, admin, handlers, sync, state: liveState, passwordGuard,
    tlsFingerprint: tls?.fingerprint ?? null,
    async stop() {
      store.close();
      await liveSync.stop();
      await Promise.all([api.close(), admin.close()]);
      passwordGuard.close();
      liveState.close();
      await billing.close();
      log.info('stopped');
    },
  };
}
