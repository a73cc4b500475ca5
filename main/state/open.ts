// The agent's embedded database (better-sqlite3). WAL so readers never wait for the writer, and
// synchronous=FULL so a commit is on disk before we act on it: a callback written to the outbox
// survives a crash or power cut the moment the transaction returns. secure_delete, so a deleted
// row's bytes are overwritten instead of lingering in free pages.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrateDatabase } from './migrations.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Test hook: a different list of migrations. */
  migrations?: readonly string[];
}

/** Opens (creating if needed) the database file, owner-only, and brings its schema up to date. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const owned = file !== ':memory:' && process.platform !== 'win32';
  // Create the file ourselves so it is 0600 from the first byte; SQLite gives -wal and -shm the
  // same mode as the database file.
  if (owned && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    // Opening and migrating may wait a little for another program's lock; once running, the
    // writer (write.ts) decides how long each write may wait.
    db.pragma('busy_timeout = 2000');
    // 8 MB of page cache: plenty for id lookups, and memory matters with 100,000 subscribers.
    db.pragma('cache_size = -8000');
    migrateDatabase(db, options.migrations ?? MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  if (owned) {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (existsSync(f)) chmodSync(f, 0o600);
    }
  }
  return db;
}
