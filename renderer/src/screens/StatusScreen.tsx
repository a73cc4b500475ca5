// Status at a glance: what needs attention first, then billing, core, sync, the last scan, the
// queue and the last error; dead letters with re-send below.
import { call } from '../api.ts';
import type { SyncStatus } from '../contract.ts';
import { age, dateTime, duration, number, relative } from '../format.ts';
import { useAction, useNow, usePoll } from '../hooks.ts';
import { scanSummary, useT } from '../i18n.ts';
import { Badge, Button, Card, CheckItems, ErrorNote, Facts, Notice } from '../ui.tsx';
import { DeadLetters } from './DeadLetters.tsx';
import { Lockouts } from './Lockouts.tsx';

const POLL_MS = 3_000;

/** States the badge says all about; the others carry the agent's reason in their message. */
export const QUIET_STATES = new Set<SyncStatus['delivery']['state']>(['idle', 'delivering', 'paused']);

export function StatusScreen() {
  const { t } = useT();
  const status = usePoll(() => call('sync.status', {}), POLL_MS);
  const s = status.data;
  return (
    <div className="screen" data-testid="status-screen">
      <h1>{t.status.title}</h1>
      <ErrorNote error={status.error} prefix={t.common.notUpdated} />
      {s === null ? (
        !status.error && <p className="muted">{t.common.loading}</p>
      ) : (
        <>
          <Problems problems={s.problems} />
          <div className="cards">
            <BillingCard billing={s.billing} />
            <CoreCard status={s} />
            <SyncCard status={s} />
            <ScanCard status={s} />
            <QueueCard status={s} />
            <LastErrorCard status={s} />
          </div>
          <DeadLetters count={s.outbox.deadLetters} onChanged={status.reload} />
          <Lockouts />
        </>
      )}
    </div>
  );
}

function Problems(props: { problems: string[] }) {
  const { t } = useT();
  if (props.problems.length === 0) return <Notice tone="ok" title={t.status.allWell} testId="problems" />;
  return (
    <Notice tone="warn" title={t.status.problems} testId="problems">
      <ul className="problems">
        {props.problems.map((p) => <li key={p}>{p}</li>)}
      </ul>
    </Notice>
  );
}

function BillingCard(props: { billing: SyncStatus['billing'] }) {
  const { t } = useT();
  // The check reads the billing, so it runs on opening and on request, not with every poll.
  const check = usePoll(() => call('billing.check', {}), 60_000);
  const items = check.data;
  const ok = items !== null && items.every((i) => i.ok);
  return (
    <Card title={t.status.billing} tone={items === null ? undefined : ok ? 'ok' : 'error'} testId="billing-card">
      <Facts rows={[
        [t.status.billingKind, t.billingKinds[props.billing.kind as keyof typeof t.billingKinds] ?? props.billing.kind],
        [t.status.reachable, items === null ? (check.error ? <Badge tone="error">{t.common.fail}</Badge> : '…') : <Badge tone={ok ? 'ok' : 'error'}>{ok ? t.common.yes : t.common.no}</Badge>],
        [t.status.billingCalls, t.status.billingCallsValue(props.billing.callsPerMinute.scan, props.billing.callsPerMinute.request)],
      ]} />
      {items && !ok && <CheckItems items={items.filter((i) => !i.ok)} />}
      <ErrorNote error={check.error} />
      <Button onClick={check.reload}>{t.status.checkAgain}</Button>
    </Card>
  );
}

