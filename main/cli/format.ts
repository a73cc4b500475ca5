// Readable text for the sync commands (the --json flag prints the admin outputs as they are).
import type { DeadLetter, DeliveryAttempt, ScanReport, SyncStatus } from '../../shared/admin.js';

export function ago(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export function formatScan(r: ScanReport): string {
  const what = r.ok ? r.message : `FAILED: ${r.error}`;
  return `${r.finishedAt} ${r.kind}, ${r.durationMs} ms, ${r.subscribers} subscribers: ${what}`;
}

export function formatStatus(s: SyncStatus): string {
  const lines: string[] = [];
  lines.push(`Sync:        ${s.enabled ? `on, scanning every ${s.intervalSeconds} s` : 'PAUSED (billing-bridge sync resume)'}`);
  const calls = s.billing.callsPerMinute;
  lines.push(`Billing:     ${s.billing.kind}; calls in the last minute: ${calls.scan} by change detection, ${calls.request} for requests of core and the operator`);
  lines.push(`Baseline:    ${s.baselineAt ?? 'not yet recorded (the first scan records it and sends nothing)'}`);
  if (s.scan.running) lines.push(`Scanning:    since ${s.scan.runningSince}, ${s.scan.progress ?? 0} subscribers read`);
  lines.push(`Last scan:   ${s.scan.last ? formatScan(s.scan.last) : 'none yet'}`);
  if (s.scan.nextAt) lines.push(`Next scan:   ${s.scan.nextAt}`);
  lines.push(`Core:        ${s.core.configured ? `${s.core.baseUrl} (login ${s.core.login ? `"${s.core.login}"` : 'not set'}, password ${s.core.passwordSet ? 'set' : 'not set'})` : 'not configured (core.baseUrl is empty)'}`);
  lines.push(`Delivery:    ${s.delivery.state}: ${s.delivery.message}`);
  const oldest = s.outbox.oldestPendingAgeSeconds !== null ? `, oldest waiting ${ago(s.outbox.oldestPendingAgeSeconds)}` : '';
  lines.push(`Outbox:      ${s.outbox.pending} pending (${s.outbox.due} due now${oldest}), ${s.outbox.deadLetters} dead letters`);
  if (s.delivery.lastDeliveredAt) lines.push(`Last sent:   ${s.delivery.lastDeliveredAt}`);
  if (s.delivery.lastError) {
    const e = s.delivery.lastError;
    lines.push(`Last error:  ${e.at} ${e.target}: ${e.reason}`);
  }
  const c = s.counters;
  lines.push(`Callbacks:   contract: ${c.contract.sent} sent, ${c.contract.failed} failed attempts, ${c.contract.deadLettered} dead-lettered`);
  lines.push(`             charge:   ${c.charge.sent} sent, ${c.charge.failed} failed attempts, ${c.charge.deadLettered} dead-lettered`);
  if (s.problems.length > 0) {
    lines.push('Problems:');
    for (const p of s.problems) lines.push(`  - ${p}`);
  } else {
    lines.push('Problems:    none');
  }
  return lines.join('\n');
}

export function formatDeadLetters(list: { total: number; items: DeadLetter[] }): string {
  if (list.total === 0) return 'No dead letters: every callback was delivered or is still being retried.';
  const lines = [`${list.total} dead letter${list.total === 1 ? '' : 's'}${list.items.length < list.total ? ` (newest ${list.items.length} shown)` : ''}:`];
  for (const d of list.items) {
    lines.push(`  #${d.id}  ${d.deadAt}  ${d.target}  (${d.attempts} attempt${d.attempts === 1 ? '' : 's'}, queued ${d.createdAt})`);
    lines.push(`        ${d.reason}`);
  }
  lines.push('Re-send with: billing-bridge dead-letters resend <id...>  or  --all');
  return lines.join('\n');
}

export function formatDeliveries(list: DeliveryAttempt[]): string {
  if (list.length === 0) return 'No delivery attempts yet.';
  return list
    .map((d) => `${d.at}  ${d.ok ? 'ok  ' : 'FAIL'}  ${d.httpStatus ?? '---'}  ${String(d.durationMs).padStart(5)} ms  #${d.outboxId} ${d.target}${d.attempt > 1 ? ` (attempt ${d.attempt})` : ''}${d.error ? `: ${d.error}` : ''}`)
    .join('\n');
}
