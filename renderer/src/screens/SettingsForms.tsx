// The settings forms, shared by the settings screen and the first-run wizard. Each saves its own
// part through settings.update and shows the agent's answer (or its 400 message) beside it.
import { useState, type FormEvent, type ReactNode } from 'react';
import { call } from '../api.ts';
import type { AdminOutput, Settings, SettingsPatch } from '../contract.ts';
import { useAction } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Button, CheckItems, ErrorNote, Field, Notice } from '../ui.tsx';

type Updated = AdminOutput<'settings.update'>;
type BillingKind = Settings['billing']['kind'];
type PhoneFormat = Settings['phones']['format'];

export interface FormProps {
  /** The running settings, as settings.get answers them (every default filled in by the agent). */
  initial: Settings;
  onSaved?: (settings: Settings) => void;
  /** The wizard's own buttons replace the form's save button. */
  submitLabel?: string;
  extraActions?: ReactNode;
}

function useSave(onSaved?: (settings: Settings) => void) {
  return useAction(async (patch: SettingsPatch) => {
    const updated = await call('settings.update', { patch });
    onSaved?.(updated.settings);
    return updated;
  });
}

function Saved(props: { updated: Updated | null }) {
  const { t } = useT();
  if (!props.updated) return null;
  if (props.updated.restartNeeded.length === 0) return <Notice tone="ok" testId="saved">{t.settings.savedApplied}</Notice>;
  return <Notice tone="warn" title={t.settings.savedRestart} testId="saved">{t.settings.restartFields(props.updated.restartNeeded.join(', '))}</Notice>;
}

function Form(props: { onSubmit: () => void; children: ReactNode; busy: boolean; submitLabel?: string; extraActions?: ReactNode; disabled?: boolean }) {
  const { t } = useT();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      {props.children}
      <div className="button-row">
        <Button type="submit" kind="primary" busy={props.busy} disabled={props.disabled}>{props.submitLabel ?? t.common.save}</Button>
        {props.extraActions}
      </div>
    </form>
  );
}

/** Runs billing.check or core.test and lists each check with ok / fail. */
export function TestButton(props: { op: 'billing.check' | 'core.test'; label: string; before?: () => Promise<unknown> }) {
  const test = useAction(async () => {
    await props.before?.();
    return call(props.op, {});
  });
  return (
    <div className="test">
      <Button onClick={() => void test.run()} busy={test.busy}>{props.label}</Button>
      {test.result && <CheckItems items={test.result} testId={`${props.op}-result`} />}
      <ErrorNote error={test.error} />
    </div>
  );
}

const whole = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);

