// Change detection by reconciliation: read every subscriber as core would see them, compare the
// fingerprints with what core was last told, and queue the callbacks that tell it the difference.
// Nothing is written to the fingerprints or the outbox until the whole billing was read; then both
// change in one transaction (state/scan-stage.ts), so a scan either happened completely or not at all
// (outage, crash, kill -9).
import type { BillingSource, SubscriberSnapshot } from '../billing/source.js';
import type { Clock } from './clock.js';
import { WATCHED_CHARGES, type Fingerprinter } from './fingerprint.js';
import type { Baseline, Fingerprints, Meta, ScanStage } from '../state/index.js';
import { chargeCallback, contractCallback, userContractsCallback } from './targets.js';

const YIELD_EVERY = 250;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type ScanMode = 'scan' | 'resend-all';

export interface ScanChanges {
  /** Users whose own record or set of contracts changed (one "all contracts of user" callback each). */
  users: number;
  /** Single contracts whose data changed. */
  contracts: number;
  /** Users whose newest charges changed. */
  charges: number;
  added: number;
  removed: number;
}

export interface ScanReport {
  /** baseline: the first scan, which only records what core is assumed to know. */
  kind: 'baseline' | 'scan' | 'resend-all';
  ok: boolean;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  subscribers: number;
  changes: ScanChanges;
  /** Callbacks written to the outbox (before folding into ones already waiting). */
  callbacks: number;
  error: string | null;
}

/**
 * Something kept in step with the scans (the lookup index, the sync report): it sees every
 * subscriber read and writes inside the scan's commit transaction, so a failed scan changes
 * nothing of it either.
 */
export interface ScanObserver {
  /** Before the billing is read. `fresh`: a new baseline, nothing is compared with before. */
  begin(scan: { fresh: boolean }): Promise<void>;
  /** `changed`: the user record or contracts differ from the last scan (always true when fresh). */
  subscriber(snap: SubscriberSnapshot, changed: boolean): void;
  removedUser(userId: string): void;
  /** After the whole billing was read, before the commit; may write in pieces while marked stale. */
  beforeCommit(): Promise<void>;
  /** Inside the commit transaction. */
  commit(now: number): void;
  /** The scan failed or stopped: forget what was gathered. */
  abort(): void;
}

export interface ScanDeps {
  billing: BillingSource;
  observer?: ScanObserver;
  fingerprints: Fingerprints;
  fingerprinter: Fingerprinter;
  stage: ScanStage;
  meta: Meta;
  clock: Clock;
}

export function totalChanges(c: ScanChanges): number {
  return c.users + c.contracts + c.charges + c.added + c.removed;
}

export interface ScanProgress {
  subscribers: number;
}

export class ScanAbortedError extends Error {
  override name = 'ScanAbortedError';
}

/** Reads the whole billing; throws (having changed nothing) when the billing fails part way. */
export async function scanBilling(
  deps: ScanDeps,
  mode: ScanMode,
  options: { signal?: AbortSignal; progress?: ScanProgress } = {},
): Promise<ScanReport> {
  const { fingerprints: store, fingerprinter, stage } = deps;
  const startedAt = deps.clock.now();
  const started = performance.now();
  const baseline = deps.meta.baseline.get();
  // No baseline yet, or a different billing behind the agent: its ids mean nothing to the old
  // fingerprints, so start over instead of reporting every subscriber as removed and added.
  const fresh = baseline === null || baseline.billing !== deps.billing.kind;
  const counts: ScanChanges = { users: 0, contracts: 0, charges: 0, added: 0, removed: 0 };
  const seen = new Set<string>();
  let matched = 0;
  const notify = mode === 'scan';
  stage.reset();

  try {
    await deps.observer?.begin({ fresh });
    for await (const snap of deps.billing.snapshot({ charges: WATCHED_CHARGES })) {
      if (options.signal?.aborted) throw new ScanAbortedError('the scan was stopped');
      const f = fingerprinter.subscriber(snap);
      if (seen.has(f.userId)) continue;
      seen.add(f.userId);
      if (options.progress) options.progress.subscribers = seen.size;
      // Our own work per subscriber is comparable to the billing's: yield more often than it does.
      if (seen.size % YIELD_EVERY === 0) await yieldToLoop();
      if (mode === 'resend-all') {
        stage.callback(userContractsCallback(f.userId));
        stage.callback(chargeCallback(f.userId));
      }
      const old = fresh ? undefined : store.getUser(f.userId);
      deps.observer?.subscriber(snap, !old || old.user_hash !== f.userHash || old.contracts_hash !== f.contractsHash);
      if (!old) {
        stage.user(f);
        for (const [extId, hash] of f.contracts) stage.contract(extId, f.userId, hash);
        if (!fresh) {
          counts.added++;
          if (notify) {
            stage.callback(userContractsCallback(f.userId));
            stage.callback(chargeCallback(f.userId));
          }
        }
        continue;
      }
      matched++;
      const userChanged = old.user_hash !== f.userHash;
      const contractsChanged = old.contracts_hash !== f.contractsHash;
      const chargesChanged = old.charges_hash !== f.chargesHash;
      if (!userChanged && !contractsChanged && !chargesChanged) continue;
      stage.user(f);
      let setChanged = false;
      const changedContracts: string[] = [];
      if (contractsChanged) {
        const before = store.contractsOf(f.userId);
        for (const [extId, hash] of f.contracts) {
          const was = before.get(extId);
          if (was === undefined) setChanged = true;
          else if (was !== hash) changedContracts.push(extId);
          if (was !== hash) stage.contract(extId, f.userId, hash);
        }
        for (const extId of before.keys()) {
          if (!f.contracts.has(extId)) {
            setChanged = true;
            stage.removedContract(extId, f.userId);
          }
        }
      }
      if (userChanged || setChanged) {
        // Core re-reads all of the user's contracts, which covers any single one that changed.
        counts.users++;
        if (notify) stage.callback(userContractsCallback(f.userId));
      } else {
        counts.contracts += changedContracts.length;
        if (notify) for (const extId of changedContracts) stage.callback(contractCallback(extId));
      }
      if (chargesChanged) {
        counts.charges++;
        if (notify) stage.callback(chargeCallback(f.userId));
      }
    }

    // Users core was told about that the billing no longer has: core re-reads and finds them gone.
    if (!fresh && matched < store.countUsers()) {
      for (const userId of store.userIds()) {
        if (seen.has(userId)) continue;
        stage.removedUser(userId);
        deps.observer?.removedUser(userId);
        counts.removed++;
        stage.callback(userContractsCallback(userId));
      }
    }

    const callbacks = stage.counts.callbacks;
    const origin = mode === 'resend-all' ? 'resend-all' : 'scan';
    await deps.observer?.beforeCommit();
    const now = deps.clock.now();
    if (fresh) {
      await stage.commitBaseline(origin, now, () => {
        deps.meta.baseline.set({ at: now, billing: deps.billing.kind } satisfies Baseline);
        deps.observer?.commit(now);
      });
    } else {
      stage.commit(origin, now, () => deps.observer?.commit(now));
    }
    return {
      kind: mode === 'resend-all' ? 'resend-all' : fresh ? 'baseline' : 'scan',
      ok: true,
      startedAt,
      finishedAt: deps.clock.now(),
      durationMs: Math.round(performance.now() - started),
      subscribers: seen.size,
      changes: fresh ? { users: 0, contracts: 0, charges: 0, added: 0, removed: 0 } : counts,
      callbacks,
      error: null,
    };
  } catch (err) {
    stage.reset();
    deps.observer?.abort();
    throw err;
  }
}
