// The allowlist as an editable list: every entry checked by the agent as it is typed, a warning
// when the list would shut out recent clients (core), and recently refused addresses to add in
// one click. Saving such a list needs a second, explicit "save anyway".
import { useEffect, useState } from 'react';
import { call, isConflict } from '../api.ts';
import type { AllowlistView } from '../contract.ts';
import { dateTime, relative } from '../format.ts';
import { useAction, useDebounced, usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Badge, Button, ErrorNote, Notice, Section } from '../ui.tsx';

interface ListCheck {
  /** The list (joined) this answer is about. */
  list: string;
  /** Row index → the agent's message for it. */
  problems: Map<number, string>;
  wouldLockOut: string[];
}

/** Asks the agent about the list a moment after typing stops. */
function useListCheck(rows: string[]): { check: ListCheck | null; error: unknown; fresh: boolean } {
  const joined = rows.join('\n');
  const settled = useDebounced(joined, 300);
  const [check, setCheck] = useState<ListCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let alive = true;
    // Empty rows are dropped on save, so they are not checked; problems map back to row numbers.
    const filled = settled.split('\n').map((entry, row) => ({ entry: entry.trim(), row })).filter((x) => x.entry !== '');
    call('allowlist.check', { entries: filled.map((x) => x.entry) }).then(
      (answer) => {
        if (!alive) return;
        setCheck({
          list: settled,
          problems: new Map(answer.problems.map((p) => [filled[p.index]?.row ?? -1, p.message])),
          wouldLockOut: answer.wouldLockOut,
        });
        setError(null);
      },
      (err: unknown) => alive && setError(err),
    );
    return () => {
      alive = false;
    };
  }, [settled]);
  return { check, error, fresh: check?.list === joined };
}

export function AllowlistEditor(props: {
  view: AllowlistView;
  onSaved: (view: AllowlistView) => void;
  /** Remounted after a save: says so until the next edit. */
  justSaved?: boolean;
  /** Addresses worth offering besides the refused ones (the wizard: core's address). */
  suggestions?: string[];
}) {
  const { t } = useT();
  const [rows, setRows] = useState<string[]>(() => (props.view.entries.length > 0 ? props.view.entries : ['']));
  const [allowAll, setAllowAll] = useState(props.view.allowAll);
  const [conflict, setConflict] = useState<string | null>(null);
  const { check, error: checkError, fresh } = useListCheck(rows);
  const filled = rows.map((r) => r.trim()).filter((r) => r !== '');
  const dirty = filled.join('\n') !== props.view.entries.join('\n') || allowAll !== props.view.allowAll;
  const invalid = fresh && check !== null && check.problems.size > 0;

  const save = useAction(async (confirmLockout: boolean) => {
    setConflict(null);
    try {
      const view = await call('allowlist.set', { entries: filled, allowAll, confirmLockout });
      props.onSaved(view);
      return view;
    } catch (err) {
      if (isConflict(err) && !confirmLockout) {
        setConflict(err.message);
        return null;
      }
      throw err;
    }
  });

  const edit = (next: string[]) => {
    setRows(next);
    setConflict(null);
    save.reset();
  };
  const add = (address: string) => edit([...rows.filter((r) => r.trim() !== ''), address]);

  return (
    <div className="allowlist" data-testid="allowlist-editor">
      <Section title={t.allowlist.entriesTitle}>
        <p className="muted">{t.allowlist.explain}</p>
        <ol className="entries">
          {rows.map((row, i) => {
            const problem = fresh ? check?.problems.get(i) : undefined;
            return (
              <li key={i} className={problem ? 'entry entry-invalid' : 'entry'}>
                <input
                  value={row}
                  onChange={(e) => edit(rows.map((r, j) => (j === i ? e.target.value : r)))}
                  aria-label={t.allowlist.entryLabel(i + 1)}
                  aria-invalid={problem ? true : undefined}
                  placeholder="203.0.113.7"
                  spellCheck={false}
                  autoComplete="off"
                />
                <Button kind="link" onClick={() => edit(rows.length > 1 ? rows.filter((_, j) => j !== i) : [''])}>{t.allowlist.remove}</Button>
                {problem && <div className="field-error" role="alert" data-testid="entry-problem">{problem}</div>}
              </li>
            );
          })}
        </ol>
        <Button onClick={() => edit([...rows, ''])}>{t.allowlist.addEntry}</Button>
        {(props.suggestions ?? []).filter((a) => !filled.includes(a)).map((address) => (
          <p key={address} className="suggestion">
            {t.allowlist.suggestion(address)} <Button onClick={() => add(address)}>{t.allowlist.add}</Button>
          </p>
        ))}
        <label className="check-line">
          <input type="checkbox" checked={allowAll} onChange={(e) => { setAllowAll(e.target.checked); setConflict(null); }} />
          {t.allowlist.allowAll}
        </label>
        {allowAll && <Notice tone="warn">{t.allowlist.allowAllWarning}</Notice>}
        {fresh && check && check.wouldLockOut.length > 0 && !allowAll && (
          <Notice tone="warn" title={t.allowlist.lockoutTitle} testId="lockout-warning">{t.allowlist.lockoutExplain(check.wouldLockOut.join(', '))}</Notice>
        )}
        <ErrorNote error={checkError} />
        {conflict && (
          <Notice tone="error" title={t.allowlist.conflictTitle} testId="lockout-conflict">
            <p>{conflict}</p>
            <div className="button-row">
              <Button kind="danger" onClick={() => void save.run(true)} busy={save.busy}>{t.allowlist.saveAnyway}</Button>
              <Button onClick={() => setConflict(null)}>{t.common.cancel}</Button>
            </div>
          </Notice>
        )}
        <div className="button-row">
          <Button kind="primary" onClick={() => void save.run(false)} busy={save.busy} disabled={!dirty || invalid || (filled.length === 0 && !allowAll)}>{t.common.save}</Button>
          {dirty
            ? <span className="warn-text">{t.common.unsaved}</span>
            : props.justSaved && <span className="ok-text" role="status" data-testid="allowlist-saved">{t.allowlist.saved}</span>}
        </div>
        <ErrorNote error={save.error} />
      </Section>
      <RecentAddresses view={props.view} rows={filled} wouldLockOut={fresh ? check?.wouldLockOut ?? [] : []} onAdd={add} />
    </div>
  );
}

