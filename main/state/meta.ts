// Small named values kept next to the sync tables, each under one key with one type. Nothing
// outside this file spells a key.
import type { DeliveryError } from '../sync/delivery.js';
import type { ScanReport } from '../sync/scanner.js';
import type { Db } from './open.js';
import type { Writer } from './write.js';

/** When the first scan recorded what core is assumed to know, and of which billing. */
export interface Baseline {
  at: number;
  billing: string;
}

/** The lookup index is complete as of `at`, built with the key `keyId`. */
export interface IndexMarker {
  keyId: string;
  at: number;
}

export interface MetaEntry<T> {
  get(): T | null;
  set(value: T): void;
  delete(): void;
}

export function createMeta(db: Db, write: Writer) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const put = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const remove = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  const entry = <T>(key: string): MetaEntry<T> => ({
    get() {
      const row = read.get(key);
      return row ? (JSON.parse(row.value) as T) : null;
    },
    set: (value) => write.run(() => put.run(key, JSON.stringify(value))),
    delete: () => write.run(() => remove.run(key)),
  });
  return {
    /** The per-database salt of the fingerprints. */
    hashSalt: entry<string>('hash_salt'),
    baseline: entry<Baseline>('baseline'),
    lastScan: entry<ScanReport>('last_scan'),
    lastScanOkAt: entry<number>('last_scan_ok_at'),
    lastDeliveryError: entry<DeliveryError>('last_delivery_error'),
    lastDeliveredAt: entry<number>('last_delivered_at'),
    lookupIndex: entry<IndexMarker>('lookup_index'),
  };
}

export type Meta = ReturnType<typeof createMeta>;
