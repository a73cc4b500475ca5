// Every write to the state database goes through here, so what must happen around a write (a
// full disk, a busy file) has one place to live.
import type { Db } from './open.js';

export interface Writer {
  /** One statement (or a few) in SQLite's own autocommit. */
  run<T>(write: () => T): T;
  /**
   * All or nothing. `immediate` takes the write lock at BEGIN, for transactions that write the
   * main tables; staging into TEMP tables can start deferred. Inside another transaction this is
   * a savepoint.
   */
  tx<T>(write: () => T, mode?: 'immediate' | 'deferred'): T;
}

export function createWriter(db: Db): Writer {
  return {
    run: (write) => write(),
    tx: (write, mode = 'immediate') => {
      const transaction = db.transaction(write);
      return mode === 'immediate' ? transaction.immediate() : transaction.deferred();
    },
  };
}