function RecentAddresses(props: { view: AllowlistView; rows: string[]; wouldLockOut: string[]; onAdd: (address: string) => void }) {
  const { t, lang } = useT();
  const { recentRefused, recentClients } = props.view;
  return (
    <>
      <Section title={t.allowlist.refusedTitle}>
        <p className="muted">{t.allowlist.refusedExplain}</p>
        {recentRefused.length === 0 ? <p className="muted">{t.allowlist.noneRefused}</p> : (
          <table className="table" data-testid="recent-refused">
            <thead><tr><th>{t.allowlist.address}</th><th>{t.allowlist.requests}</th><th>{t.allowlist.last}</th><th /></tr></thead>
            <tbody>
              {recentRefused.map((c) => (
                <tr key={c.address}>
                  <td className="mono">{c.address}</td>
                  <td>{c.count}</td>
                  <td title={dateTime(c.lastAt, lang)}>{relative(c.lastAt, lang)}</td>
                  <td>
                    {props.rows.includes(c.address)
                      ? <span className="muted">{t.allowlist.inList}</span>
                      : <Button onClick={() => props.onAdd(c.address)}>{t.allowlist.add}</Button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title={t.allowlist.clientsTitle}>
        <p className="muted">{t.allowlist.clientsExplain}</p>
        {recentClients.length === 0 ? <p className="muted">{t.allowlist.noClients}</p> : (
          <table className="table" data-testid="recent-clients">
            <thead><tr><th>{t.allowlist.address}</th><th>{t.allowlist.requests}</th><th>{t.allowlist.last}</th><th /></tr></thead>
            <tbody>
              {recentClients.map((c) => (
                <tr key={c.address}>
                  <td className="mono">{c.address}</td>
                  <td>{c.count}</td>
                  <td title={dateTime(c.lastAt, lang)}>{relative(c.lastAt, lang)}</td>
                  <td>{props.wouldLockOut.includes(c.address) ? <Badge tone="error">{t.allowlist.wouldBeRefused}</Badge> : <Badge tone="ok">{t.allowlist.allowed}</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

/**
 * The editor over the agent's current list, re-read every few seconds (refused addresses and
 * clients change while it is open); a save starts a fresh editor on what the agent kept.
 */
export function LiveAllowlistEditor(props: { suggestions?: string[]; onSaved?: () => void }) {
  const view = usePoll(() => call('allowlist.get', {}), 5_000);
  const [saves, setSaves] = useState(0);
  return (
    <>
      <ErrorNote error={view.error} />
      {view.data && (
        <AllowlistEditor
          key={saves}
          justSaved={saves > 0}
          view={view.data}
          suggestions={props.suggestions}
          onSaved={(next) => {
            view.setData(next);
            setSaves((n) => n + 1);
            props.onSaved?.();
          }}
        />
      )}
    </>
  );
}
