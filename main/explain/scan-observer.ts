// Keeps the lookup index and the sync report in step with the scans (ScanObserver of
// sync/scanner.ts). While the billing is read, the index rows of changed subscribers go to TEMP
// tables (per connection, never fsynced) and problems are tallied; the scan's commit transaction
// applies them together with the fingerprints, so a failed scan changes neither.
//
// A rebuild (the first scan, a new key, an index never completed) stages every subscriber and is
// copied in pieces before that commit, each piece in key order: the hashes are random, and random
// inserts into a table larger than the page cache rewrite most of it on every piece. The index is
// marked stale meanwhile (it was useless anyway). A change too large to apply inside the commit
// (every phone reformatted, say) marks the index stale, and the next scan rebuilds it.
import type { BillingSource, SubscriberSnapshot } from '../billing/source.js';
import type { Db } from '../db/open.js';
import { createMeta } from '../sync/meta.js';
import type { ScanObserver } from '../sync/scanner.js';
import { INDEX_MARKER, eachEntry, type IndexKind, type IndexMarker, type Keyer } from './lookup-index.js';
import { PROBLEM_KINDS, ProblemTally, problemsOf } from './problems.js';

/** Staged rows written to the TEMP tables per transaction. */
const BUFFER_ROWS = 256;
/** More changed rows than this are not applied in the commit: the next scan rebuilds instead. */
export const INLINE_ROWS = 20_000;
/** Rows per piece of a rebuild (about 50 ms each). */
const PIECE_ROWS = 10_000;
/** Ids kept per problem kind and scan. */
export const PROBLEM_IDS_KEPT = 100;
/** Scans whose counts are kept. */
export const SUMMARIES_KEPT = 100;

const KIND_RANK: Record<IndexKind, number> = { account: 0, login: 1, phone: 2 };
/** Groups staged rows by kind and first character of the key, in the table's (binary) order. */
const bucketOf = (kind: IndexKind, key: string) => KIND_RANK[kind] * 128 + key.charCodeAt(0);
/** Keys are base64url: their first character is between '-' (45) and 'z' (122). */
const FIRST_CHAR = { from: 40, to: 128 };
/** Character codes per rebuild piece: at most 8 of the 64 characters, an eighth of a kind's rows. */
const BUCKETS_PER_PIECE = 8;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ScanObserverOptions {
  db: Db;
  keyer: Keyer;
  billing: () => BillingSource;
  /** Test hook: a smaller INLINE_ROWS. */
  inlineRows?: number;
}