function CoreCard(props: { status: SyncStatus }) {
  const { t, lang } = useT();
  const now = useNow();
  const test = useAction(() => call('core.test', {}));
  const { core, delivery } = props.status;
  const tone = !core.configured ? 'warn' : delivery.state === 'retrying' || delivery.state === 'refused' ? 'error' : 'ok';
  return (
    <Card title={t.status.core} tone={tone} testId="core-card">
      <Facts rows={[
        [t.status.coreAddress, core.baseUrl || <em>{t.status.notSet}</em>],
        [t.status.delivery, <Badge tone={tone}>{t.deliveryStates[delivery.state]}</Badge>],
        [t.status.lastDelivered, delivery.lastDeliveredAt ? <span title={dateTime(delivery.lastDeliveredAt, lang)}>{relative(delivery.lastDeliveredAt, lang, now)}</span> : t.status.never],
      ]} />
      {QUIET_STATES.has(delivery.state) || <p className="small">{delivery.message}</p>}
      <Button onClick={() => void test.run()} busy={test.busy}>{t.status.testCore}</Button>
      {test.result && <CheckItems items={test.result} testId="core-test" />}
      <ErrorNote error={test.error} />
    </Card>
  );
}

function SyncCard(props: { status: SyncStatus }) {
  const { t, lang } = useT();
  const now = useNow();
  const s = props.status;
  return (
    <Card title={t.status.sync} tone={s.enabled ? 'ok' : 'warn'} testId="sync-card">
      <Facts rows={[
        [t.status.syncState, <Badge tone={s.enabled ? 'ok' : 'warn'}>{s.enabled ? t.sync.on : t.sync.paused}</Badge>],
        [t.status.interval, age(s.intervalSeconds, lang)],
        [t.status.nextScan, s.scan.running ? t.status.scanRunning(s.scan.progress ?? 0) : s.scan.nextAt ? relative(s.scan.nextAt, lang, now) : '—'],
      ]} />
      <a href="#/sync">{t.status.manageSync}</a>
    </Card>
  );
}

function ScanCard(props: { status: SyncStatus }) {
  const { t, lang } = useT();
  const now = useNow();
  const last = props.status.scan.last;
  if (last === null) {
    return <Card title={t.status.lastScan} testId="scan-card"><p className="muted">{t.status.noScanYet}</p></Card>;
  }
  const c = last.changes;
  return (
    <Card title={t.status.lastScan} tone={last.ok ? 'ok' : 'error'} testId="scan-card">
      <Facts rows={[
        [t.status.when, <span title={dateTime(last.finishedAt, lang)}>{relative(last.finishedAt, lang, now)}</span>],
        [t.status.took, duration(last.durationMs, lang)],
        [t.status.subscribers, number(last.subscribers, lang)],
        [t.status.changes, c.total === 0 ? t.status.noChanges : t.status.changesDetail(c.total, c.users, c.contracts, c.charges)],
        [t.status.callbacksQueued, number(last.callbacks, lang)],
      ]} />
      <p className="small">{scanSummary(last, t)}</p>
    </Card>
  );
}

function QueueCard(props: { status: SyncStatus }) {
  const { t, lang } = useT();
  const { outbox, counters } = props.status;
  const sent = counters.contract.sent + counters.charge.sent;
  const failed = counters.contract.failed + counters.charge.failed;
  return (
    <Card title={t.status.queue} tone={outbox.deadLetters > 0 ? 'error' : outbox.pending > 0 ? 'warn' : 'ok'} testId="queue-card">
      <Facts rows={[
        [t.status.pending, number(outbox.pending, lang)],
        [t.status.oldestPending, outbox.oldestPendingAgeSeconds === null ? '—' : age(outbox.oldestPendingAgeSeconds, lang)],
        [t.status.deadLetters, number(outbox.deadLetters, lang)],
        [t.status.sentFailed, `${number(sent, lang)} / ${number(failed, lang)}`],
      ]} />
    </Card>
  );
}

function LastErrorCard(props: { status: SyncStatus }) {
  const { t, lang } = useT();
  const e = props.status.delivery.lastError;
  return (
    <Card title={t.status.lastError} tone={e ? 'error' : undefined} testId="last-error-card">
      {e === null ? <p className="muted">{t.status.noErrors}</p> : (
        <>
          <Facts rows={[
            [t.status.when, dateTime(e.at, lang)],
            [t.status.what, e.target],
            [t.common.httpStatus, e.httpStatus ?? '—'],
          ]} />
          <p className="small">{e.reason}</p>
        </>
      )}
    </Card>
  );
}
