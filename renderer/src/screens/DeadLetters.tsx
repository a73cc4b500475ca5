// Callbacks core never accepted, with "send again" for one or all of them.
import { call } from '../api.ts';
import { dateTime } from '../format.ts';
import { useAction, usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Button, ConfirmButton, ErrorNote, Notice, Section } from '../ui.tsx';

export function DeadLetters(props: { count: number; onChanged: () => void }) {
  const { t, lang } = useT();
  // Read again whenever the status's count moves.
  const list = usePoll(() => (props.count > 0 ? call('outbox.deadLetters', { limit: 100 }) : Promise.resolve({ total: 0, items: [] })), null, [props.count]);
  const resend = useAction(async (ids: number[] | 'all') => {
    const result = await call('outbox.resend', ids === 'all' ? { all: true } : { ids });
    props.onChanged();
    list.reload();
    return result;
  });
  if (props.count === 0 && !resend.result) return null;
  const items = list.data?.items ?? [];
  return (
    <Section
      title={t.dead.title(props.count)}
      actions={props.count > 0 && (
        <ConfirmButton label={t.dead.resendAll} question={t.dead.resendAllQuestion(props.count)} confirmLabel={t.dead.resendAllConfirm} onConfirm={() => void resend.run('all')} busy={resend.busy} />
      )}
    >
      <p className="muted">{t.dead.explain}</p>
      {resend.result && <Notice tone="info" testId="requeued">{t.dead.requeued(resend.result.requeued)}</Notice>}
      <ErrorNote error={resend.error ?? list.error} />
      {items.length > 0 && (
        <table className="table" data-testid="dead-letters">
          <thead>
            <tr><th>{t.dead.what}</th><th>{t.dead.failedAt}</th><th>{t.dead.attempts}</th><th>{t.common.httpStatus}</th><th>{t.dead.reason}</th><th /></tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td>{d.target}</td>
                <td>{dateTime(d.deadAt, lang)}</td>
                <td>{d.attempts}</td>
                <td>{d.lastHttpStatus ?? '—'}</td>
                <td className="wrap">{d.reason}</td>
                <td><Button onClick={() => void resend.run([d.id])} disabled={resend.busy}>{t.dead.resendOne}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.total > items.length && <p className="muted">{t.dead.more(list.data.total - items.length)}</p>}
    </Section>
  );
}
