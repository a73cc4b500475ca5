// Readable text for `explain`, `selftest` and `report` (--json prints the admin outputs as they are).
import type { SelfTestReport, SubscriberExplanation, SubscriberLookup, SyncReport, VerdictRule } from '../../shared/admin.js';
import { rubles } from '../explain/verdict.js';

const MARK: Record<VerdictRule['status'], string> = { ok: '✓', fail: '✗', warn: '!', unknown: '?' };
const DOOR = { yes: 'YES', no: 'NO', maybe: 'MAYBE' } as const;

/** Plain words for the sync report's problem kinds. */
export const PROBLEM_WORDS: Record<string, string> = {
  'duplicate-login': 'the same login as another user (ignoring case)',
  'no-tariff': 'a contract without any tariff',
  'unknown-tariff': 'a contract whose tariff is not in /api/tariffs',
  'unparseable-phone': 'a phone field that is not a phone number',
  'no-phone': 'no phone number',
};

function table(rows: string[][], indent = '    '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

const LABEL: Record<VerdictRule['rule'], string> = {
  'user-blocked': 'not blocked', password: 'password', phone: 'phone', delivery: 'core told',
  balance: 'balance', 'forced-block': 'forced block', tariff: 'tariff', state: 'state',
};

function rules(list: VerdictRule[]): string[] {
  return list.map((r) => `  ${MARK[r.status]} ${LABEL[r.rule].padEnd(12)} ${r.text}`);
}

export function formatLookup(r: SubscriberLookup, chargesShown: number): string {
  if (r.state !== 'found' || !r.explanation) {
    const lines = [r.message];
    for (const m of r.matches) lines.push(`  user ${m.userId}: matched by ${m.by.join(', ')}${m.contracts.length ? ` (contract ${m.contracts.join(', ')})` : ''}`);
    if (r.state === 'several') lines.push('Show one with: billing-bridge explain <query> --user <id>');
    return lines.join('\n');
  }
  return [r.message, formatExplanation(r.explanation, chargesShown)].join('\n');
}

export function formatExplanation(e: SubscriberExplanation, chargesShown: number): string {
  const u = e.core.user;
  const lines: string[] = [];
  lines.push(`Can open the door: ${DOOR[e.door]} — ${e.headline.text}`, '');
  lines.push(`User ${u.ext_user_id} (login ${u.login})`, ...rules(e.userRules));
  for (const c of e.contracts) lines.push(`Contract ${c.extId} (${c.account}): ${DOOR[c.door]}`, ...rules(c.rules));
  for (const n of e.notChecked) lines.push(`Not checked here: ${n.text}`);

  lines.push('', 'What core gets', `  /api/users?user_id=${u.ext_user_id}`);
  lines.push(...table([
    ['ext_user_id', 'login', 'blocked', 'phones', 'password', 'full name'],
    [u.ext_user_id, u.login, u.is_blocked ? 'yes' : 'no', u.phones.map((p) => p.number).join(', ') || '—', u.passwordSet ? 'set (not shown)' : 'EMPTY', u.full_name],
  ]));
  lines.push(`  /api/contracts?user_id=${u.ext_user_id}`);
  if (e.core.contracts.length === 0) lines.push('    none (404)');
  else {
    lines.push(...table([
      ['ext_id', 'account', 'state', 'balance', 'tariffs', 'forced block', 'address'],
      ...e.core.contracts.map((c) => [
        c.ext_id, c.account, String(c.state), rubles(c.balance), c.tariffs.map((t) => t.id).join(', ') || '—',
        c.settings.some((s) => s.name === 'services_suspended_pending_payment') ? 'yes' : 'no', c.address,
      ]),
    ]));
  }
  for (const t of e.core.tariffs) {
    const services = t.services.map((s) => `${s.name ?? s.id}${s.permissions.length ? ` (${s.permissions.join(', ')})` : ''}`).join('; ');
    lines.push(`    tariff ${t.id} ${t.name ? `«${t.name}»` : '(not in /api/tariffs)'}: ${services || 'no services'}`);
  }
  const shown = e.core.charges.slice(0, chargesShown);
  lines.push(`  /api/charges?user_id=${u.ext_user_id} (${shown.length} newest of ${e.core.chargesTotal})`);
  if (shown.length > 0) lines.push(...table([['period', 'account', 'cost', 'description'], ...shown.map((c) => [c.period, c.account, rubles(c.cost), c.description])]));

  const d = e.delivery;
  lines.push('', 'Callbacks to core');
  lines.push(`  since the last scan${d.lastScanAt ? ` (${d.lastScanAt})` : ''}: ${d.sinceLastScan}${d.changed.length ? ` — ${d.changed.join(', ')}` : ''}`);
  const a = d.lastAttempt;
  lines.push(`  last attempt: ${a ? `${a.at} ${a.target}: ${a.ok ? 'accepted' : 'refused'}${a.httpStatus !== null ? ` (HTTP ${a.httpStatus})` : ''}${a.error ? `: ${a.error}` : ''}` : 'none kept'}`);
  for (const w of d.waiting) lines.push(`  waiting: #${w.outboxId} ${w.target} since ${w.since}, ${w.attempts} attempts${w.lastError ? `, last error: ${w.lastError}` : ''}`);
  for (const x of d.deadLetters) lines.push(`  dead letter: #${x.outboxId} ${x.target} at ${x.deadAt}: ${x.reason}`);
  return lines.join('\n');
}

export function formatSelfTest(r: SelfTestReport): string {
  const lines = [`Self-test of ${r.apiUrl} from ${r.from}: ${r.sampled.length} subscribers, ${r.requests} requests, ${r.durationMs} ms`];
  const byName = new Map<string, SelfTestReport['checks']>();
  for (const c of r.checks) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [name, list] of byName) {
    const failed = list.filter((c) => !c.ok);
    lines.push(`  ${failed.length === 0 ? '✓' : '✗'} ${name} (${list.length - failed.length}/${list.length})`);
    for (const f of failed.slice(0, 10)) lines.push(`      ${f.subject ? `${f.subject}: ` : ''}${f.detail}`);
    if (failed.length > 10) lines.push(`      … and ${failed.length - 10} more`);
  }
  lines.push(r.ok ? `PASSED: ${r.message}` : `FAILED: ${r.message}`);
  return lines.join('\n');
}