export function BillingForm(props: FormProps) {
  const { t } = useT();
  const { billing } = props.initial;
  const [kind, setKind] = useState<BillingKind>(billing.kind);
  const [url, setUrl] = useState(billing.carbon.url);
  const [timeout, setTimeoutText] = useState(String(Math.round(billing.carbon.timeoutMs / 1000)));
  const save = useSave(props.onSaved);
  const seconds = whole(timeout);
  const draft = (): NonNullable<SettingsPatch['billing']> => (kind === 'carbon' && seconds !== null
    ? { kind, carbon: { url: url.trim(), timeoutMs: seconds * 1000 } }
    : { kind });
  // Tests what is in the form before it is saved, without touching the running billing.
  const test = useAction(() => call('billing.test', { billing: draft() }));
  const submit = () => {
    if (kind === 'carbon' && seconds === null) return;
    void save.run({ billing: draft() });
  };
  return (
    <Form onSubmit={submit} busy={save.busy} submitLabel={props.submitLabel} extraActions={props.extraActions}>
      <fieldset className="choices">
        <legend>{t.settings.billingKind}</legend>
        {(['demo', 'carbon'] as const).map((k) => (
          <label key={k} className="choice">
            <input type="radio" name="billing-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span><strong>{t.billingKinds[k]}</strong> <span className="muted">{t.settings.billingKindHint[k]}</span></span>
          </label>
        ))}
      </fieldset>
      {kind === 'carbon' && (
        <>
          <Field label={t.settings.carbonUrl} hint={t.settings.carbonUrlHint}>
            {(id) => <input id={id} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://10.0.0.5:8082" spellCheck={false} />}
          </Field>
          <Field label={t.settings.carbonTimeout} error={seconds === null ? t.settings.wholeNumber : null}>
            {(id) => <input id={id} value={timeout} onChange={(e) => setTimeoutText(e.target.value)} inputMode="numeric" className="short" />}
          </Field>
          <p className="hint">{t.settings.billingPasswordHint}</p>
        </>
      )}
      <div className="test">
        <Button onClick={() => void test.run()} busy={test.busy} disabled={kind === 'carbon' && seconds === null}>{t.settings.testDraft}</Button>
        {test.result && <CheckItems items={test.result} testId="billing.test-result" />}
        <ErrorNote error={test.error} />
      </div>
      <Saved updated={save.result} />
      <ErrorNote error={save.error} />
    </Form>
  );
}

export function CoreForm(props: FormProps & { withPassword?: boolean; passwordSet?: boolean }) {
  const { t } = useT();
  const [baseUrl, setBaseUrl] = useState(props.initial.core.baseUrl);
  const [login, setLogin] = useState(props.initial.core.login);
  const [password, setPassword] = useState('');
  const save = useSave(props.onSaved);
  // The password goes to the secret store, never into the settings file.
  const secret = useAction(async (value: string) => {
    const status = await call('secrets.set', { name: 'core-password', value });
    setPassword('');
    return status;
  });
  const submit = async () => {
    const updated = await save.run({ core: { baseUrl: baseUrl.trim(), login: login.trim() } });
    if (updated && props.withPassword && password !== '') await secret.run(password);
  };
  return (
    <Form onSubmit={() => void submit()} busy={save.busy || secret.busy} submitLabel={props.submitLabel} extraActions={props.extraActions}>
      <Field label={t.settings.coreUrl} hint={t.settings.coreUrlHint}>
        {(id) => <input id={id} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://core.example.com" spellCheck={false} />}
      </Field>
      <Field label={t.settings.coreLogin}>
        {(id) => <input id={id} value={login} onChange={(e) => setLogin(e.target.value)} autoComplete="off" spellCheck={false} />}
      </Field>
      {props.withPassword && (
        <Field label={t.settings.corePassword} hint={props.passwordSet || secret.result ? t.settings.passwordKeep : t.settings.passwordNew}>
          {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />}
        </Field>
      )}
      <Saved updated={save.result} />
      {secret.result && <Notice tone="ok">{t.settings.passwordStored}</Notice>}
      <ErrorNote error={save.error} />
      <ErrorNote error={secret.error} prefix={t.settings.passwordNotStored} />
    </Form>
  );
}

export function IntervalForm(props: FormProps) {
  const { t } = useT();
  const [interval, setIntervalText] = useState(String(props.initial.sync.intervalSeconds));
  const save = useSave(props.onSaved);
  const seconds = whole(interval);
  return (
    <Form onSubmit={() => seconds !== null && void save.run({ sync: { intervalSeconds: seconds } })} busy={save.busy} submitLabel={props.submitLabel}>
      <Field label={t.settings.interval} hint={t.settings.intervalHint} error={seconds === null ? t.settings.wholeNumber : null}>
        {(id) => <input id={id} value={interval} onChange={(e) => setIntervalText(e.target.value)} inputMode="numeric" className="short" />}
      </Field>
      <Saved updated={save.result} />
      <ErrorNote error={save.error} />
    </Form>
  );
}

export function PhoneForm(props: FormProps) {
  const { t } = useT();
  const [format, setFormat] = useState<PhoneFormat>(props.initial.phones.format);
  const save = useSave(props.onSaved);
  return (
    <Form onSubmit={() => void save.run({ phones: { format } })} busy={save.busy} submitLabel={props.submitLabel} extraActions={props.extraActions}>
      <fieldset className="choices">
        <legend>{t.settings.phoneFormat}</legend>
        {(['national', 'international'] as const).map((f) => (
          <label key={f} className="choice">
            <input type="radio" name="phone-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
            <span><strong>{t.settings.phoneFormats[f]}</strong> <span className="mono muted">{f === 'national' ? '9090833414' : '79090833414'}</span></span>
          </label>
        ))}
      </fieldset>
      <Saved updated={save.result} />
      <ErrorNote error={save.error} />
    </Form>
  );
}
