// The sync report: counts of the last scans, their difference, and the subscribers core cannot
// be served well — read back from the scan summaries (written by the scan observer, ids only).
import type { SyncReport } from '../../shared/admin.js';
import type { ScanSummaries, ScanSummary } from '../state/index.js';
import { iso } from '../sync/clock.js';

interface StoredProblems {
  counts: Record<string, number>;
  items: Array<{ kind: string; user: string; contract?: string }>;
}

/** The order problems are listed in: what stops core first. */
const ORDER = ['duplicate-login', 'no-tariff', 'unknown-tariff', 'unparseable-phone', 'no-phone'];

export function createSyncReports(summaries: ScanSummaries) {
  return {
    report(historyLength = 10): SyncReport {
      const rows = summaries.latest(historyLength + 1);
      const last = rows[0];
      if (!last) {
        return {
          message: 'No scan has finished yet: the report is made by each successful scan of the billing.',
          last: null, previous: null, differences: null, problems: [], history: [],
        };
      }
      const stored = JSON.parse(last.problems) as StoredProblems;
      const kinds = Object.keys(stored.counts).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      const problems = kinds.map((kind) => ({
        kind,
        count: stored.counts[kind]!,
        items: stored.items.filter((i) => i.kind === kind).map((i) => ({ userId: i.user, contractId: i.contract ?? null })),
      }));
      const counts = rows.map(toCounts);
      const now = counts[0]!;
      const before = counts[1] ?? null;
      const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
      const total = problems.reduce((n, p) => n + p.count, 0);
      return {
        message: total === 0
          ? `The last scan read ${now.subscribers} subscribers and found nothing core cannot be served.`
          : `The last scan read ${now.subscribers} subscribers; ${total} problem${total === 1 ? '' : 's'} to fix in the billing.`,
        last: now,
        previous: before,
        differences: before && {
          subscribers: now.subscribers - before.subscribers,
          contracts: now.contracts - before.contracts,
          tariffs: minus(now.tariffs, before.tariffs),
          services: minus(now.services, before.services),
          problems: now.problems - before.problems,
        },
        problems,
        history: counts.slice(1),
      };
    },
  };
}

export type SyncReports = ReturnType<typeof createSyncReports>;

function rank(kind: string): number {
  const i = ORDER.indexOf(kind);
  return i < 0 ? ORDER.length : i;
}

function toCounts(row: ScanSummary) {
  const stored = JSON.parse(row.problems) as StoredProblems;
  return {
    at: iso(row.at)!,
    subscribers: row.subscribers,
    contracts: row.contracts,
    tariffs: row.tariffs,
    services: row.services,
    problems: Object.values(stored.counts).reduce((n, c) => n + c, 0),
  };
}
