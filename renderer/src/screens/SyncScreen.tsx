// The sync switch: pause and resume, a scan now, and "re-send everything" behind a confirmation.
import { call } from '../api.ts';
import type { ScanReport } from '../contract.ts';
import { dateTime, duration, number } from '../format.ts';
import { useAction, usePoll } from '../hooks.ts';
import { scanSummary, useT } from '../i18n.ts';
import { Button, ConfirmButton, ErrorNote, Facts, Notice, Section } from '../ui.tsx';
import { QUIET_STATES } from './StatusScreen.tsx';

export function SyncScreen() {
  const { t } = useT();
  const status = usePoll(() => call('sync.status', {}), 3_000);
  const toggle = useAction(async (on: boolean) => {
    const next = await call(on ? 'sync.resume' : 'sync.pause', {});
    status.setData(next);
    return next;
  });
  const scan = useAction(() => call('sync.scanNow', {}));
  const resendAll = useAction(() => call('sync.resendAll', {}));
  const s = status.data;
  return (
    <div className="screen" data-testid="sync-screen">
      <h1>{t.sync.title}</h1>
      <ErrorNote error={status.error} prefix={t.common.notUpdated} />
      {s && (
        <>
          <Section title={t.sync.switchTitle}>
            <div className={`switch-row ${s.enabled ? 'is-on' : 'is-off'}`}>
              <div>
                <strong className="big" data-testid="sync-state">{s.enabled ? t.sync.on : t.sync.paused}</strong>
                <p className="muted">{s.enabled ? t.sync.onExplain(s.intervalSeconds) : t.sync.pausedExplain}</p>
              </div>
              {s.enabled
                ? <Button kind="plain" onClick={() => void toggle.run(false)} busy={toggle.busy}>{t.sync.pause}</Button>
                : <Button kind="primary" onClick={() => void toggle.run(true)} busy={toggle.busy}>{t.sync.resume}</Button>}
            </div>
            <ErrorNote error={toggle.error} />
            {QUIET_STATES.has(s.delivery.state) || <p className="small">{s.delivery.message}</p>}
          </Section>

          <Section title={t.sync.scanTitle}>
            <p className="muted">{t.sync.scanExplain}</p>
            <Button onClick={() => void scan.run()} busy={scan.busy} disabled={!s.enabled}>{t.sync.scanNow}</Button>
            {!s.enabled && <p className="hint">{t.sync.needsResume}</p>}
            {scan.result && <ScanResult report={scan.result} />}
            <ErrorNote error={scan.error} />
          </Section>

          <Section title={t.sync.resendTitle}>
            <p className="muted">{t.sync.resendExplain}</p>
            <ConfirmButton
              label={t.sync.resendAll}
              question={t.sync.resendQuestion}
              confirmLabel={t.sync.resendConfirm}
              onConfirm={() => void resendAll.run()}
              busy={resendAll.busy}
              disabled={!s.enabled}
            />
            {resendAll.result && <ScanResult report={resendAll.result} />}
            <ErrorNote error={resendAll.error} />
          </Section>
        </>
      )}
    </div>
  );
}

function ScanResult(props: { report: ScanReport }) {
  const { t, lang } = useT();
  const r = props.report;
  return (
    <Notice tone={r.ok ? 'ok' : 'error'} title={scanSummary(r, t)} testId="scan-result">
      <Facts rows={[
        [t.status.when, dateTime(r.finishedAt, lang)],
        [t.status.took, duration(r.durationMs, lang)],
        [t.status.subscribers, number(r.subscribers, lang)],
        [t.status.changes, r.changes.total === 0 ? t.status.noChanges : t.status.changesDetail(r.changes.total, r.changes.users, r.changes.contracts, r.changes.charges)],
        [t.status.callbacksQueued, number(r.callbacks, lang)],
      ]} />
    </Notice>
  );
}
