// Manual callbacks: tell core to re-read a contract, a user's contracts or a user's charges, and
// see what core answered. Results stay listed for this session; the agent's recent deliveries below.
import { useState, type FormEvent, type ReactNode } from 'react';
import { call } from '../api.ts';
import type { CallbackResult } from '../contract.ts';
import { dateTime, duration, timeOnly } from '../format.ts';
import { useAction, usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Badge, Button, ErrorNote, Facts, Field, Section, type Tone } from '../ui.tsx';

export type Target = 'contract' | 'user' | 'charge';

export interface SentCallback {
  at: string;
  target: Target;
  id: string;
  result: CallbackResult;
}

const OUTCOME_TONE: Record<CallbackResult['outcome'], Tone> = { delivered: 'ok', failed: 'error', queued: 'warn', pending: 'warn' };

export function CallbacksScreen(props: { sent: SentCallback[]; onSent: (entry: SentCallback) => void }) {
  const { t } = useT();
  return (
    <div className="screen" data-testid="callbacks-screen">
      <h1>{t.callbacks.title}</h1>
      <p className="muted">{t.callbacks.explain}</p>
      <SendForm onSent={props.onSent} />
      {props.sent.length > 0 && (
        <Section title={t.callbacks.sessionTitle}>
          <ul className="results" data-testid="callback-results">
            {props.sent.map((entry) => <ResultItem key={`${entry.at}-${entry.result.outboxId}`} entry={entry} />)}
          </ul>
        </Section>
      )}
      <RecentDeliveries sentCount={props.sent.length} />
    </div>
  );
}

function SendForm(props: { onSent: (entry: SentCallback) => void }) {
  const { t } = useT();
  const [target, setTarget] = useState<Target>('contract');
  const [id, setId] = useState('');
  const send = useAction(async () => {
    const result = await call('callback.send', { target, id: id.trim(), waitSeconds: 5 });
    props.onSent({ at: new Date().toISOString(), target, id: id.trim(), result });
    return result;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim() !== '') void send.run();
  };
  return (
    <Section title={t.callbacks.formTitle}>
      <form className="form-row labelled" onSubmit={submit}>
        <Field label={t.callbacks.what}>
          {(fid) => (
            <select id={fid} value={target} onChange={(e) => setTarget(e.target.value as Target)}>
              {(['contract', 'user', 'charge'] as const).map((k) => <option key={k} value={k}>{t.callbacks.targets[k]}</option>)}
            </select>
          )}
        </Field>
        <Field label={target === 'contract' ? t.callbacks.contractId : t.callbacks.userId} hint={target === 'contract' ? t.callbacks.contractHint : t.callbacks.userHint}>
          {(fid) => <input id={fid} value={id} onChange={(e) => setId(e.target.value)} inputMode="numeric" autoComplete="off" maxLength={128} />}
        </Field>
        <div className="form-actions">
          <Button type="submit" kind="primary" busy={send.busy} disabled={id.trim() === ''}>{t.callbacks.send}</Button>
        </div>
      </form>
      {send.busy && <p className="muted">{t.callbacks.waiting}</p>}
      <ErrorNote error={send.error} />
    </Section>
  );
}

function ResultItem(props: { entry: SentCallback }) {
  const { t, lang } = useT();
  const { result } = props.entry;
  return (
    <li className={`result result-${result.outcome}`} data-testid="callback-result">
      <div className="result-head">
        <Badge tone={OUTCOME_TONE[result.outcome]}>{t.callbacks.outcomes[result.outcome]}</Badge>
        <strong>{result.target}</strong>
        <span className="muted">{timeOnly(props.entry.at, lang)}</span>
      </div>
      <Facts rows={[
        [t.common.httpStatus, result.httpStatus ?? '—'],
        ...(result.reason ? [[t.callbacks.reason, <span data-testid="callback-reason">{result.reason}</span>] as [string, ReactNode]] : []),
        ...(result.nextAttemptAt ? [[t.callbacks.nextAttempt, dateTime(result.nextAttemptAt, lang)] as [string, ReactNode]] : []),
      ]} />
      {result.deadLettered && <p className="warn-text">{t.callbacks.deadLettered}</p>}
      {/* Why it was not tried (paused, core not set up) or is still open: only the agent's words say it. */}
      {(result.outcome === 'queued' || result.outcome === 'pending') && <p className="small">{result.message}</p>}
      {result.note && <p className="warn-text">{result.note}</p>}
    </li>
  );
}

function RecentDeliveries(props: { sentCount: number }) {
  const { t, lang } = useT();
  // Read again after each manual send, besides every few seconds.
  const recent = usePoll(() => call('deliveries.recent', { limit: 20 }), 5_000, [props.sentCount]);
  return (
    <Section title={t.callbacks.recentTitle} actions={<Button onClick={recent.reload}>{t.common.refresh}</Button>}>
      <ErrorNote error={recent.error} />
      {recent.data && recent.data.length === 0 && <p className="muted">{t.callbacks.noDeliveries}</p>}
      {recent.data && recent.data.length > 0 && (
        <table className="table" data-testid="recent-deliveries">
          <thead>
            <tr><th>{t.callbacks.time}</th><th>{t.dead.what}</th><th>{t.callbacks.attempt}</th><th>{t.callbacks.result}</th><th>{t.common.httpStatus}</th><th>{t.callbacks.took}</th></tr>
          </thead>
          <tbody>
            {recent.data.map((d) => (
              <tr key={`${d.outboxId}-${d.attempt}-${d.at}`}>
                <td>{timeOnly(d.at, lang)}</td>
                <td>{d.target}</td>
                <td>{d.attempt}</td>
                <td className="wrap">{d.ok ? <Badge tone="ok">{t.callbacks.accepted}</Badge> : <><Badge tone="error">{t.callbacks.refused}</Badge> {d.error}</>}</td>
                <td>{d.httpStatus ?? '—'}</td>
                <td>{duration(d.durationMs, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
