// The public API as a Koa app: log → errors → allowlist → host name → browser requests →
// concurrency limit → inbound auth → routes. Tests use app.callback() or a real listening server;
// `listen.ts` adds the socket-level limits.
import Koa from 'koa';
import type { BillingSource } from '../billing/source.js';
import type { Logger } from '../logging/logger.js';
import type { AccessControl } from './access.js';
import { dataProviderRoutes } from './data-provider.js';
import { errorHandler } from './errors.js';
import { apiHostCheck } from './host-check.js';
import { inboundAuth, type InboundAuth } from './inbound-auth.js';
import { concurrencyLimit } from './limits.js';
import { refuseBrowserRequests } from './provenance.js';
import { requestLog } from './request-log.js';
import type { Metrics } from '../metrics.js';
import type { PasswordGuard } from '../security/password-guard.js';

export interface ApiDeps {
  /** A getter, so a settings change can swap the billing without rebuilding the app. */
  billing: () => BillingSource;
  access: AccessControl;
  log: Logger;
  /** Requests handled at once (default 64). */
  maxConcurrent?: () => number;
  /** Optional credential core must present (default: none). */
  inboundAuth?: () => InboundAuth;
  metrics?: Metrics;
  /** Lockouts and the cap on password checks for /api/auth. */
  passwordGuard?: PasswordGuard;
  /** DNS names core may call the agent by, besides IP addresses and localhost (server.hostnames). */
  hostnames?: () => readonly string[];
}

const NO_AUTH: InboundAuth = { mode: 'none', login: '', secret: null };
const NO_NAMES: readonly string[] = [];

export function createApiApp(deps: ApiDeps): Koa {
  const app = new Koa();
  // Never trust X-Forwarded-* through Koa; AccessControl decides who the client is.
  app.proxy = false;
  app.silent = true;
  const routes = dataProviderRoutes(deps.billing, deps.passwordGuard);
  app.use(requestLog(deps.log, { metrics: deps.metrics }));
  app.use(errorHandler(deps.log));
  app.use(deps.access.middleware());
  app.use(apiHostCheck(deps.hostnames ?? (() => NO_NAMES), deps.log));
  app.use(refuseBrowserRequests());
  app.use(concurrencyLimit(deps.maxConcurrent ?? (() => 64)));
  app.use(inboundAuth(deps.inboundAuth ?? (() => NO_AUTH)));
  app.use(routes.middleware());
  return app;
}
