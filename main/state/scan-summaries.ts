// Per successful scan: the counts and the ids of subscribers core cannot be served well, for the
// sync report. Written inside the scan's commit transaction.
import type { Db } from './open.js';

export interface ScanSummary {
  at: number;
  subscribers: number;
  contracts: number;
  /** null when the billing's catalogue could not be read during the scan. */
  tariffs: number | null;
  services: number | null;
  /** JSON: {"counts": {kind: n}, "items": [{"kind", "user", "contract"?}]}, capped, ids only. */
  problems: string;
}

/** Scans whose counts are kept. */
export const SUMMARIES_KEPT = 100;

export function createScanSummaries(db: Db) {
  const insert = db.prepare<[number, number, number, number | null, number | null, string]>(
    'INSERT INTO scan_summary (at, subscribers, contracts, tariffs, services, problems) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const trim = db.prepare<[number]>('DELETE FROM scan_summary WHERE id <= (SELECT max(id) FROM scan_summary) - ?');
  const latest = db.prepare<[number], ScanSummary>('SELECT at, subscribers, contracts, tariffs, services, problems FROM scan_summary ORDER BY id DESC LIMIT ?');
  return {
    /** Inside the scan's commit transaction; keeps the newest SUMMARIES_KEPT. */
    add(s: ScanSummary): void {
      insert.run(s.at, s.subscribers, s.contracts, s.tariffs, s.services, s.problems);
      trim.run(SUMMARIES_KEPT);
    },
    /** Newest first. */
    latest: (count: number): ScanSummary[] => latest.all(count),
  };
}

export type ScanSummaries = ReturnType<typeof createScanSummaries>;
