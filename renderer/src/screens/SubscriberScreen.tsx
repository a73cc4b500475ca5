// "Why can't this subscriber open the door?": find a subscriber, the verdict first (each of the
// platform's rules with its reason), then what core gets from the API, and the callbacks about
// them; below, the API self-test and the sync report.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { SubscriberExplanation, SubscriberLookup, VerdictRule } from '../../../shared/admin.ts';
import { call } from '../api.ts';
import { dateTime } from '../format.ts';
import { useAction } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { money, reasonText, targetText } from '../i18n-subscriber.ts';
import { Badge, Button, ErrorNote, Facts, Field, Notice, Section, type Tone } from '../ui.tsx';
import { SelfTestSection, SyncReportSection, Table, useS } from './SubscriberTools.tsx';

const DOOR_TONE: Record<SubscriberExplanation['door'], Tone> = { yes: 'ok', no: 'error', maybe: 'warn' };
const RULE_TONE: Record<VerdictRule['status'], Tone> = { ok: 'ok', fail: 'error', warn: 'warn', unknown: 'info' };
const MARK: Record<VerdictRule['status'], string> = { ok: '✓', fail: '✗', warn: '!', unknown: '?' };

export function SubscriberScreen() {
  const s = useS();
  const [query, setQuery] = useState('');
  const search = useAction((input: { query: string; userId?: string }) => call('subscriber.explain', input));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim() !== '') void search.run({ query: query.trim() });
  };
  const result = search.result;
  return (
    <div className="screen" data-testid="subscriber-screen">
      <h1>{s.title}</h1>
      <Section title={s.searchTitle}>
        <p className="muted">{s.searchExplain}</p>
        <form className="form-row labelled" onSubmit={submit} data-testid="subscriber-search">
          <Field label={s.query} hint={s.queryHint}>
            {(id) => <input id={id} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" maxLength={200} type="search" />}
          </Field>
          <div className="form-actions">
            <Button type="submit" kind="primary" busy={search.busy} disabled={query.trim() === ''}>{s.find}</Button>
          </div>
        </form>
        <ErrorNote error={search.error} />
        {result && result.state !== 'found' && <LookupMessage result={result} onPick={(userId) => void search.run({ query: query.trim() || userId, userId })} />}
      </Section>
      {result?.explanation && <Explanation e={result.explanation} />}
      <SelfTestSection />
      <SyncReportSection />
    </div>
  );
}

