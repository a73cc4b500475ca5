// A sync service with the lookup index and sync report attached, on a temporary database, with a
// billing the test controls. No servers: scans are run by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DemoBilling } from '../../main/billing/demo/index.js';
import type { BillingSource } from '../../main/billing/source.js';
import { createState, type State } from '../../main/state/index.js';
import { openDatabase, type Db } from '../../main/state/open.js';
import { createExplainService, type ExplainService } from '../../main/explain/explain.js';
import { silentLogger } from '../../main/logging/logger.js';
import { defaultSettings, type Settings } from '../../shared/settings.js';
import { createSyncService, type SyncService } from '../../main/sync/service.js';

export interface ExplainHarness {
  dir: string;
  /** The raw connection, for looking at the tables. */
  db: Db;
  state: State;
  settings: Settings;
  billing: BillingSource;
  sync: SyncService;
  explain: ExplainService;
  /** Scans the billing and fails the test if the scan fails. */
  scan(): Promise<void>;
  close(): Promise<void>;
}

export async function startExplainHarness(options: {
  billing?: BillingSource;
  settings?: (s: Settings) => void;
  dir?: string;
  inlineRows?: number;
} = {}): Promise<ExplainHarness> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'bb-explain-'));
  const settings = defaultSettings();
  options.settings?.(settings);
  const billing = options.billing ?? new DemoBilling({ now: () => new Date(Date.UTC(2026, 10, 15)) });
  const db = openDatabase(path.join(dir, 'state.db'));
  const state = createState(db);
  const explain = createExplainService({ state, dataDir: dir, settings: () => settings, billing: () => billing, inlineRows: options.inlineRows });
  const sync = createSyncService({
    state, billing: () => billing, settings: () => settings, saveEnabled: () => undefined,
    secrets: { get: async () => null }, log: silentLogger(), scanObserver: explain.observer,
  });
  return {
    dir, db, state, settings, billing, sync, explain,
    async scan() {
      const report = await sync.scanNow();
      if (!report.ok) throw new Error(`the scan failed: ${report.error}`);
    },
    async close() {
      await sync.stop();
      db.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
