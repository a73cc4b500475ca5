// Starts the real public API on loopback with a billing the test controls.
import { DemoBilling, type DemoBillingOptions } from '../../main/billing/demo/index.js';
import type { BillingSource } from '../../main/billing/source.js';
import { silentLogger, type Logger } from '../../main/logging/logger.js';
import { AccessControl, type AccessSettings } from '../../main/server/access.js';
import { createApiApp } from '../../main/server/app.js';
import type { InboundAuth } from '../../main/server/inbound-auth.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import type { PasswordGuard } from '../../main/security/password-guard.js';

export interface TestApi {
  url: string;
  billing: BillingSource;
  access: AccessControl;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startTestApi(options: {
  billing?: BillingSource;
  demo?: DemoBillingOptions;
  access?: Partial<AccessSettings>;
  host?: string;
  maxConcurrent?: number;
  inboundAuth?: InboundAuth;
  tls?: { cert: string; key: string };
  headersTimeoutMs?: number;
  log?: Logger;
  passwordGuard?: PasswordGuard;
  hostnames?: string[];
} = {}): Promise<TestApi> {
  const billing = options.billing ?? new DemoBilling(options.demo);
  const access = new AccessControl({ allowlist: ['127.0.0.1', '::1'], allowAll: false, trustedProxies: [], ...options.access });
  const app = createApiApp({
    billing: () => billing,
    access,
    log: options.log ?? silentLogger(),
    maxConcurrent: () => options.maxConcurrent ?? 64,
    inboundAuth: () => options.inboundAuth ?? { mode: 'none', login: '', secret: null },
    passwordGuard: options.passwordGuard,
    hostnames: () => options.hostnames ?? [],
  });
  const server = await listen(app, { host: options.host ?? '127.0.0.1', port: 0, tls: options.tls, headersTimeoutMs: options.headersTimeoutMs });
  return { url: server.url, billing, access, server, close: () => server.close() };
}
