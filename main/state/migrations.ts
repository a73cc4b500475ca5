// Schema migrations by `PRAGMA user_version`: MIGRATIONS[n] takes a version-n database to n+1.
// Each step runs in its own transaction with the version bump, so a crash never half-applies one.
// No names, phones, passwords or amounts are stored, and nothing as a subscriber typed it: ids,
// keyed or salted hashes, counts, times, and the agent's own words about failures (core's status,
// an outage). Callback bodies are ids.
import type Database from 'better-sqlite3';

/**
 * A step that drops what should never have been kept creates this table; the database is then
 * rewritten (VACUUM) so that no freed page keeps the old bytes, and the table goes. A rewrite
 * that fails (no room for the copy) is tried again at the next start.
 */
const SCRUB_TABLE = 'scrub_pending';

export const MIGRATIONS: readonly string[] = [
  // 0 → 1: fingerprints, the outbox, delivery history, counters.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  -- What core was last told about, per user: hashes of the user record, of the set of its
  -- contracts with their hashes, and of its newest charges.
  CREATE TABLE fp_user (
    user_id        TEXT PRIMARY KEY,
    user_hash      TEXT NOT NULL,
    contracts_hash TEXT NOT NULL,
    charges_hash   TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE fp_contract (
    ext_id  TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    hash    TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX fp_contract_user ON fp_contract (user_id);

  -- Callbacks not yet accepted by core ('pending') and those given up on ('dead').
  CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('contract', 'charge')),
    path        TEXT NOT NULL,
    body        TEXT NOT NULL,
    origin      TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
    created_at  INTEGER NOT NULL,
    next_at     INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- Bumped when a new change is coalesced into this row, so a delivery that started before
    -- the change does not remove it.
    gen         INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    last_error  TEXT,
    dead_at     INTEGER,
    dead_reason TEXT
  );
  CREATE UNIQUE INDEX outbox_pending_target ON outbox (path, body) WHERE state = 'pending';
  CREATE INDEX outbox_due ON outbox (next_at, id) WHERE state = 'pending';
  CREATE INDEX outbox_dead ON outbox (dead_at) WHERE state = 'dead';

  -- The last few hundred delivery attempts, for people looking at what happened.
  CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    outbox_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    ok          INTEGER NOT NULL,
    status      INTEGER,
    error       TEXT,
    duration_ms INTEGER NOT NULL
  );

  -- Per callback kind: delivered, failed attempts, given up (dead-lettered).
  CREATE TABLE counters (
    kind   TEXT PRIMARY KEY,
    sent   INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    dead   INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  `,
  // 1 → 2: password-guessing lockouts. The login is kept only while it has recent failures, so
  // the operator can see who is locked; a success or the end of the window removes the row.
  `
  CREATE TABLE auth_lockout (
    login        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER,
    -- Attempts refused without asking the billing while locked.
    blocked      INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  `,
  // 2 → 3: finding a subscriber by login, phone or contract number without keeping them: keyed
  // hashes (HMAC-SHA256 with the per-install key in <dataDir>/lookup-key) → ids; and per scan the
  // counts and the ids of subscribers core cannot be served well (the sync report).
  `
  CREATE TABLE lookup_index (
    kind    TEXT NOT NULL CHECK (kind IN ('login', 'phone', 'account')),
    key     TEXT NOT NULL,
    user_id TEXT NOT NULL,
    -- The contract, for contract numbers; '' for logins and phones.
    ext_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, key, user_id, ext_id)
  ) WITHOUT ROWID;

  -- The same rows by user, to replace a changed subscriber's. A table rather than an index so a
  -- rebuild can fill each in its own order (hashes are random: sorted inserts are far cheaper).
  CREATE TABLE lookup_owner (
    user_id TEXT NOT NULL,
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    ext_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, kind, key, ext_id)
  ) WITHOUT ROWID;

  CREATE TABLE scan_summary (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    subscribers INTEGER NOT NULL,
    contracts   INTEGER NOT NULL,
    -- NULL when the billing's catalogue could not be read during the scan.
    tariffs     INTEGER,
    services    INTEGER,
    -- JSON: {"counts": {kind: n}, "items": [{"kind", "user", "contract"?}]}, capped, ids only.
    problems    TEXT NOT NULL
  );
  `,
  // 3 → 4: lockouts keyed by a keyed hash of the login instead of the login as typed (which is
  // sometimes a password). The old rows are dropped, not re-keyed: the key lives outside the
  // database, a row lasts minutes (security.lockoutMinutes), and re-keying would carry the typed
  // text through one more step. Logins locked at the moment of the upgrade are unlocked early,
  // once. The database is then rewritten so that freed pages do not keep the old text. And a
  // table for the write probe (a new row must fit, see write.ts) replaces the readiness meta key.
  `
  DROP TABLE auth_lockout;
  CREATE TABLE auth_lockout (
    -- HMAC-SHA256 (hex, 128 bits) of the login with the install's key: security/login-keys.ts.
    key          TEXT PRIMARY KEY,
    -- The subscriber the last scan knew by that login; NULL for a login nobody has.
    user_id      TEXT,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER,
    -- Attempts refused without asking the billing while locked.
    blocked      INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TABLE write_probe (
    id     INTEGER PRIMARY KEY,
    filler BLOB
  );
  DELETE FROM meta WHERE key = 'ready_probe';
  CREATE TABLE ${SCRUB_TABLE} (since INTEGER);
  `,
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrateDatabase(db: Database.Database, migrations: readonly string[] = MIGRATIONS): void {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new Error(`the database was written by a newer Billing Bridge (schema ${from}; this one knows up to ${migrations.length})`);
  }
  for (let v = from; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  scrubIfPending(db);
}

/** Rewrites the database and empties the journal when a migration asked for it (SCRUB_TABLE). */
function scrubIfPending(db: Database.Database): void {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SCRUB_TABLE) === undefined) return;
  try {
    db.exec('VACUUM');
  } catch {
    // No room for the copy (VACUUM needs about the database's size): the next start tries again.
    return;
  }
  db.exec(`DROP TABLE ${SCRUB_TABLE}`);
  // Journal frames written before keep old pages; the checkpoint copies the rewrite over them.
  if (db.pragma('journal_mode', { simple: true }) === 'wal') db.pragma('wal_checkpoint(TRUNCATE)');
}
