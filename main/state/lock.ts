// One agent per data directory. Two agents on one directory would share the outbox and send core
// every callback twice. The lock is SQLite's own file lock (fcntl on Unix, LockFileEx on
// Windows) on a small database, taken with a write in exclusive locking mode and held until the
// connection closes; the kernel drops it when the process dies, kill -9 included, so a crash
// never leaves a stale lock behind. The holder's PID is written next to it for the refusal
// message (a locked database cannot be read).
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import writeFileAtomic from 'write-file-atomic';
import { ensureDataDir } from '../settings/paths.js';

/** The configuration exit code (sysexits EX_CONFIG): another agent owns this directory. */
export const EXIT_CONFIG = 78;

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  readonly exitCode = EXIT_CONFIG;
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(`another Billing Bridge agent${pid === null ? '' : ` (PID ${pid})`} is already running with the data directory ${dataDir}: `
      + 'stop it first, or give this one a data directory of its own (--data-dir)');
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Open connections, so that none is garbage-collected (which would close it and drop the lock)
 * while the agent runs.
 */
const held = new Set<Database.Database>();

export function lockFiles(dir: string) {
  return { lock: path.join(dir, 'agent.lock'), pid: path.join(dir, 'agent.pid') };
}

export function lockDataDir(dir: string): DataDirLock {
  ensureDataDir(dir);
  const files = lockFiles(dir);
  let db: Database.Database | undefined;
  try {
    // No busy timeout: a held lock is an answer, not something to wait for.
    db = new Database(files.lock, { timeout: 0 });
    if (process.platform !== 'win32') chmodSync(files.lock, 0o600);
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec(`BEGIN EXCLUSIVE; PRAGMA user_version = ${process.pid}; COMMIT`);
  } catch (err) {
    db?.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirLockedError(dir, waitForHolderPid(files.pid));
    throw new Error(`cannot lock the data directory ${dir} (${files.lock}): ${(err as Error).message}`, { cause: err });
  }
  const connection = db;
  held.add(connection);
  writeFileAtomic.sync(files.pid, `${process.pid}\n`, { mode: 0o600 });
  return {
    release() {
      if (!held.delete(connection)) return;
      if (holderPid(files.pid) === process.pid) rmSync(files.pid, { force: true });
      connection.close();
    },
  };
}

/** The holder writes its PID right after it takes the lock: give it a moment to appear. */
function waitForHolderPid(file: string): number | null {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 20; i++) {
    const pid = holderPid(file);
    if (pid !== null) return pid;
    Atomics.wait(pause, 0, 0, 50);
  }
  return holderPid(file);
}

/** The PID in the PID file, if the file holds one of a running process. */
function holderPid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
