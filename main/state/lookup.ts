// The lookup index tables: keyed hashes of logins, phones and contract numbers → ids
// (lookup_index), the same rows by user (lookup_owner), and the TEMP tables a scan stages the
// rows of changed subscribers in (per connection, never fsynced). What a row holds and when the
// index is rebuilt is decided in explain/; how it is written fast is decided here.
//
// A rebuild copies the staged rows in pieces, each in key order: the hashes are random, and
// random inserts into a table larger than the page cache rewrite most of it on every piece.
import type { Meta } from './meta.js';
import type { Db } from './open.js';
import type { Writer } from './write.js';

export type IndexKind = 'login' | 'phone' | 'account';

/** Staged rows written to the TEMP tables per transaction. */
const BUFFER_ROWS = 256;
/** Rows per piece of a rebuild's owner table (about 50 ms each). */
const PIECE_ROWS = 10_000;

const KIND_RANK: Record<IndexKind, number> = { account: 0, login: 1, phone: 2 };
/** Groups staged rows by kind and first character of the key, in the table's (binary) order. */
const bucketOf = (kind: IndexKind, key: string) => KIND_RANK[kind] * 128 + key.charCodeAt(0);
/** Keys are base64url: their first character is between '-' (45) and 'z' (122). */
const FIRST_CHAR = { from: 40, to: 128 };
/** Character codes per rebuild piece: at most 8 of the 64 characters, an eighth of a kind's rows. */
const BUCKETS_PER_PIECE = 8;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createLookup(db: Db, write: Writer, meta: Meta) {
  const find = db.prepare<[string, string], { user_id: string; ext_id: string }>('SELECT user_id, ext_id FROM lookup_index WHERE kind = ? AND key = ? LIMIT 50');
  return {
    find: (kind: IndexKind, key: string): Array<{ userId: string; extId: string }> =>
      find.all(kind, key).map((r) => ({ userId: r.user_id, extId: r.ext_id })),
    /** The staging of one scan's rows; one per connection is enough. */
    stage: () => createLookupStage(db, write, meta),
  };
}

function createLookupStage(db: Db, write: Writer, meta: Meta) {
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
  };

  let users: string[] = [];
  let rows: Array<[number, string, string, string, string]> = [];
  const flush = () => {
    if (users.length + rows.length === 0) return;
    write.tx(() => {
      for (const u of users) put.user.run(u);
      for (const r of rows) put.row.run(...r);
    }, 'deferred');
    users = [];
    rows = [];
  };
  const full = () => users.length + rows.length >= BUFFER_ROWS;

  return {
    /** A subscriber whose old rows go (changed or removed). */
    user(userId: string): void {
      users.push(userId);
      if (full()) flush();
    },
    row(kind: IndexKind, key: string, userId: string, extId: string): void {
      rows.push([bucketOf(kind, key), kind, key, userId, extId]);
      if (full()) flush();
    },
    flush,
    /** Forgets everything staged. */
    reset(): void {
      users = [];
      rows = [];
      write.run(() => db.exec('DELETE FROM temp.lookup_stage_user; DELETE FROM temp.lookup_stage;'));
    },
    /**
     * Replaces the whole index with the staged rows, in pieces with yields in between. Stale from
     * the first piece until the scan's commit sets the marker again: lookups say so instead of
     * half-answering.
     */
    async rebuild(): Promise<void> {
      flush();
      write.tx(() => {
        meta.lookupIndex.delete();
        apply.clear.run();
        apply.clearOwners.run();
      });
      for (let kind = 0; kind < 3; kind++) {
        for (let c = FIRST_CHAR.from; c < FIRST_CHAR.to; c += BUCKETS_PER_PIECE) {
          const from = kind * 128 + c;
          write.tx(() => apply.addPiece.run(from, from + BUCKETS_PER_PIECE));
          await yieldToLoop();
        }
      }
      const { first, last } = apply.stagedRange.get()!;
      for (let from = (first ?? 1) - 1; from < (last ?? 0); from += PIECE_ROWS) {
        write.tx(() => apply.addOwnerPiece.run(from, from + PIECE_ROWS));
        await yieldToLoop();
      }
    },
    /** Inside the scan's commit: the staged subscribers' old rows out, their new rows in. */
    applyStaged(): void {
      apply.dropStaged.run();
      apply.dropStagedOwners.run();
      apply.addStaged.run();
      apply.addStagedOwners.run();
    },
    /** The users of each login that more than one user has. */
    duplicateLogins: (): string[][] => apply.duplicateLogins.all().map((r) => JSON.parse(r.users) as string[]),
  };
}

export type LookupStage = ReturnType<ReturnType<typeof createLookup>['stage']>;
