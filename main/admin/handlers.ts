// The admin operations, implemented over a running agent. Each area adds its handlers here.
import type { AdminHandlers, CheckItem } from '../../shared/admin.js';
import type { SettingsPatch } from '../../shared/settings.js';
import type { BillingSource } from '../billing/source.js';
import { createLockoutDesk } from '../security/lockout-desk.js';
import type { PasswordGuard } from '../security/password-guard.js';
import type { SyncService } from '../sync/service.js';
import { VERSION } from '../version.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { createBillingHandlers } from './handlers-billing.js';
import { createConfigHandlers, type ConfigContext } from './handlers-config.js';
import { createDemoHandlers } from './handlers-demo.js';
import { createExplainHandlers, type ExplainContext } from './handlers-explain.js';
import { createSyncHandlers } from './handlers-sync.js';

export interface AdminContext {
  dataDir: string;
  startedAt: Date;
  apiUrl: string;
  /** Known once the admin API listens. */
  adminUrl: () => string;
  tlsFingerprint: string | null;
  billing: () => BillingSource;
  sync: SyncService;
  /** Lockouts of /api/auth. */
  passwordGuard: PasswordGuard;
  /** Builds a billing from candidate settings, checks it and closes it. */
  testBilling: (billing: NonNullable<SettingsPatch['billing']>) => Promise<CheckItem[]>;
  /** Settings, allowlist, secrets, logs, diagnostics. */
  config: ConfigContext;
  /** Subscriber lookup and verdicts, self-test, sync report. */
  explain: ExplainContext;
  /** One-time codes for opening the browser dashboard; the admin HTTP API redeems them. */
  dashboardCodes: OneTimeCodes;
}

export function createAdminHandlers(ctx: AdminContext): AdminHandlers {
  const lockouts = createLockoutDesk(ctx.passwordGuard, ctx.billing);
  const config = createConfigHandlers(() => ctx.config);
  return {
    'agent.info': async () => ({
      version: VERSION,
      startedAt: ctx.startedAt.toISOString(),
      dataDir: ctx.dataDir,
      api: { url: ctx.apiUrl, tlsFingerprint: ctx.tlsFingerprint },
      adminUrl: ctx.adminUrl(),
      billing: { kind: ctx.billing().kind },
    }),
    'dashboard.code': async () => ctx.dashboardCodes.issue(),
    'billing.check': async () => ctx.billing().check(),
    'security.status': () => lockouts.status(),
    'security.unlock': async ({ login }) => ({ unlocked: await lockouts.unlock(login), status: await lockouts.status() }),
    'billing.test': async ({ billing }) => ctx.testBilling(billing),
    ...createSyncHandlers(() => ctx.sync),
    ...config,
    ...createBillingHandlers(ctx.billing, config['settings.update']),
    ...createDemoHandlers({ billing: ctx.billing, changed: () => ctx.sync.scanSoon() }),
    ...createExplainHandlers(() => ctx.explain),
  };
}
