// The delivery history: the last few hundred attempts to send a callback, for people looking at
// what happened. The outbox writes it in the same transaction as the attempt's result.
import type { CallbackKind } from '../sync/targets.js';
import type { Db } from './open.js';

export interface DeliveryRecord {
  id: number;
  at: number;
  outbox_id: number;
  kind: CallbackKind;
  body: string;
  attempt: number;
  ok: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

/** Delivery attempts kept for people to look at. */
export const HISTORY_KEPT = 200;

export function createDeliveries(db: Db) {
  const insert = db.prepare<[number, number, string, string, number, number, number | null, string | null, number]>(
    'INSERT INTO deliveries (at, outbox_id, kind, body, attempt, ok, status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const trim = db.prepare<[number]>('DELETE FROM deliveries WHERE id <= (SELECT max(id) FROM deliveries) - ?');
  const recent = db.prepare<[number], DeliveryRecord>('SELECT * FROM deliveries ORDER BY id DESC LIMIT ?');
  // Bodies are passed as one JSON array: a statement per subscriber, whatever their contract count.
  const lastOk = db.prepare<[string], { kind: string; body: string; at: number }>(
    'SELECT kind, body, max(at) AS at FROM deliveries WHERE ok = 1 AND body IN (SELECT value FROM json_each(?)) GROUP BY kind, body',
  );
  const lastAttempt = db.prepare<[string], Omit<DeliveryRecord, 'id' | 'outbox_id' | 'duration_ms'>>(
    'SELECT at, kind, body, attempt, ok, status, error FROM deliveries WHERE body IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 1',
  );
  return {
    /** Inside the outbox's settle transaction. */
    record(r: { at: number; outboxId: number; kind: string; body: string; attempt: number; ok: boolean; status: number | null; error: string | null; ms: number }): void {
      insert.run(r.at, r.outboxId, r.kind, r.body, r.attempt, r.ok ? 1 : 0, r.status, r.error, Math.round(r.ms));
    },
    /** Inside the outbox's settle transaction. */
    trim: (): void => void trim.run(HISTORY_KEPT),
    recent: (limit: number): DeliveryRecord[] => recent.all(Math.min(limit, HISTORY_KEPT)),
    /** When each of these callbacks (kind + body) was last accepted by core. */
    lastAcceptedAt(bodies: string[]): Map<string, number> {
      return new Map(lastOk.all(JSON.stringify(bodies)).map((r) => [`${r.kind} ${r.body}`, r.at]));
    },
    /** The newest attempt of any of these callbacks. */
    lastAttempt: (bodies: string[]) => lastAttempt.get(JSON.stringify(bodies)),
  };
}

export type Deliveries = ReturnType<typeof createDeliveries>;
