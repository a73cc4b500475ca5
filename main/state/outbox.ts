// The durable outbox: a callback is a row before it is sent and is removed only after core
// answered 2xx. At most one pending row per target (path + body): a new change for a target that
// is already waiting is folded into it.
import type { Callback, CallbackKind } from '../sync/targets.js';
import type { Deliveries } from './deliveries.js';
import type { Db } from './open.js';
import type { Writer } from './write.js';

export type Origin = 'scan' | 'manual' | 'resend-all' | 're-send';

export interface OutboxRow {
  id: number;
  kind: CallbackKind;
  path: string;
  body: string;
  origin: Origin;
  state: 'pending' | 'dead';
  created_at: number;
  next_at: number;
  attempts: number;
  gen: number;
  last_status: number | null;
  last_error: string | null;
  dead_at: number | null;
  dead_reason: string | null;
}

/** The result of one delivery attempt, written back in a batch. */
export type Settlement =
  | { type: 'delivered'; row: OutboxRow; at: number; status: number; ms: number }
  | { type: 'retry'; row: OutboxRow; at: number; status: number | null; error: string; ms: number; nextAt: number }
  | { type: 'dead'; row: OutboxRow; at: number; status: number | null; error: string; ms: number; reason: string };

export interface Counters {
  kind: CallbackKind;
  sent: number;
  failed: number;
  dead: number;
}

