// A scan's planned changes, written as it goes into TEMP tables (per connection, never fsynced,
// gone after a crash), then applied to the fingerprints and the outbox by set-based SQL in ONE
// short transaction. The per-row JavaScript work is spread over the scan, between the billing's
// yields, instead of blocking the event loop at the end; memory stays flat however many change.
import type { Callback } from '../sync/targets.js';
import type { Db } from './open.js';
import type { Origin } from './outbox.js';
import type { Writer } from './write.js';

const CHUNK = 2_000;
/** Rows per transaction when a new baseline is copied in pieces. */
const BASELINE_CHUNK = 10_000;

export interface StageCounts {
  users: number;
  contracts: number;
  callbacks: number;
}

export function createScanStage(db: Db, write: Writer) {
  const tx = write.tx;
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS scan_user (user_id TEXT, user_hash TEXT, contracts_hash TEXT, charges_hash TEXT);
    CREATE TEMP TABLE IF NOT EXISTS scan_contract (ext_id TEXT, user_id TEXT, hash TEXT);
    CREATE TEMP TABLE IF NOT EXISTS scan_removed_user (user_id TEXT);
    CREATE TEMP TABLE IF NOT EXISTS scan_removed_contract (ext_id TEXT, user_id TEXT);
    CREATE TEMP TABLE IF NOT EXISTS scan_callback (kind TEXT, path TEXT, body TEXT);
  `);
  // Staged rows are written once and read once: a small cache is enough (the default is 16 MB).
  db.pragma('temp.cache_size = -2000');
  const put = {
    user: db.prepare<[string, string, string, string]>('INSERT INTO temp.scan_user VALUES (?, ?, ?, ?)'),
    contract: db.prepare<[string, string, string]>('INSERT INTO temp.scan_contract VALUES (?, ?, ?)'),
    removedUser: db.prepare<[string]>('INSERT INTO temp.scan_removed_user VALUES (?)'),
    removedContract: db.prepare<[string, string]>('INSERT INTO temp.scan_removed_contract VALUES (?, ?)'),
    callback: db.prepare<[string, string, string]>('INSERT INTO temp.scan_callback VALUES (?, ?, ?)'),
  };
  const upsertUsers = (range: string) => `
    INSERT INTO fp_user (user_id, user_hash, contracts_hash, charges_hash)
    SELECT user_id, user_hash, contracts_hash, charges_hash FROM temp.scan_user WHERE ${range}
    ON CONFLICT (user_id) DO UPDATE SET user_hash = excluded.user_hash, contracts_hash = excluded.contracts_hash, charges_hash = excluded.charges_hash`;
  const upsertContracts = (range: string) => `
    INSERT INTO fp_contract (ext_id, user_id, hash)
    SELECT ext_id, user_id, hash FROM temp.scan_contract WHERE ${range}
    ON CONFLICT (ext_id) DO UPDATE SET user_id = excluded.user_id, hash = excluded.hash`;
  const apply = {
    removedUsers: db.prepare('DELETE FROM fp_user WHERE user_id IN (SELECT user_id FROM temp.scan_removed_user)'),
    removedUsersContracts: db.prepare('DELETE FROM fp_contract WHERE user_id IN (SELECT user_id FROM temp.scan_removed_user)'),
    removedContracts: db.prepare('DELETE FROM fp_contract WHERE (ext_id, user_id) IN (SELECT ext_id, user_id FROM temp.scan_removed_contract)'),
    users: db.prepare(upsertUsers('true')),
    contracts: db.prepare(upsertContracts('true')),
    usersRange: db.prepare<[number, number]>(upsertUsers('rowid > ? AND rowid <= ?')),
    contractsRange: db.prepare<[number, number]>(upsertContracts('rowid > ? AND rowid <= ?')),
    callbacks: db.prepare<{ origin: string; now: number }>(`
      INSERT INTO outbox (kind, path, body, origin, created_at, next_at)
      SELECT kind, path, body, @origin, @now, @now FROM temp.scan_callback WHERE true ORDER BY rowid
      ON CONFLICT (path, body) WHERE state = 'pending' DO UPDATE SET gen = gen + 1`),
    maxUser: db.prepare<[], { n: number | null }>('SELECT max(rowid) AS n FROM temp.scan_user'),
    maxContract: db.prepare<[], { n: number | null }>('SELECT max(rowid) AS n FROM temp.scan_contract'),
  };

  type Row = [keyof typeof put, string[]];
  let buffer: Row[] = [];
  const counts: StageCounts = { users: 0, contracts: 0, callbacks: 0 };
  const flush = () => {
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    tx(() => {
      for (const [table, values] of rows) (put[table].run as (...v: string[]) => unknown)(...values);
    }, 'deferred');
  };
  const add = (row: Row) => {
    buffer.push(row);
    if (buffer.length >= CHUNK) flush();
  };
  const reset = () => {
    buffer = [];
    counts.users = 0;
    counts.contracts = 0;
    counts.callbacks = 0;
    write.run(() => db.exec('DELETE FROM temp.scan_user; DELETE FROM temp.scan_contract; DELETE FROM temp.scan_removed_user; DELETE FROM temp.scan_removed_contract; DELETE FROM temp.scan_callback;'));
  };
  const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    counts,
    reset,
    user(u: { userId: string; userHash: string; contractsHash: string; chargesHash: string }): void {
      counts.users++;
      add(['user', [u.userId, u.userHash, u.contractsHash, u.chargesHash]]);
    },
    contract(extId: string, userId: string, hash: string): void {
      counts.contracts++;
      add(['contract', [extId, userId, hash]]);
    },
    removedUser(userId: string): void {
      add(['removedUser', [userId]]);
    },
    removedContract(extId: string, userId: string): void {
      add(['removedContract', [extId, userId]]);
    },
    callback(cb: Callback): void {
      counts.callbacks++;
      add(['callback', [cb.kind, cb.path, cb.body]]);
    },
    /** Applies everything in one transaction, with `also` (meta updates) inside it. */
    commit(origin: Origin, now: number, also: () => void): void {
      flush();
      tx(() => {
        apply.removedUsers.run();
        apply.removedUsersContracts.run();
        apply.removedContracts.run();
        apply.users.run();
        apply.contracts.run();
        apply.callbacks.run({ origin, now });
        also();
      });
      reset();
    },
    /**
     * A new baseline: forget the old fingerprints and copy the new ones in pieces, yielding in
     * between. Only the last transaction sets the baseline marker (`also`) and queues callbacks,
     * so after a crash part way the next scan is a baseline again and nothing was sent.
     */
    async commitBaseline(origin: Origin, now: number, also: () => void): Promise<void> {
      flush();
      tx(() => db.exec('DELETE FROM fp_contract; DELETE FROM fp_user;'));
      const users = apply.maxUser.get()!.n ?? 0;
      const contracts = apply.maxContract.get()!.n ?? 0;
      for (let from = 0; from < Math.max(users, contracts); from += BASELINE_CHUNK) {
        tx(() => {
          apply.usersRange.run(from, from + BASELINE_CHUNK);
          apply.contractsRange.run(from, from + BASELINE_CHUNK);
        });
        await yieldToLoop();
      }
      tx(() => {
        apply.callbacks.run({ origin, now });
        also();
      });
      reset();
    },
  };
}

export type ScanStage = ReturnType<typeof createScanStage>;
