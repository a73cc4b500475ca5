// Password guessing at a glance: logins locked after wrong passwords (with "unlock"), refused
// attempts and how busy the password checks are. Shown only when there is something to see. The
// agent keeps no login as typed: a row shows the login the billing has for its subscriber, or
// says it is nobody's, with its ref.
import { call } from '../api.ts';
import { dateTime } from '../format.ts';
import { useAction, usePoll } from '../hooks.ts';
import { useT, type Lang } from '../i18n.ts';
import { Button, ErrorNote, Section } from '../ui.tsx';

const WORDS: Record<Lang, {
  title: (n: number) => string;
  explain: string;
  login: string;
  user: string;
  nobody: string;
  until: string;
  failures: string;
  refused: string;
  unlock: string;
  summary: (blocked: number, checks: number, cap: number) => string;
}> = {
  ru: {
    title: (n) => `Заблокированные логины: ${n}`,
    explain: 'После нескольких неверных паролей логин временно блокируется: агент отвечает «неверный логин или пароль», не спрашивая биллинг. Разблокируйте, если абонент подтвердил, что это он.',
    login: 'Логин', user: 'Абонент', nobody: 'логин, которого нет ни у кого', until: 'До', failures: 'Неверных паролей', refused: 'Отклонено попыток', unlock: 'Разблокировать',
    summary: (b, c, cap) => `Отклонено попыток с запуска: ${b}. Проверок пароля за минуту: ${c} из ${cap}.`,
  },
  en: {
    title: (n) => `Locked logins: ${n}`,
    explain: 'After a few wrong passwords a login is locked for a while: the agent answers "wrong login or password" without asking the billing. Unlock it once the subscriber has proved who they are.',
    login: 'Login', user: 'Subscriber', nobody: 'a login no subscriber has', until: 'Until', failures: 'Wrong passwords', refused: 'Attempts refused', unlock: 'Unlock',
    summary: (b, c, cap) => `Attempts refused since start: ${b}. Password checks in the last minute: ${c} of ${cap}.`,
  },
};

export function Lockouts() {
  const { lang } = useT();
  const w = WORDS[lang];
  const status = usePoll(() => call('security.status', {}), 5_000);
  const unlock = useAction(async (login: string) => {
    const result = await call('security.unlock', { login });
    status.reload();
    return result;
  });
  const s = status.data;
  if (!s || (s.locked.length === 0 && s.blockedAttempts === 0)) return null;
  return (
    <Section title={w.title(s.locked.length)}>
      <p className="muted">{w.explain}</p>
      <p data-testid="lockout-summary">{w.summary(s.blockedAttempts, s.checksLastMinute, s.checksPerMinute)}</p>
      <ErrorNote error={unlock.error ?? status.error} />
      {s.locked.length > 0 && (
        <table className="table" data-testid="lockouts">
          <thead>
            <tr><th>{w.login}</th><th>{w.user}</th><th>{w.until}</th><th>{w.failures}</th><th>{w.refused}</th><th /></tr>
          </thead>
          <tbody>
            {s.locked.map((l) => (
              <tr key={l.ref}>
                <td>{l.login ?? (l.userId === null ? <span className="muted">{w.nobody}</span> : '—')}</td>
                <td><span>{l.userId ?? ''}</span> <span className="muted" title="ref">{l.ref}</span></td>
                <td>{dateTime(l.lockedUntil, lang)}</td>
                <td>{l.failures}</td>
                <td>{l.blockedAttempts}</td>
                <td><Button onClick={() => void unlock.run(l.ref)} busy={unlock.busy}>{w.unlock}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