function LookupMessage(props: { result: SubscriberLookup; onPick: (userId: string) => void }) {
  const s = useS();
  const { lang } = useT();
  const r = props.result;
  if (r.state === 'not-ready') return <Notice tone="info" testId="lookup-message">{s.notReady}</Notice>;
  if (r.state === 'rebuilding') return <Notice tone="info" testId="lookup-message">{s.rebuilding}</Notice>;
  if (r.state === 'none') return <Notice tone="warn" testId="lookup-message">{s.none(dateTime(r.indexedAt, lang))}</Notice>;
  return (
    <Notice tone="info" title={s.several} testId="lookup-message">
      <ul className="problems">
        {r.matches.map((m) => (
          <li key={m.userId}>
            <strong>{m.userId}</strong> ({m.by.map((b) => s.matchedBy[b] ?? b).join(', ')}{m.contracts.length > 0 ? `: ${m.contracts.join(', ')}` : ''}){' '}
            <Button kind="link" onClick={() => props.onPick(m.userId)}>{s.show}</Button>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

function Explanation(props: { e: SubscriberExplanation }) {
  const s = useS();
  const { lang } = useT();
  const e = props.e;
  return (
    <>
      <section className={`section verdict verdict-${DOOR_TONE[e.door]}`} data-testid="verdict">
        <div className="verdict-head">
          <span className="verdict-mark" aria-hidden>{e.door === 'yes' ? '✓' : e.door === 'no' ? '✗' : '!'}</span>
          <div>
            <h2 className="big" data-testid="door">{s.door[e.door]}</h2>
            <p data-testid="headline">{reasonText(e.headline, lang)}</p>
          </div>
        </div>
        <h3>{s.checksTitle}</h3>
        <RuleGroup title={s.userChecks(e.core.user.ext_user_id, e.core.user.login)} rules={e.userRules} />
        {e.contracts.map((c) => (
          <RuleGroup key={c.extId} title={s.contractChecks(c.extId, c.account)} door={c.door} rules={c.rules} />
        ))}
        {e.notChecked.map((n) => <p key={n.code} className="small"><strong>{s.notChecked}:</strong> {reasonText(n, lang)}</p>)}
      </section>
      <CoreData e={e} />
      <Delivery e={e} />
    </>
  );
}

function RuleGroup(props: { title: string; rules: VerdictRule[]; door?: SubscriberExplanation['door'] }) {
  const s = useS();
  const { lang } = useT();
  return (
    <div className="rule-group">
      <div className="rule-group-head">
        <strong>{props.title}</strong>
        {props.door && <Badge tone={DOOR_TONE[props.door]}>{s.door[props.door]}</Badge>}
      </div>
      <ul className="rules" data-testid="rules">
        {props.rules.map((r) => (
          <li key={r.rule} className={`rule rule-${RULE_TONE[r.status]}`} data-rule={r.rule} data-status={r.status}>
            <span className="check-mark" aria-hidden>{MARK[r.status]}</span>
            <span className="rule-name">{s.rules[r.rule]}</span>
            <Badge tone={RULE_TONE[r.status]}>{s.status[r.status]}</Badge>
            <span className="rule-reason">{reasonText(r, lang)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CoreData(props: { e: SubscriberExplanation }) {
  const s = useS();
  const { lang, t } = useT();
  const { user, contracts, charges, chargesTotal, tariffs } = props.e.core;
  const yesNo = (v: boolean) => (v ? t.common.yes : t.common.no);
  return (
    <Section title={s.coreTitle} className="core-data">
      <p className="muted">{s.coreExplain}</p>
      <h3>{s.user}</h3>
      <Facts rows={[
        ['ext_user_id', <code>{user.ext_user_id}</code>],
        [s.login, <code>{user.login}</code>],
        [s.fullName, user.full_name],
        [s.blocked, yesNo(user.is_blocked)],
        [s.phones, user.phones.length > 0 ? user.phones.map((p) => p.number).join(', ') : '—'],
        [s.password, user.passwordSet ? s.passwordSet : s.passwordEmpty],
      ]} />

      <h3 className="sub">{s.contracts}</h3>
      {contracts.length === 0 ? <p className="muted">{s.noContracts}</p> : (
        <Table testId="contracts" head={[s.extId, s.account, s.state, s.balance, s.tariffName, s.forced, s.address]} rows={contracts.map((c) => [
          <code>{c.ext_id}</code>, c.account, `${c.state} — ${s.states[c.state] ?? ''}`,
          <span className={c.balance < 0 ? 'error-text' : undefined}>{money(c.balance, lang)}</span>,
          c.tariffs.map((x) => x.id).join(', ') || '—',
          yesNo(c.settings.some((x) => x.name === 'services_suspended_pending_payment')),
          <span className="wrap">{c.address}</span>,
        ])} />
      )}

      {tariffs.length > 0 && (
        <>
          <h3 className="sub">{s.tariffs}</h3>
          <Table head={[s.tariffName, s.services]} rows={tariffs.map((x) => [
            <>{x.name ?? <span className="warn-text">{s.notInCatalogue}</span>} <span className="muted">{x.id}</span></>,
            <span className="wrap">{x.services.map((v) => `${v.name ?? v.id} (${v.permissions.length > 0 ? v.permissions.join(', ') : s.noRights})`).join('; ') || '—'}</span>,
          ])} />
        </>
      )}

      <h3 className="sub">{s.charges}</h3>
      {charges.length === 0 ? <p className="muted">{s.noCharges}</p> : (
        <>
          <Table testId="charges" head={[s.period, s.account, s.cost, s.description]} rows={charges.map((c) => [
            c.period, c.account, money(c.cost, lang), <span className="wrap">{c.description}</span>,
          ])} />
          <p className="small">{s.chargesShown(charges.length, chargesTotal)}</p>
        </>
      )}
    </Section>
  );
}

function Delivery(props: { e: SubscriberExplanation }) {
  const s = useS();
  const { lang } = useT();
  const d = props.e.delivery;
  const a = d.lastAttempt;
  return (
    <Section title={s.deliveryTitle}>
      <div data-testid="delivery">
        <Facts rows={[
          [s.sinceScan, `${s.since[d.sinceLastScan]}${d.changed.length > 0 ? ` (${d.changed.map((c) => targetText(c, lang)).join(', ')})` : ''}${d.lastScanAt ? ` — ${dateTime(d.lastScanAt, lang)}` : ''}`],
          [s.lastAttempt, a
            ? <>{dateTime(a.at, lang)} · {targetText(a.target, lang)} · <Badge tone={a.ok ? 'ok' : 'error'}>{a.ok ? s.accepted : s.refused}</Badge>{a.httpStatus !== null ? ` HTTP ${a.httpStatus}` : ''}{a.error ? ` · ${a.error}` : ''}</>
            : s.noAttempt],
          ...d.waiting.map((w): [string, ReactNode] => [s.waiting, `${targetText(w.target, lang)} · ${dateTime(w.since, lang)}${w.lastError ? ` · ${w.lastError}` : ''}`]),
          ...d.deadLetters.map((x): [string, ReactNode] => [s.dead, `#${x.outboxId} ${targetText(x.target, lang)} · ${dateTime(x.deadAt, lang)} · ${x.reason}`]),
        ]} />
      </div>
    </Section>
  );
}
