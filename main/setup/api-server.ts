// The public API as the agent runs it: the allowlist and inbound auth following the settings,
// password lockouts, TLS, and the server on server.host:server.port.
import type Koa from 'koa';
import type { Settings } from '../../shared/settings.js';
import type { BillingSource } from '../billing/source.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';
import type { SecretStore } from '../secrets/store.js';
import { installLoginKeys } from '../security/login-keys.js';
import { PasswordGuard, type GuardSettings } from '../security/password-guard.js';
import { AccessControl } from '../server/access.js';
import { createApiApp } from '../server/app.js';
import type { InboundAuth } from '../server/inbound-auth.js';
import type { RunningServer } from '../server/listen.js';
import { loadTls } from '../server/tls.js';
import { touches, type SettingsStore } from '../settings/settings-store.js';
import type { State } from '../state/index.js';
import type { Lifecycle } from './lifecycle.js';
import { openServer } from './listen.js';

/** The public API's app; benchmarks build it the same way. */
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
    hostnames: () => deps.settings().server.hostnames,
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
function inboundAuthFrom(store: SettingsStore, secrets: SecretStore, log: Logger) {
  let secret: string | null = null;
  let fetchedAt = -Infinity;
  const refresh = () => {
    fetchedAt = Date.now();
    secrets.get('api-token').then((value) => (secret = value), (err: Error) => log.warn({ err: err.message }, 'cannot read the api-token secret'));
  };
  refresh();
  store.subscribe((change) => {
    if (touches(change, 'server.inboundAuth')) refresh();
  });
  return (): InboundAuth => {
    const { inboundAuth, inboundLogin } = store.current().server;
    if (inboundAuth !== 'none' && Date.now() - fetchedAt > 10_000) refresh();
    return { mode: inboundAuth, login: inboundLogin, secret };
  };
}

export interface ApiServerDeps {
  dataDir: string;
  settingsFile: string;
  store: SettingsStore;
  secrets: SecretStore;
  billing: BillingSource;
  state: State;
  metrics: Metrics;
  log: Logger;
  /** Command-line overrides of the listen address. */
  host?: string;
  port?: number;
}

export interface ApiServer {
  server: RunningServer;
  /** SHA-256 fingerprint of the certificate; null for plain HTTP. */
  tlsFingerprint: string | null;
  access: AccessControl;
  passwordGuard: PasswordGuard;
  /** The log line that says where the API answers, written once the whole agent is up. */
  announce(): void;
}

export async function setupApiServer(d: ApiServerDeps, life: Lifecycle): Promise<ApiServer> {
  const settings = d.store.current();
  const access = new AccessControl(settings.server);
  d.store.subscribe((change) => {
    if (touches(change, 'server')) access.update(change.after.server);
  });
  const passwordGuard = new PasswordGuard(d.state.lockouts, () => guardSettings(d.store.current()), {
    keys: installLoginKeys(d.dataDir, d.state), log: d.log.child({ component: 'lockouts' }),
  });
  life.add('password lockouts', () => passwordGuard.close());
  const tls = await loadTls(settings.server.tls, d.dataDir);
  const app = buildApiApp({
    billing: d.billing, access, log: d.log, metrics: d.metrics, settings: () => d.store.current(),
    inboundAuth: inboundAuthFrom(d.store, d.secrets, d.log), passwordGuard,
  });
  const server = await openServer(app, {
    host: d.host ?? settings.server.host, port: d.port ?? settings.server.port, tls, setting: 'server.port', settingsFile: d.settingsFile,
  }, life);
  const tlsFingerprint = tls?.fingerprint ?? null;
  const announce = () => {
    const { server: now } = d.store.current();
    if (now.allowAll) d.log.warn('allowAll is on: any address may call the API');
    d.log.info({
      url: server.url, billing: d.billing.kind, allowlist: now.allowAll ? 'any' : now.allowlist, ...(tlsFingerprint && { tlsFingerprint }),
    }, 'Data Provider API listening');
  };
  return { server, tlsFingerprint, access, passwordGuard, announce };
}
