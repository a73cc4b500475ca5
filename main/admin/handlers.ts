// The admin operations, implemented over a running agent. Each area adds its handlers here.
import type { AdminHandlers } from '../../shared/admin.js';
import type { BillingSource } from '../billing/source.js';
import { VERSION } from '../version.js';

export interface AdminContext {
  dataDir: string;
  startedAt: Date;
  apiUrl: string;
  billing: () => BillingSource;
}

export function createAdminHandlers(ctx: AdminContext): AdminHandlers {
  return {
    'agent.info': async () => ({
      version: VERSION,
      startedAt: ctx.startedAt.toISOString(),
      dataDir: ctx.dataDir,
      api: { url: ctx.apiUrl },
      billing: { kind: ctx.billing().kind },
    }),
    'billing.check': async () => ctx.billing().check(),
  };
}