export function createOutbox(db: Db, write: Writer, deliveries: Deliveries) {
  const enqueue = db.prepare<{ kind: string; path: string; body: string; origin: string; now: number; urgent: number }, { id: number }>(
    `INSERT INTO outbox (kind, path, body, origin, created_at, next_at) VALUES (@kind, @path, @body, @origin, @now, @now)
     ON CONFLICT (path, body) WHERE state = 'pending' DO UPDATE SET
       gen = gen + 1,
       -- a person asking for it now should not wait out the backoff; a scan keeps the schedule
       next_at = CASE WHEN @urgent = 1 THEN min(next_at, @now) ELSE next_at END
     RETURNING id`,
  );
  const due = db.prepare<[number, number], OutboxRow>(
    "SELECT * FROM outbox WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?",
  );
  const upcoming = db.prepare<[number], { next_at: number; id: number }>(
    "SELECT next_at, id FROM outbox WHERE state = 'pending' ORDER BY next_at, id LIMIT ?",
  );
  const earliest = db.prepare<[], OutboxRow>("SELECT * FROM outbox WHERE state = 'pending' ORDER BY next_at, id LIMIT 1");
  const release = db.prepare<[number, number]>("UPDATE outbox SET next_at = ? WHERE state = 'pending' AND next_at > ?");
  const byId = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
  const removeIfSame = db.prepare<[number, number]>('DELETE FROM outbox WHERE id = ? AND gen = ?');
  // Changed while it was in flight: send again soon, as a fresh item.
  const again = db.prepare<[number, number]>('UPDATE outbox SET attempts = 0, next_at = ?, last_status = NULL, last_error = NULL WHERE id = ?');
  const retry = db.prepare<[number, number | null, string, number]>(
    'UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_status = ?, last_error = ? WHERE id = ?',
  );
  const bury = db.prepare<[number | null, string, number, string, number]>(
    "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_status = ?, last_error = ?, dead_at = ?, dead_reason = ? WHERE id = ? AND state = 'pending'",
  );
  const buryExpired = db.prepare<[number, string, number], { kind: string }>(
    "UPDATE outbox SET state = 'dead', dead_at = ?, dead_reason = ? WHERE state = 'pending' AND created_at <= ? RETURNING kind",
  );
  const count = db.prepare<[string, number, number, number]>(
    `INSERT INTO counters (kind, sent, failed, dead) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET sent = sent + excluded.sent, failed = failed + excluded.failed, dead = dead + excluded.dead`,
  );
  const stats = db.prepare<[number], { pending: number; due: number; oldest: number | null; dead: number }>(
    `SELECT
       (SELECT count(*) FROM outbox WHERE state = 'pending') AS pending,
       (SELECT count(*) FROM outbox WHERE state = 'pending' AND next_at <= ?) AS due,
       (SELECT min(created_at) FROM outbox WHERE state = 'pending') AS oldest,
       (SELECT count(*) FROM outbox WHERE state = 'dead') AS dead`,
  );
  const deadList = db.prepare<[number, number], OutboxRow>("SELECT * FROM outbox WHERE state = 'dead' ORDER BY dead_at DESC, id DESC LIMIT ? OFFSET ?");
  const deadIds = db.prepare<[], { id: number }>("SELECT id FROM outbox WHERE state = 'dead'");
  const revive = db.prepare<[number, number, number]>(
    `UPDATE OR IGNORE outbox SET state = 'pending', origin = 're-send', attempts = 0, gen = 0, created_at = ?, next_at = ?,
       last_status = NULL, last_error = NULL, dead_at = NULL, dead_reason = NULL
     WHERE id = ? AND state = 'dead'`,
  );
  const dropDead = db.prepare<[number]>("DELETE FROM outbox WHERE id = ? AND state = 'dead'");
  const about = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE body IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 20');
  const counters = db.prepare<[], Counters>('SELECT kind, sent, failed, dead FROM counters ORDER BY kind');

  return {
    /** Adds a callback, or folds it into the pending one for the same target; returns the row id. */
    enqueue(callback: Callback, origin: Origin, now: number): number {
      return write.run(() => enqueue.get({ ...callback, origin, now, urgent: origin === 'manual' ? 1 : 0 })!.id);
    },
    /** Many callbacks in one transaction (a restored queue, a benchmark's backlog). */
    enqueueMany(callbacks: Iterable<Callback>, origin: Origin, now: number): number {
      return write.tx(() => {
        let n = 0;
        for (const cb of callbacks) {
          enqueue.get({ ...cb, origin, now, urgent: 0 });
          n++;
        }
        return n;
      });
    },
    get: (id: number): OutboxRow | undefined => byId.get(id),
    /** The pending row that is due first, due or not. */
    earliest: (): OutboxRow | undefined => earliest.get(),
    /** Core works again: everything waiting out a backoff is due now. */
    release: (now: number): number => write.run(() => release.run(now, now).changes),
    due: (now: number, limit: number): OutboxRow[] => due.all(now, limit),
    /** The earliest next_at among pending rows not in `busy`, or null when nothing waits. */
    nextDueAt(busy: ReadonlySet<number>): number | null {
      const rows = upcoming.all(busy.size + 1);
      return rows.find((r) => !busy.has(r.id))?.next_at ?? null;
    },
    /** Writes a batch of attempt results, their history and counters in one transaction. */
    settle(results: Settlement[], expired?: { before: number; reason: string; at: number }, within?: () => void): void {
      write.tx(() => {
        const tally = new Map<string, { sent: number; failed: number; dead: number }>();
        const bump = (kind: string, key: 'sent' | 'failed' | 'dead') => {
          const t = tally.get(kind) ?? { sent: 0, failed: 0, dead: 0 };
          t[key]++;
          tally.set(kind, t);
        };
        for (const r of results) {
          const { row } = r;
          const attempt = { at: r.at, outboxId: row.id, kind: row.kind, body: row.body, attempt: row.attempts + 1, status: r.status, ms: r.ms };
          if (r.type === 'delivered') {
            if (removeIfSame.run(row.id, row.gen).changes === 0) again.run(r.at, row.id);
            deliveries.record({ ...attempt, ok: true, error: null });
            bump(row.kind, 'sent');
          } else if (r.type === 'retry') {
            retry.run(r.nextAt, r.status, r.error, row.id);
            deliveries.record({ ...attempt, ok: false, error: r.error });
            bump(row.kind, 'failed');
          } else {
            if (bury.run(r.status, r.error, r.at, r.reason, row.id).changes > 0) bump(row.kind, 'dead');
            deliveries.record({ ...attempt, ok: false, error: r.error });
            bump(row.kind, 'failed');
          }
        }
        if (expired) {
          for (const row of buryExpired.all(expired.at, expired.reason, expired.before)) bump(row.kind, 'dead');
        }
        for (const [kind, t] of tally) count.run(kind, t.sent, t.failed, t.dead);
        if (results.length > 0) deliveries.trim();
        within?.();
      }, 'deferred');
    },
    stats: (now: number) => stats.get(now)!,
    deadLetters: (limit: number, offset = 0): OutboxRow[] => deadList.all(limit, offset),
    /** Dead letters back to pending, due now. One whose target is already pending is folded into it. */
    resend: (ids: number[] | 'all', now: number): number => write.tx(() => {
      const list = ids === 'all' ? deadIds.all().map((r) => r.id) : ids;
      let n = 0;
      for (const id of list) {
        if (revive.run(now, now, id).changes > 0) n++;
        else if (dropDead.run(id).changes > 0) n++;
      }
      return n;
    }, 'deferred'),
    /** Pending and dead rows of these callback bodies, newest first (at most 20). */
    about: (bodies: string[]): OutboxRow[] => about.all(JSON.stringify(bodies)),
    counters: (): Counters[] => counters.all(),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
