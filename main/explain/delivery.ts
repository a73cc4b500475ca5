// Whether core was told about this subscriber's latest data: the live data's fingerprints against
// what the last scan recorded, and the outbox and delivery history of the callbacks about them.
// Ids only: the tables hold nothing else.
import type { SubscriberExplanation } from '../../shared/admin.js';
import type { Charge, Contract, User } from '../../shared/data-provider.js';
import type { Db } from '../db/open.js';
import { iso } from '../sync/clock.js';
import { WATCHED_CHARGES, createFingerprinter } from '../sync/fingerprint.js';
import { createFingerprintStore } from '../sync/fingerprints.js';
import { createMeta } from '../sync/meta.js';
import { chargeCallback, contractCallback, describeCallback, userContractsCallback } from '../sync/targets.js';

type Delivery = SubscriberExplanation['delivery'];

interface OutboxRow {
  id: number;
  kind: string;
  body: string;
  state: 'pending' | 'dead';
  created_at: number;
  next_at: number;
  attempts: number;
  last_error: string | null;
  dead_at: number | null;
  dead_reason: string | null;
}

interface DeliveryRow {
  at: number;
  kind: string;
  body: string;
  attempt: number;
  ok: number;
  status: number | null;
  error: string | null;
}

export function createDeliveryLookup(db: Db) {
  const meta = createMeta(db);
  const store = createFingerprintStore(db);
  const outbox = db.prepare<[string], OutboxRow>(
    'SELECT id, kind, body, state, created_at, next_at, attempts, last_error, dead_at, dead_reason FROM outbox WHERE body IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 20',
  );
  // A dead letter that a later callback for the same target made good no longer matters.
  const lastOk = db.prepare<[string], { kind: string; body: string; at: number }>(
    'SELECT kind, body, max(at) AS at FROM deliveries WHERE ok = 1 AND body IN (SELECT value FROM json_each(?)) GROUP BY kind, body',
  );
  const lastAttempt = db.prepare<[string], DeliveryRow>(
    'SELECT at, kind, body, attempt, ok, status, error FROM deliveries WHERE body IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 1',
  );

  return {
    of(user: User, contracts: Contract[], charges: Charge[]): Delivery {
      const userId = user.ext_user_id;
      // The callback bodies about this subscriber; the user-wide one is the same text for both kinds.
      const bodies = JSON.stringify([
        userContractsCallback(userId).body,
        chargeCallback(userId).body,
        ...contracts.map((c) => contractCallback(c.ext_id).body),
      ]);
      const rows = outbox.all(bodies);
      const okAt = new Map(lastOk.all(bodies).map((r) => [`${r.kind} ${r.body}`, r.at]));
      const stillDead = (r: OutboxRow) => r.state === 'dead' && (okAt.get(`${r.kind} ${r.body}`) ?? -Infinity) < (r.dead_at ?? r.created_at);
      const attempt = lastAttempt.get(bodies);
      const lastOkAt = meta.get<number>('last_scan_ok_at');
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
    const salt = meta.get<string>('hash_salt');
    if (salt === null || meta.get('baseline') === null) return { sinceLastScan: 'not-scanned', changed: [] };
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