const signed = (n: number | null) => (n === null ? '?' : n > 0 ? `+${n}` : String(n));

export function formatSyncReport(r: SyncReport): string {
  if (!r.last) return r.message;
  const l = r.last;
  const d = r.differences;
  const count = (n: number | null) => (n === null ? 'unknown' : String(n));
  const lines = [
    r.message,
    `Last scan ${l.at}:`,
    `  subscribers ${l.subscribers}${d ? ` (${signed(d.subscribers)})` : ''}, contracts ${l.contracts}${d ? ` (${signed(d.contracts)})` : ''}, `
      + `tariffs ${count(l.tariffs)}${d ? ` (${signed(d.tariffs)})` : ''}, services ${count(l.services)}${d ? ` (${signed(d.services)})` : ''}`,
    d ? `  differences are against the scan before, at ${r.previous!.at}` : '  no scan before it to compare with',
  ];
  if (r.problems.length === 0) lines.push('Subscribers core cannot be served well: none');
  else lines.push('Subscribers core cannot be served well (ids; fix them in the billing):');
  for (const p of r.problems) {
    const ids = p.items.map((i) => (i.contractId ? `${i.userId} (contract ${i.contractId})` : i.userId));
    lines.push(`  ${p.kind} — ${PROBLEM_WORDS[p.kind] ?? p.kind}: ${p.count}`);
    lines.push(`      ${ids.join(', ')}${p.count > p.items.length ? `, … (${p.count - p.items.length} more)` : ''}`);
  }
  return lines.join('\n');
}
