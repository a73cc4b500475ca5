// The few building blocks every screen uses: sections, notices, errors, check results, a
// two-step confirmation and labelled fields.
import { useId, useState, type ReactNode } from 'react';
import type { CheckItem } from './contract.ts';
import { errorText, useT } from './i18n.ts';

export function Section(props: { title: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`section ${props.className ?? ''}`}>
      <header className="section-head">
        <h2>{props.title}</h2>
        {props.actions && <div className="section-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export type Tone = 'ok' | 'warn' | 'error' | 'info';

export function Notice(props: { tone: Tone; title?: string; children?: ReactNode; testId?: string }) {
  return (
    <div className={`notice notice-${props.tone}`} role={props.tone === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.title && <strong className="notice-title">{props.title}</strong>}
      {props.children}
    </div>
  );
}

/** A failure in plain words; nothing when there is none. */
export function ErrorNote(props: { error: unknown; prefix?: string }) {
  const { t } = useT();
  if (props.error === null || props.error === undefined) return null;
  return (
    <p className="error-note" role="alert">
      {props.prefix && <strong>{props.prefix} </strong>}
      {errorText(props.error, t)}
    </p>
  );
}

export function Badge(props: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${props.tone}`}>{props.children}</span>;
}

export function CheckItems(props: { items: CheckItem[]; testId?: string }) {
  const { t } = useT();
  return (
    <ul className="checks" data-testid={props.testId}>
      {props.items.map((item, i) => (
        <li key={`${item.name}-${i}`} className={item.ok ? 'check-ok' : 'check-fail'}>
          <span className="check-mark" aria-hidden>{item.ok ? '✓' : '✗'}</span>
          <span className="sr-only">{item.ok ? t.common.ok : t.common.fail}</span>
          <strong>{item.name}</strong>: {item.detail}
        </li>
      ))}
    </ul>
  );
}

export function Button(props: {
  children: ReactNode;
  onClick?: () => void;
  busy?: boolean;
  disabled?: boolean;
  kind?: 'primary' | 'danger' | 'plain' | 'link';
  type?: 'button' | 'submit';
  title?: string;
}) {
  return (
    <button
      type={props.type ?? 'button'}
      className={`btn btn-${props.kind ?? 'plain'}`}
      onClick={props.onClick}
      disabled={props.disabled || props.busy}
      aria-busy={props.busy || undefined}
      title={props.title}
    >
      {props.children}
      {props.busy && <span className="spinner" aria-hidden />}
    </button>
  );
}

/** A button that asks once more, in place, before doing something big. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  disabled?: boolean;
  kind?: 'primary' | 'danger' | 'plain';
}) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  if (!asking) return <Button kind={props.kind} busy={props.busy} disabled={props.disabled} onClick={() => setAsking(true)}>{props.label}</Button>;
  return (
    <div className="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <Button kind="danger" onClick={() => { setAsking(false); props.onConfirm(); }}>{props.confirmLabel}</Button>
      <Button onClick={() => setAsking(false)}>{t.common.cancel}</Button>
    </div>
  );
}

/** A label, its control, a hint and the field's own error. */
export function Field(props: { label: string; hint?: ReactNode; error?: string | null; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={`field ${props.error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <div className="hint">{props.hint}</div>}
      {props.error && <div className="field-error" role="alert">{props.error}</div>}
    </div>
  );
}

/** Label-value pairs of a status card. */
export function Facts(props: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="facts">
      {props.rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Card(props: { title: string; tone?: Tone; children: ReactNode; testId?: string }) {
  return (
    <div className={`card ${props.tone ? `card-${props.tone}` : ''}`} data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.children}
    </div>
  );
}
