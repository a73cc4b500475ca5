// Settings: billing, core, sync interval, phone format, secrets; tests for billing and core.
import { call } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { Button, ErrorNote, Section } from '../ui.tsx';
import { SecretsPanel } from './SecretsPanel.tsx';
import { CarbonFieldMap } from './CarbonFieldMap.tsx';
import { BillingForm, CoreForm, IntervalForm, PhoneForm, TestButton } from './SettingsForms.tsx';

export function SettingsScreen() {
  const { t } = useT();
  const view = usePoll(() => call('settings.get', {}), null);
  const initial = view.data?.settings ?? null;
  return (
    <div className="screen" data-testid="settings-screen">
      <h1>{t.settings.title}</h1>
      <ErrorNote error={view.error} />
      {view.data && initial && (
        <>
          <p className="muted small">{t.settings.file(view.data.file)}</p>
          <div className="two-columns">
            <Section title={t.settings.billingTitle}>
              <BillingForm initial={initial} />
              <TestButton op="billing.check" label={t.settings.testBilling} />
              <p className="hint">{t.settings.testBillingHint}</p>
            </Section>
            {initial.billing.kind === 'carbon' && (
              <Section title={t.settings.fieldMapTitle} className="section-wide">
                <CarbonFieldMap />
              </Section>
            )}
            <Section title={t.settings.coreTitle}>
              <CoreForm initial={initial} />
              <TestButton op="core.test" label={t.settings.testCore} />
            </Section>
            <Section title={t.settings.syncTitle}>
              <IntervalForm initial={initial} />
            </Section>
            <Section title={t.settings.phonesTitle}>
              <PhoneForm initial={initial} />
            </Section>
          </div>
          <SecretsPanel />
          <Section title={t.wizard.title}>
            <p className="muted">{t.settings.wizardExplain}</p>
            <Button onClick={() => navigate('setup')}>{t.settings.openWizard}</Button>
          </Section>
        </>
      )}
    </div>
  );
}
