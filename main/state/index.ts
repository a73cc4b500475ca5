// The state database and everything kept in it, one small API per table. All SQL of the agent is
// under main/state/ (a lint rule keeps it there); the rest of the agent calls these functions.
import { createDeliveries } from './deliveries.js';
import { createFingerprints } from './fingerprints.js';
import { createLockouts } from './lockouts.js';
import { createLookup } from './lookup.js';
import { createMeta } from './meta.js';
import { openDatabase, type Db, type OpenDatabaseOptions } from './open.js';
import { createOutbox } from './outbox.js';
import { createScanStage } from './scan-stage.js';
import { createScanSummaries } from './scan-summaries.js';
import { createWriter, type WriteHealth } from './write.js';

export function createState(db: Db) {
  const write = createWriter(db);
  const meta = createMeta(db, write);
  const deliveries = createDeliveries(db);
  return {
    meta,
    fingerprints: createFingerprints(db),
    outbox: createOutbox(db, write, deliveries),
    deliveries,
    lookup: createLookup(db, write, meta),
    scanSummaries: createScanSummaries(db),
    lockouts: createLockouts(db, write),
    /** The TEMP tables a scan stages its changes in; one per connection is enough. */
    scanStage: () => createScanStage(db, write),
    /** Whether the database takes writes, as last seen (status). */
    writeHealth: () => write.health(),
    /** Tries a new row now (readiness, the periodic check). */
    probeWrites: () => write.probe(),
    /** Called when writes start failing and when they work again. */
    watchWrites: (listener: (health: WriteHealth) => void) => write.watch(listener),
    close: () => {
      write.close();
      db.close();
    },
  };
}

export type State = ReturnType<typeof createState>;

/** Opens (creating if needed) the state database file and brings its schema up to date. */
export function openState(file: string, options?: OpenDatabaseOptions): State {
  return createState(openDatabase(file, options));
}

export type { Baseline, IndexMarker, Meta } from './meta.js';
export type { Fingerprints, StoredUser } from './fingerprints.js';
export type { Counters, Origin, Outbox, OutboxRow, Settlement } from './outbox.js';
export type { Deliveries, DeliveryRecord } from './deliveries.js';
export type { IndexKind, LookupStage } from './lookup.js';
export type { ScanSummaries, ScanSummary } from './scan-summaries.js';
export type { LockoutRow, Lockouts } from './lockouts.js';
export type { ScanStage } from './scan-stage.js';
export { StateWriteError, type WriteHealth, type WriteTrouble } from './write.js';
