// Keeps the lookup index and the sync report in step with the scans (ScanObserver of
// sync/scanner.ts). While the billing is read, the index rows of changed subscribers are staged
// (state/lookup.ts) and problems are tallied; the scan's commit transaction applies them together
// with the fingerprints, so a failed scan changes neither.
//
// A rebuild (the first scan, a new key, an index never completed) stages every subscriber and is
// copied in pieces before that commit; the index is marked stale meanwhile (it was useless
// anyway). A change too large to apply inside the commit (every phone reformatted, say) marks the
// index stale, and the next scan rebuilds it.
import type { BillingSource, SubscriberSnapshot } from '../billing/source.js';
import type { IndexMarker, State } from '../state/index.js';
import type { ScanObserver } from '../sync/scanner.js';
import { eachEntry, type Keyer } from './lookup-index.js';
import { PROBLEM_KINDS, ProblemTally, problemsOf } from './problems.js';

/** More changed rows than this are not applied in the commit: the next scan rebuilds instead. */
export const INLINE_ROWS = 20_000;
/** Ids kept per problem kind and scan. */
export const PROBLEM_IDS_KEPT = 100;

export interface ScanObserverOptions {
  state: Pick<State, 'meta' | 'lookup' | 'scanSummaries'>;
  keyer: Keyer;
  billing: () => BillingSource;
  /** Test hook: a smaller INLINE_ROWS. */
  inlineRows?: number;
}

export function createScanObserver(o: ScanObserverOptions): ScanObserver {
  const { keyer } = o;
  const { meta } = o.state;
  const inlineRows = o.inlineRows ?? INLINE_ROWS;
  const stage = o.state.lookup.stage();

  // Per scan.
  let rebuild = false;
  let rebuilt = false;
  /** Too many changes to apply in the commit: mark the index stale instead. */
  let overflow = false;
  let stagedRows = 0;
  let subscribers = 0;
  let contracts = 0;
  let tariffIds: Set<string> | null = null;
  let catalogue: { tariffs: number | null; services: number | null } = { tariffs: null, services: null };
  let tally = new ProblemTally(PROBLEM_IDS_KEPT);

  const reset = () => {
    stagedRows = 0;
    rebuilt = false;
    overflow = false;
    stage.reset();
  };

  return {
    async begin({ fresh }) {
      reset();
      const marker = meta.lookupIndex.get();
      // A new baseline, a new key or an index never completed: index every subscriber.
      rebuild = fresh || marker === null || marker.keyId !== keyer.id;
      subscribers = 0;
      contracts = 0;
      tally = new ProblemTally(PROBLEM_IDS_KEPT);
      // The catalogues are counted and used to spot unknown tariffs; the report must not fail
      // the scan, so an unreadable catalogue is just "not known".
      try {
        const billing = o.billing();
        const [tariffs, services] = await Promise.all([billing.listTariffs(), billing.listServices()]);
        tariffIds = new Set(tariffs.map((t) => t.id));
        catalogue = { tariffs: tariffs.length, services: services.length };
      } catch {
        tariffIds = null;
        catalogue = { tariffs: null, services: null };
      }
    },

    subscriber(snap: SubscriberSnapshot, changed: boolean) {
      subscribers++;
      contracts += snap.contracts.length;
      for (const p of problemsOf(snap, tariffIds)) tally.add(p);
      if (overflow || (!rebuild && !changed)) return;
      const userId = snap.user.ext_user_id;
      if (!rebuild) stage.user(userId);
      eachEntry(snap, keyer, (kind, key, extId) => {
        stage.row(kind, key, userId, extId);
        stagedRows++;
      });
      if (!rebuild && stagedRows > inlineRows) {
        // Nothing staged is applied now: forget it, and keep the flag.
        stage.reset();
        overflow = true;
      }
    },

    removedUser(userId: string) {
      // A rebuild starts from empty; otherwise the user's rows go with no new ones.
      if (rebuild || overflow) return;
      stage.user(userId);
    },

    async beforeCommit() {
      stage.flush();
      if (!rebuild) return;
      await stage.rebuild();
      rebuilt = true;
    },

    commit(now: number) {
      if (overflow) {
        meta.lookupIndex.delete();
      } else {
        if (!rebuilt) stage.applyStaged();
        meta.lookupIndex.set({ keyId: keyer.id, at: now } satisfies IndexMarker);
      }
      for (const ids of stage.duplicateLogins()) {
        for (const userId of ids) tally.add({ kind: PROBLEM_KINDS.duplicateLogin, userId });
      }
      o.state.scanSummaries.add({ at: now, subscribers, contracts, tariffs: catalogue.tariffs, services: catalogue.services, problems: tally.toJson() });
      reset();
    },

    abort() {
      reset();
    },
  };
}
