// Whether core was told about this subscriber's latest data: the live data's fingerprints against
// what the last scan recorded, and the outbox and delivery history of the callbacks about them.
// Ids only: the tables hold nothing else.
import type { SubscriberExplanation } from '../../shared/admin.js';
import type { Charge, Contract, User } from '../../shared/data-provider.js';
import type { OutboxRow, State } from '../state/index.js';
import { iso } from '../sync/clock.js';
import { WATCHED_CHARGES, createFingerprinter } from '../sync/fingerprint.js';
import { chargeCallback, contractCallback, describeCallback, userContractsCallback } from '../sync/targets.js';

type Delivery = SubscriberExplanation['delivery'];

export function createDeliveryLookup(state: Pick<State, 'meta' | 'fingerprints' | 'outbox' | 'deliveries'>) {
  const { meta, fingerprints: store } = state;
  return {
    of(user: User, contracts: Contract[], charges: Charge[]): Delivery {
      const userId = user.ext_user_id;
      // The callback bodies about this subscriber; the user-wide one is the same text for both kinds.
      const bodies = [
        userContractsCallback(userId).body,
        chargeCallback(userId).body,
        ...contracts.map((c) => contractCallback(c.ext_id).body),
      ];
      const rows = state.outbox.about(bodies);
      // A dead letter that a later callback for the same target made good no longer matters.
      const okAt = state.deliveries.lastAcceptedAt(bodies);
      const stillDead = (r: OutboxRow) => r.state === 'dead' && (okAt.get(`${r.kind} ${r.body}`) ?? -Infinity) < (r.dead_at ?? r.created_at);
      const attempt = state.deliveries.lastAttempt(bodies);
      const lastOkAt = meta.lastScanOkAt.get();
      return {
        ...compare(user, contracts, charges),
        lastScanAt: iso(lastOkAt),
        lastAttempt: attempt ? {
          at: iso(attempt.at)!, target: describeCallback(attempt.kind, attempt.body), attempt: attempt.attempt,
          ok: attempt.ok === 1, httpStatus: attempt.status, error: attempt.error,
        } : null,
        waiting: rows.filter((r) => r.state === 'pending').map((r) => ({
          outboxId: r.id, target: describeCallback(r.kind, r.body), since: iso(r.created_at)!, attempts: r.attempts, lastError: r.last_error, nextAt: iso(r.next_at)!,
        })),
        deadLetters: rows.filter(stillDead).map((r) => ({
          outboxId: r.id, target: describeCallback(r.kind, r.body), deadAt: iso(r.dead_at ?? r.created_at)!, reason: r.dead_reason ?? r.last_error ?? 'not accepted',
        })),
      };
    },
  };

  /** The live data against the last scan's fingerprints (what core was last told). */
  function compare(user: User, contracts: Contract[], charges: Charge[]): Pick<Delivery, 'sinceLastScan' | 'changed'> {
    const salt = meta.hashSalt.get();
    if (salt === null || meta.baseline.get() === null) return { sinceLastScan: 'not-scanned', changed: [] };
    const stored = store.getUser(user.ext_user_id);
    if (!stored) return { sinceLastScan: 'new', changed: [] };
    const now = createFingerprinter(salt).subscriber({ user, contracts, charges: charges.slice(0, WATCHED_CHARGES) });
    const changed: string[] = [];
    if (now.userHash !== stored.user_hash) changed.push('user record');
    if (now.contractsHash !== stored.contracts_hash) {
      const before = store.contractsOf(user.ext_user_id);
      for (const [extId, hash] of now.contracts) if (before.get(extId) !== hash) changed.push(`contract ${extId}`);
      for (const extId of before.keys()) if (!now.contracts.has(extId)) changed.push(`contract ${extId} (removed)`);
    }
    if (now.chargesHash !== stored.charges_hash) changed.push('charges');
    return { sinceLastScan: changed.length > 0 ? 'changed' : 'same', changed };
  }
}

export type DeliveryLookup = ReturnType<typeof createDeliveryLookup>;
