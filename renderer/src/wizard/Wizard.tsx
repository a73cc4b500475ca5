// The first-run wizard: billing, core, allowlist, phone format. Each step saves through the same
// operations as the screens; every step can be skipped, and so can the whole wizard.
import { useState, type ReactNode } from 'react';
import { call } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import type { Settings } from '../contract.ts';
import { LiveAllowlistEditor } from '../screens/AllowlistEditor.tsx';
import { BillingForm, CoreForm, PhoneForm, TestButton } from '../screens/SettingsForms.tsx';
import { Button, ErrorNote, Facts, Notice } from '../ui.tsx';

const DISMISSED_KEY = 'billing-bridge.wizard-dismissed';

/** Once finished or skipped, the wizard does not open by itself again (Settings can open it). */
export const wizardDismissed = (): boolean => localStorage.getItem(DISMISSED_KEY) === '1';

const FORM_STEPS = ['billing', 'core', 'allowlist', 'phones'] as const;
const STEPS = [...FORM_STEPS, 'done'] as const;
type Step = (typeof STEPS)[number];

export function Wizard(props: { onClose: () => void }) {
  const { t } = useT();
  const [index, setIndex] = useState(0);
  const [saved, setSaved] = useState<Set<Step>>(() => new Set());
  const view = usePoll(() => call('settings.get', {}), null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const current = settings ?? view.data?.settings ?? null;
  const step = STEPS[index] ?? 'done';

  const close = () => {
    localStorage.setItem(DISMISSED_KEY, '1');
    props.onClose();
  };
  const markSaved = (s: Step) => (next?: Settings) => {
    if (next) setSettings(next);
    setSaved((old) => new Set(old).add(s));
  };
  const go = (delta: number) => setIndex((i) => Math.min(STEPS.length - 1, Math.max(0, i + delta)));

  return (
    <div className="wizard" data-testid="wizard">
      <header className="wizard-head">
        <div>
          <h1>{t.wizard.title}</h1>
          {step !== 'done' && <p className="muted">{t.wizard.stepOf(index + 1, FORM_STEPS.length)}</p>}
        </div>
        {step !== 'done' && <Button kind="link" onClick={close}>{t.wizard.skipAll}</Button>}
      </header>
      <ol className="wizard-steps" aria-hidden>
        {FORM_STEPS.map((s, i) => <li key={s} className={i === index ? 'active' : i < index ? 'past' : ''}>{t.wizard.steps[s]}</li>)}
      </ol>
      <ErrorNote error={view.error} />
      {current && (
        <div className="wizard-body">
          {step === 'billing' && (
            <StepBody title={t.wizard.billingTitle} explain={t.wizard.billingExplain}>
              <BillingForm initial={current} onSaved={markSaved('billing')} />
              <TestButton op="billing.check" label={t.settings.testBilling} />
              <p className="hint">{t.settings.testBillingHint}</p>
            </StepBody>
          )}
          {step === 'core' && <CoreStep initial={current} onSaved={markSaved('core')} />}
          {step === 'allowlist' && <AllowlistStep coreUrl={current.core.baseUrl} onSaved={() => markSaved('allowlist')()} />}
          {step === 'phones' && (
            <StepBody title={t.wizard.phonesTitle} explain={t.wizard.phonesExplain}>
              <PhoneForm initial={current} onSaved={markSaved('phones')} />
            </StepBody>
          )}
          {step === 'done' && <Done onClose={close} />}
        </div>
      )}
      {step !== 'done' && (
        <nav className="wizard-nav">
          <Button onClick={() => go(-1)} disabled={index === 0}>{t.wizard.back}</Button>
          {saved.has(step)
            ? <Button kind="primary" onClick={() => go(1)}>{t.wizard.next}</Button>
            : <Button onClick={() => go(1)}>{t.wizard.skipStep}</Button>}
        </nav>
      )}
    </div>
  );
}

function StepBody(props: { title: string; explain: string; children: ReactNode }) {
  return (
    <section className="wizard-step">
      <h2>{props.title}</h2>
      <p className="muted">{props.explain}</p>
      {props.children}
    </section>
  );
}

function CoreStep(props: { initial: Settings; onSaved: (next?: Settings) => void }) {
  const { t } = useT();
  const setup = usePoll(() => call('setup.state', {}), null);
  return (
    <StepBody title={t.wizard.coreTitle} explain={t.wizard.coreExplain}>
      {setup.data && <CoreForm initial={props.initial} withPassword passwordSet={setup.data.core.passwordSet} onSaved={props.onSaved} />}
      <ErrorNote error={setup.error} />
      <TestButton op="core.test" label={t.settings.testCore} />
      <p className="hint">{t.wizard.saveBeforeTest}</p>
    </StepBody>
  );
}

/** core.baseUrl's host when it is an IP address: core often calls from the address it answers on. */
function coreAddress(url: string): string[] {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return /^[\d.]+$/.test(host) || host.includes(':') ? [host] : [];
  } catch {
    return [];
  }
}

function AllowlistStep(props: { coreUrl: string; onSaved: () => void }) {
  const { t } = useT();
  return (
    <StepBody title={t.wizard.allowlistTitle} explain={t.wizard.allowlistExplain}>
      <LiveAllowlistEditor suggestions={coreAddress(props.coreUrl)} onSaved={props.onSaved} />
    </StepBody>
  );
}

function Done(props: { onClose: () => void }) {
  const { t } = useT();
  const setup = usePoll(() => call('setup.state', {}), null);
  const s = setup.data;
  return (
    <section className="wizard-step" data-testid="wizard-done">
      <h2>{t.wizard.doneTitle}</h2>
      <ErrorNote error={setup.error} />
      {s && (
        <Facts rows={[
          [t.status.billing, t.billingKinds[s.billing.kind as keyof typeof t.billingKinds] ?? s.billing.kind],
          [t.status.core, s.core.configured ? t.common.yes : t.wizard.notYet],
          [t.settings.corePassword, s.core.passwordSet ? t.common.yes : t.wizard.notYet],
          [t.allowlist.title, s.allowlistIsDefault ? t.wizard.allowlistStillDefault : t.common.yes],
          [t.settings.phoneFormat, t.settings.phoneFormats[s.phoneFormat as 'national' | 'international'] ?? s.phoneFormat],
        ]} />
      )}
      {s?.needed && <Notice tone="warn">{t.wizard.stillNeeded}</Notice>}
      <Button kind="primary" onClick={props.onClose}>{t.wizard.finish}</Button>
    </section>
  );
}
