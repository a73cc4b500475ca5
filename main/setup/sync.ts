// Change detection and callbacks (sync), and the subscriber lookup kept in step with its scans
// (explain). Sync follows the settings (sync.*, core.*) and keeps sync.enabled in the file.
import type { CallCounts } from '../billing/calls.js';
import type { BillingSource } from '../billing/source.js';
import { createExplainService, type ExplainService } from '../explain/explain.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';
import type { SecretStore } from '../secrets/store.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { State } from '../state/index.js';
import { createSyncService, type SyncService } from '../sync/service.js';
import type { Lifecycle } from './lifecycle.js';

export function setupExplain(d: { state: State; dataDir: string; store: SettingsStore; billing: BillingSource }): ExplainService {
  return createExplainService({ state: d.state, dataDir: d.dataDir, settings: () => d.store.current(), billing: () => d.billing });
}

export interface SyncDeps {
  state: State;
  store: SettingsStore;
  billing: BillingSource;
  /** The billing's load by purpose, for status. */
  billingCalls: () => CallCounts;
  secrets: SecretStore;
  explain: ExplainService;
  metrics: Metrics;
  log: Logger;
}

/** Created here, started by start() once the agent is up: the API answers long before the first scan. */
export function setupSync(d: SyncDeps, life: Lifecycle): SyncService {
  let sync: SyncService;
  try {
    sync = createSyncService({
      state: d.state,
      billing: () => d.billing,
      billingCalls: d.billingCalls,
      settings: () => d.store.current(),
      saveEnabled: (enabled) => void d.store.update({ sync: { enabled } }),
      problems: () => [d.store.notice()].filter((n) => n !== null),
      secrets: d.secrets,
      log: d.log.child({ component: 'sync' }),
      settingsFile: d.store.file,
      scanObserver: d.explain.observer,
    });
  } catch (err) {
    throw new Error(`sync cannot start: ${(err as Error).message}`, { cause: err });
  }
  d.store.subscribe(() => sync.settingsChanged());
  d.metrics.readSyncStatus(() => sync.status());
  life.add('sync', () => sync.stop());
  return sync;
}
