// A state database that takes no writes for a while, made in tests: full (no page can be added,
// PRAGMA max_page_count) or locked (another connection holding the write lock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { createState, type State } from '../../main/state/index.js';
import { openDatabase, type Db } from '../../main/state/open.js';

const require = createRequire(import.meta.url);
const cleanups: Array<() => unknown> = [];

/** Runs `c` after the current test, newest first. Call episodeCleanup() once per test file. */
export function afterTest(c: () => unknown): void {
  cleanups.push(c);
}

export function episodeCleanup(): void {
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
}

/** A state database in a directory of its own, removed after the test. */
export function tempDb(): { file: string; db: Db; state: State } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-episode-'));
  const file = path.join(dir, 'state.db');
  const db = openDatabase(file);
  const state = createState(db);
  afterTest(() => rmSync(dir, { recursive: true, force: true }));
  afterTest(() => state.close());
  return { file, db, state };
}

/** Fills the database to its size limit: no free page is left, and none can be added. */
export function fill(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS test_filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    for (;;) db.prepare('INSERT INTO test_filler VALUES (zeroblob(512))').run();
  } catch (err) {
    expect((err as { code: string }).code).toBe('SQLITE_FULL');
  }
}

export function unfill(db: Db): void {
  db.pragma('max_page_count = 1073741823');
}

/** Another program's connection holding the write lock until release() (or the test's end). */
export function holdWriteLock(file: string): { release(): void } {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    other.exec('ROLLBACK');
    other.close();
  };
  afterTest(release);
  return { release };
}

/**
 * A lock held by another thread for `ms` (a backup tool's brief one): resolves once it is held.
 * Another thread, because a wait for the lock blocks this one's event loop.
 */
export function holdWriteLockBriefly(file: string, ms: number): Promise<void> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage('held');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
    db.exec('ROLLBACK');
    db.close();
  `, { eval: true, workerData: { file, ms, module: require.resolve('better-sqlite3') } });
  afterTest(() => worker.terminate());
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
}
