// The admin operations, implemented over a running agent. Each area adds its handlers here.
import type { AdminHandlers, CheckItem } from '../../shared/admin.js';
import type { SettingsPatch } from '../../shared/settings.js';
import type { BillingSource } from '../billing/source.js';
import type { PasswordGuard } from '../security/password-guard.js';
import type { SyncService } from '../sync/service.js';
import { VERSION } from '../version.js';
import { AdminOpError } from './errors.js';
import { createConfigHandlers, type ConfigContext } from './handlers-config.js';
import { createDemoHandlers } from './handlers-demo.js';
import { createExplainHandlers, type ExplainContext } from './handlers-explain.js';
import { createSyncHandlers } from './handlers-sync.js';

export interface AdminContext {
  dataDir: string;
  startedAt: Date;
  apiUrl: string;
  /** Known once the admin API listens. */
  adminUrl?: () => string;
  tlsFingerprint?: string | null;
  billing: () => BillingSource;
  /** Absent in tests of other areas that start the admin API without sync. */
  sync?: () => SyncService;
  /** Lockouts of /api/auth. */
  passwordGuard?: () => PasswordGuard;
  /** Builds a billing from candidate settings, checks it and closes it. */
  testBilling?: (billing: NonNullable<SettingsPatch['billing']>) => Promise<CheckItem[]>;
  /** Settings, allowlist, secrets, logs, diagnostics; absent in tests that do not need them. */
  config?: () => ConfigContext;
  /** Subscriber lookup and verdicts, self-test, sync report; absent in tests that do not need them. */
  explain?: () => ExplainContext;
}

export function createAdminHandlers(ctx: AdminContext): AdminHandlers {
  const sync = (): SyncService => {
    if (!ctx.sync) throw new AdminOpError(503, 'sync is not running in this agent');
    return ctx.sync();
  };
  const guard = (): PasswordGuard => {
    if (!ctx.passwordGuard) throw new AdminOpError(503, 'password lockouts are not available in this agent');
    return ctx.passwordGuard();
  };
  return {
    'agent.info': async () => ({
      version: VERSION,
      startedAt: ctx.startedAt.toISOString(),
      dataDir: ctx.dataDir,
      api: { url: ctx.apiUrl, tlsFingerprint: ctx.tlsFingerprint ?? null },
      adminUrl: ctx.adminUrl?.() ?? '',
      billing: { kind: ctx.billing().kind },
    }),
    'billing.check': async () => ctx.billing().check(),
    'security.status': async () => guard().status(),
    'security.unlock': async ({ login }) => ({ unlocked: guard().unlock(login), status: guard().status() }),
    'billing.test': async ({ billing }) => {
      if (!ctx.testBilling) throw new AdminOpError(503, 'billing tests are not available in this agent');
      return ctx.testBilling(billing);
    },
    ...createSyncHandlers(sync),
    ...createConfigHandlers(() => {
      if (!ctx.config) throw new AdminOpError(503, 'settings are not available in this agent');
      return ctx.config();
    }),
    ...createDemoHandlers({ billing: ctx.billing, changed: () => ctx.sync?.().scanSoon() }),
    ...createExplainHandlers(() => {
      if (!ctx.explain) throw new AdminOpError(503, 'subscriber lookup and the self-test are not available in this agent');
      return ctx.explain();
    }),
  };
}
