// The Subscriber page's tools for the whole base: the API self-test and the sync report.
import type { ReactNode } from 'react';
import type { SelfTestReport, SyncReport } from '../../../shared/admin.ts';
import { call } from '../api.ts';
import { dateTime, duration, number } from '../format.ts';
import { useAction, usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Badge, Button, ErrorNote, Facts, Notice, Section } from '../ui.tsx';
import { SUBSCRIBER_STRINGS, type SubscriberStrings } from '../i18n-subscriber.ts';

export function useS(): SubscriberStrings {
  return SUBSCRIBER_STRINGS[useT().lang];
}

/** A plain table: head cells, then rows of cells. */
export function Table(props: { head: string[]; rows: ReactNode[][]; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={props.testId}>
        <thead><tr>{props.head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
        <tbody>
          {props.rows.map((row, i) => <tr key={i}>{row.map((cell, j) => <td key={j}>{cell}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

export function SelfTestSection() {
  const s = useS();
  const { lang } = useT();
  const run = useAction(() => call('selftest.run', { sample: 20 }));
  const r = run.result;
  return (
    <Section title={s.selftestTitle}>
      <p className="muted">{s.selftestExplain}</p>
      <Button onClick={() => void run.run()} busy={run.busy}>{s.runSelftest}</Button>
      <ErrorNote error={run.error} />
      {r && (
        <div data-testid="selftest-result">
          {r.stoppedBecause !== null ? (
            <Notice tone="error" title={s.selftestStopped}>{r.stoppedBecause}</Notice>
          ) : (
            <Notice tone={r.ok ? 'ok' : 'error'} title={r.ok ? s.selftestPassed(r.passed, r.sampled.length, duration(r.durationMs, lang)) : s.selftestFailed(r.failed, r.passed + r.failed)}>
              <p className="small">{r.apiUrl} ← {r.from}</p>
            </Notice>
          )}
          <SelfTestTable report={r} />
        </div>
      )}
    </Section>
  );
}

function SelfTestTable(props: { report: SelfTestReport }) {
  const s = useS();
  const groups = new Map<string, SelfTestReport['checks']>();
  for (const c of props.report.checks) groups.set(c.name, [...(groups.get(c.name) ?? []), c]);
  const rows: ReactNode[][] = [...groups].map(([name, list]) => {
    const failed = list.filter((c) => !c.ok);
    return [
      s.checkNames[name] ?? name,
      <Badge tone={failed.length === 0 ? 'ok' : 'error'}>{list.length - failed.length} / {list.length}</Badge>,
      failed.length === 0 ? '—' : (
        <ul className="problems wrap">
          {failed.slice(0, 5).map((f, i) => <li key={i}>{f.subject ? <strong>{f.subject}: </strong> : null}{f.detail}</li>)}
          {failed.length > 5 && <li>{s.more(failed.length - 5)}</li>}
        </ul>
      ),
    ];
  });
  return <Table testId="selftest-checks" head={[s.check, s.result, s.problems]} rows={rows} />;
}

export function SyncReportSection() {
  const s = useS();
  const { lang, t } = useT();
  const report = usePoll(() => call('sync.report', {}), 30_000);
  const r = report.data;
  return (
    <Section title={s.reportTitle} actions={<Button onClick={report.reload}>{t.common.refresh}</Button>}>
      <ErrorNote error={report.error} />
      {r && (r.last === null ? <p className="muted">{s.reportNone}</p> : <Report report={r} lang={lang} />)}
    </Section>
  );
}

function Report(props: { report: SyncReport; lang: 'ru' | 'en' }) {
  const s = useS();
  const { last, differences: d } = props.report;
  const lang = props.lang;
  if (!last) return null;
  const value = (n: number | null, diff: number | null | undefined) => (
    <>
      {n === null ? s.unknownCount : number(n, lang)}
      {d && diff !== null && diff !== undefined && diff !== 0 && <span className="muted"> ({diff > 0 ? '+' : ''}{number(diff, lang)} {s.vsPrevious})</span>}
    </>
  );
  return (
    <div data-testid="sync-report">
      <p className="small">{s.lastScan(dateTime(last.at, lang))}</p>
      <Facts rows={[
        [s.counts.subscribers, value(last.subscribers, d?.subscribers)],
        [s.counts.contracts, value(last.contracts, d?.contracts)],
        [s.counts.tariffs, value(last.tariffs, d?.tariffs)],
        [s.counts.services, value(last.services, d?.services)],
      ]} />
      <h3 className="sub">{s.problemsTitle}</h3>
      <p className="muted">{s.problemsExplain}</p>
      {props.report.problems.length === 0 ? <p className="ok-text">{s.noProblems}</p> : (
        <Table testId="sync-problems" head={[s.kind, s.count, s.ids]} rows={props.report.problems.map((p) => [
          s.kinds[p.kind] ?? p.kind,
          number(p.count, lang),
          <span className="wrap mono">
            {p.items.map((i) => (i.contractId ? `${i.userId} (${i.contractId})` : i.userId)).join(', ')}
            {p.count > p.items.length ? ` … ${s.more(p.count - p.items.length)}` : ''}
          </span>,
        ])} />
      )}
    </div>
  );
}
