// The status screen's data, in plain words: built from the service's parts, no I/O of its own.
import type { DeadLetter, DeliveryAttempt, ScanReport as ScanReportOut, SyncStatus } from '../../shared/admin.js';
import type { Settings } from '../../shared/settings.js';
import type { CallCounts } from '../billing/calls.js';
import { iso } from './clock.js';
import type { DeliveryState } from './delivery.js';
import type { Counters, DeliveryRecord, OutboxRow } from '../state/index.js';
import { totalChanges, type ScanProgress, type ScanReport } from './scanner.js';
import { describeCallback } from './targets.js';

export interface StatusParts {
  now: number;
  settings: Settings;
  settingsFile?: string;
  /** Shown first among the problems. */
  otherProblems?: string[];
  billingKind: string;
  billingCalls: CallCounts;
  /** What the billing adapter says only configuration fixes (a field map that does not fit). */
  billingProblems?: string[];
  /** Set while the state database takes no writes (state/write.ts), in plain words. */
  stateProblem?: string | null;
  passwordSet: boolean;
  stats: { pending: number; due: number; oldest: number | null; dead: number };
  counters: Counters[];
  delivery: DeliveryState;
  baselineAt: number | null;
  scan: {
    running: { since: number; progress: ScanProgress } | null;
    nextAt: number | null;
    consecutiveFailures: number;
    lastSuccessAt: number | null;
    last: ScanReport | null;
  };
}

export function buildStatus(p: StatusParts): SyncStatus {
  const { now, settings, stats, delivery: w } = p;
  const counters = { contract: { sent: 0, failed: 0, deadLettered: 0 }, charge: { sent: 0, failed: 0, deadLettered: 0 } };
  for (const c of p.counters) counters[c.kind] = { sent: c.sent, failed: c.failed, deadLettered: c.dead };
  const file = p.settingsFile ? ` in ${p.settingsFile}` : '';
  const waiting = `${stats.pending} callback${stats.pending === 1 ? '' : 's'}`;

  let state: SyncStatus['delivery']['state'];
  let message: string;
  if (!settings.sync.enabled) {
    state = 'paused';
    message = `sync is paused: ${waiting} kept until it is resumed`;
  } else if (!w.configured) {
    state = 'not-configured';
    message = `core is not configured: set core.baseUrl${file}; ${waiting} kept until then`;
  } else if (w.configProblem !== null && w.holdUntil !== null) {
    state = 'refused';
    message = `${w.configProblem}; next try at ${iso(w.holdUntil)}`;
  } else if (w.holdUntil !== null) {
    state = 'retrying';
    message = `core failed (${w.lastError?.reason ?? 'unknown'}); ${waiting} wait, next try at ${iso(w.holdUntil)}`;
  } else if (w.inFlight > 0 || stats.due > 0) {
    state = 'delivering';
    message = `sending ${waiting} to core`;
  } else {
    state = 'idle';
    message = stats.pending > 0 ? `${waiting} waiting for a retry` : 'nothing to send: core has been told about every change';
  }

  const problems: string[] = [...(p.otherProblems ?? [])];
  if (p.stateProblem) problems.push(p.stateProblem);
  if (!settings.sync.enabled) problems.push('sync is paused: changes are not detected or sent (billing-bridge sync resume)');
  if (!w.configured) problems.push(`core is not configured: set core.baseUrl${file}; callbacks are kept until then`);
  else if (settings.core.login === '') problems.push(`core.login is empty${file}: callbacks are sent without a login`);
  else if (!p.passwordSet) problems.push('the core password is not set (environment variable BILLING_BRIDGE_CORE_PASSWORD or the secrets file)');
  if (w.configProblem !== null) problems.push(w.configProblem);
  else if (state === 'retrying' && w.lastError) problems.push(`core cannot be reached or fails: ${w.lastError.reason}`);
  problems.push(...(p.billingProblems ?? []));
  const last = p.scan.last;
  if (last && !last.ok) problems.push(`the last scan failed: ${last.error}`);
  if (stats.dead > 0) problems.push(`${stats.dead} callback${stats.dead === 1 ? '' : 's'} could not be delivered and ${stats.dead === 1 ? 'is' : 'are'} in the dead letters (billing-bridge dead-letters)`);

  return {
    enabled: settings.sync.enabled,
    billing: { kind: p.billingKind, callsPerMinute: p.billingCalls },
    intervalSeconds: settings.sync.intervalSeconds,
    retryHorizonHours: settings.sync.retryHorizonHours,
    baselineAt: iso(p.baselineAt),
    scan: {
      running: p.scan.running !== null,
      runningSince: iso(p.scan.running?.since),
      progress: p.scan.running?.progress.subscribers ?? null,
      nextAt: iso(p.scan.nextAt),
      consecutiveFailures: p.scan.consecutiveFailures,
      lastSuccessAt: iso(p.scan.lastSuccessAt),
      last: last ? publicReport(last) : null,
    },
    core: { configured: w.configured, baseUrl: settings.core.baseUrl, login: settings.core.login, passwordSet: p.passwordSet },
    delivery: {
      state,
      message,
      inFlight: w.inFlight,
      retryAt: iso(w.holdUntil),
      consecutiveFailures: w.consecutiveFailures,
      configProblem: w.configProblem,
      lastError: w.lastError
        ? { at: iso(w.lastError.at)!, kind: w.lastError.kind as 'contract' | 'charge', target: describeCallback(w.lastError.kind, w.lastError.body), httpStatus: w.lastError.status, reason: w.lastError.reason }
        : null,
      lastDeliveredAt: iso(w.lastDeliveredAt),
    },
    outbox: {
      pending: stats.pending,
      due: stats.due,
      oldestPendingAt: iso(stats.oldest),
      oldestPendingAgeSeconds: stats.oldest === null ? null : Math.max(0, Math.round((now - stats.oldest) / 1000)),
      deadLetters: stats.dead,
    },
    counters,
    problems,
  };
}

