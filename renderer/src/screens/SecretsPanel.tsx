// Passwords and tokens: only ever "set" or "not set" and where from; a new value is typed into a
// password field and sent once. Where new values are kept (the OS keychain or the 0600 file) is
// shown, and a refusal (no keychain here) explains the alternatives in the agent's words.
import { useState, type FormEvent } from 'react';
import { call } from '../api.ts';
import type { SecretName, SecretsStatus } from '../contract.ts';
import { useAction, usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Badge, Button, ErrorNote, Notice, Section } from '../ui.tsx';

export function SecretsPanel() {
  const { t } = useT();
  const status = usePoll(() => call('secrets.status', {}), null);
  const s = status.data;
  return (
    <Section title={t.secrets.title}>
      <p className="muted">{t.secrets.explain}</p>
      <ErrorNote error={status.error} />
      {s && (
        <>
          <Notice tone={s.keyring.available ? 'ok' : 'info'} testId="keyring">
            <p>{s.keyring.available ? t.secrets.keyringAvailable : t.secrets.keyringUnavailable(s.keyring.detail)}</p>
            <p>{s.writesTo ? t.secrets.writesTo(t.secrets.sources[s.writesTo as keyof typeof t.secrets.sources] ?? s.writesTo) : t.secrets.noWrites}</p>
          </Notice>
          <ul className="secrets">
            {s.items.map((item) => <SecretRow key={item.name} item={item} onChange={status.setData} />)}
          </ul>
        </>
      )}
    </Section>
  );
}

function SecretRow(props: { item: SecretsStatus['items'][number]; onChange: (status: SecretsStatus) => void }) {
  const { t } = useT();
  const { item } = props;
  const [value, setValue] = useState('');
  const set = useAction(async (name: SecretName, secret: string) => {
    const next = await call('secrets.set', { name, value: secret });
    setValue('');
    props.onChange(next);
    return next;
  });
  const clear = useAction(async (name: SecretName) => {
    const next = await call('secrets.clear', { name });
    props.onChange(next);
    return next;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value !== '') void set.run(item.name, value);
  };
  const source = item.source ? t.secrets.sources[item.source as keyof typeof t.secrets.sources] ?? item.source : null;
  return (
    <li className="secret" data-testid={`secret-${item.name}`}>
      <div className="secret-head">
        <strong>{t.secrets.names[item.name]}</strong>
        {item.set ? <Badge tone="ok">{t.secrets.isSet(source ?? '')}</Badge> : <Badge tone="warn">{t.secrets.notSet}</Badge>}
      </div>
      <form className="form-row" onSubmit={submit}>
        <input type="password" value={value} onChange={(e) => setValue(e.target.value)} aria-label={t.secrets.newValue(t.secrets.names[item.name])} autoComplete="new-password" maxLength={1024} />
        <Button type="submit" busy={set.busy} disabled={value === ''}>{item.set ? t.secrets.replace : t.common.save}</Button>
        {item.set && item.source !== 'environment' && <Button kind="link" onClick={() => void clear.run(item.name)} busy={clear.busy}>{t.secrets.clear}</Button>}
      </form>
      {item.source === 'environment' && <p className="hint">{t.secrets.fromEnvironment}</p>}
      <ErrorNote error={set.error ?? clear.error} />
    </li>
  );
}