export function createScanObserver(o: ScanObserverOptions): ScanObserver {
  const { db, keyer } = o;
  const inlineRows = o.inlineRows ?? INLINE_ROWS;
  const meta = createMeta(db);
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS lookup_stage_user (user_id TEXT NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS lookup_stage (bucket INTEGER NOT NULL, kind TEXT, key TEXT, user_id TEXT, ext_id TEXT);
  `);
  // No index on bucket: keeping one up to date while staging cost several times the staging
  // itself; a rebuild piece reads the staged rows once instead (about 25 ms at 100,000).
  const put = {
    user: db.prepare<[string]>('INSERT INTO temp.lookup_stage_user VALUES (?)'),
    row: db.prepare<[number, string, string, string, string]>('INSERT INTO temp.lookup_stage VALUES (?, ?, ?, ?, ?)'),
  };
  const apply = {
    clear: db.prepare('DELETE FROM lookup_index'),
    clearOwners: db.prepare('DELETE FROM lookup_owner'),
    // Replacing the rows of changed and removed subscribers: their old rows, found by user.
    dropStaged: db.prepare(`DELETE FROM lookup_index WHERE (kind, key, user_id, ext_id) IN
      (SELECT kind, key, user_id, ext_id FROM lookup_owner WHERE user_id IN (SELECT user_id FROM temp.lookup_stage_user))`),
    dropStagedOwners: db.prepare('DELETE FROM lookup_owner WHERE user_id IN (SELECT user_id FROM temp.lookup_stage_user)'),
    addStaged: db.prepare('INSERT OR IGNORE INTO lookup_index (kind, key, user_id, ext_id) SELECT kind, key, user_id, ext_id FROM temp.lookup_stage'),
    addStagedOwners: db.prepare('INSERT OR IGNORE INTO lookup_owner (user_id, kind, key, ext_id) SELECT user_id, kind, key, ext_id FROM temp.lookup_stage'),
    addPiece: db.prepare<[number, number]>(`INSERT OR IGNORE INTO lookup_index (kind, key, user_id, ext_id)
      SELECT kind, key, user_id, ext_id FROM temp.lookup_stage WHERE bucket >= ? AND bucket < ? ORDER BY kind, key, user_id, ext_id`),
    // Staged in scan order, which is mostly user order: sorting each piece is enough.
    addOwnerPiece: db.prepare<[number, number]>(`INSERT OR IGNORE INTO lookup_owner (user_id, kind, key, ext_id)
      SELECT user_id, kind, key, ext_id FROM temp.lookup_stage WHERE rowid > ? AND rowid <= ? ORDER BY user_id, kind, key, ext_id`),
    stagedRange: db.prepare<[], { first: number | null; last: number | null }>('SELECT min(rowid) AS first, max(rowid) AS last FROM temp.lookup_stage'),
    // The primary key starts with (kind, key): one ordered pass over the logins.
    duplicateLogins: db.prepare<[], { users: string }>("SELECT json_group_array(user_id) AS users FROM lookup_index WHERE kind = 'login' GROUP BY key HAVING count(*) > 1"),
    summary: db.prepare<[number, number, number, number | null, number | null, string]>(
      'INSERT INTO scan_summary (at, subscribers, contracts, tariffs, services, problems) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    trimSummaries: db.prepare<[number]>('DELETE FROM scan_summary WHERE id <= (SELECT max(id) FROM scan_summary) - ?'),
  };

  let users: string[] = [];
  let rows: Array<[number, string, string, string, string]> = [];
  const flushTx = db.transaction(() => {
    for (const u of users) put.user.run(u);
    for (const r of rows) put.row.run(...r);
  });
  const flush = () => {
    if (users.length + rows.length === 0) return;
    flushTx();
    users = [];
    rows = [];
  };

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
    users = [];
    rows = [];
    stagedRows = 0;
    rebuilt = false;
    overflow = false;
    db.exec('DELETE FROM temp.lookup_stage_user; DELETE FROM temp.lookup_stage;');
  };

  async function copyInPieces(): Promise<void> {
    // Stale from here until the commit sets the marker again: lookups say so instead of half-answering.
    db.transaction(() => {
      meta.delete(INDEX_MARKER);
      apply.clear.run();
      apply.clearOwners.run();
    }).immediate();
    for (let kind = 0; kind < 3; kind++) {
      for (let c = FIRST_CHAR.from; c < FIRST_CHAR.to; c += BUCKETS_PER_PIECE) {
        const from = kind * 128 + c;
        db.transaction(() => apply.addPiece.run(from, from + BUCKETS_PER_PIECE)).immediate();
        await yieldToLoop();
      }
    }
    const { first, last } = apply.stagedRange.get()!;
    for (let from = (first ?? 1) - 1; from < (last ?? 0); from += PIECE_ROWS) {
      db.transaction(() => apply.addOwnerPiece.run(from, from + PIECE_ROWS)).immediate();
      await yieldToLoop();
    }
  }

  return {
    async begin({ fresh }) {
      reset();
      const marker = meta.get<IndexMarker>(INDEX_MARKER);
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
      if (!rebuild) users.push(userId);
      eachEntry(snap, keyer, (kind, key, extId) => {
        rows.push([bucketOf(kind, key), kind, key, userId, extId]);
        stagedRows++;
      });
      if (!rebuild && stagedRows > inlineRows) {
        overflow = true;
        users = [];
        rows = [];
        return;
      }
      if (users.length + rows.length >= BUFFER_ROWS) flush();
    },

    removedUser(userId: string) {
      // A rebuild starts from empty; otherwise the user's rows go with no new ones.
      if (rebuild || overflow) return;
      users.push(userId);
      if (users.length >= BUFFER_ROWS) flush();
    },

    async beforeCommit() {
      flush();
      if (!rebuild) return;
      await copyInPieces();
      rebuilt = true;
    },

    commit(now: number) {
      if (overflow) {
        meta.delete(INDEX_MARKER);
      } else {
        if (!rebuilt) {
          apply.dropStaged.run();
          apply.dropStagedOwners.run();
          apply.addStaged.run();
          apply.addStagedOwners.run();
        }
        meta.set(INDEX_MARKER, { keyId: keyer.id, at: now } satisfies IndexMarker);
      }
      for (const { users: ids } of apply.duplicateLogins.all()) {
        for (const userId of JSON.parse(ids) as string[]) tally.add({ kind: PROBLEM_KINDS.duplicateLogin, userId });
      }
      apply.summary.run(now, subscribers, contracts, catalogue.tariffs, catalogue.services, tally.toJson());
      apply.trimSummaries.run(SUMMARIES_KEPT);
      reset();
    },

    abort() {
      reset();
    },
  };
}