export function publicReport(r: ScanReport): ScanReportOut {
  const total = totalChanges(r.changes);
  let message: string;
  if (!r.ok) message = r.error ?? 'the scan failed';
  else if (r.kind === 'baseline') message = `baseline recorded for ${r.subscribers} subscribers; nothing sent (core is assumed to know the current data)`;
  else if (r.kind === 'resend-all') message = `${r.callbacks} callbacks queued for ${r.subscribers} subscribers: core will re-read everything`;
  else if (total === 0) message = `no changes among ${r.subscribers} subscribers`;
  else message = `${total} change${total === 1 ? '' : 's'} among ${r.subscribers} subscribers; ${r.callbacks} callback${r.callbacks === 1 ? '' : 's'} queued`;
  return {
    kind: r.kind, ok: r.ok, startedAt: iso(r.startedAt)!, finishedAt: iso(r.finishedAt)!, durationMs: r.durationMs,
    subscribers: r.subscribers, changes: { total, ...r.changes }, callbacks: r.callbacks, error: r.error, message,
  };
}

export function toDeliveryAttempt(d: DeliveryRecord): DeliveryAttempt {
  return {
    at: iso(d.at)!, outboxId: d.outbox_id, kind: d.kind, target: describeCallback(d.kind, d.body),
    attempt: d.attempt, ok: d.ok === 1, httpStatus: d.status, error: d.error, durationMs: d.duration_ms,
  };
}

export function toDeadLetter(row: OutboxRow): DeadLetter {
  return {
    id: row.id,
    kind: row.kind,
    target: describeCallback(row.kind, row.body),
    path: row.path,
    body: JSON.parse(row.body) as Record<string, string>,
    createdAt: iso(row.created_at)!,
    deadAt: iso(row.dead_at ?? row.created_at)!,
    attempts: row.attempts,
    lastHttpStatus: row.last_status,
    reason: row.dead_reason ?? row.last_error ?? 'unknown',
  };
}
