// The Carbon field map against the live Carbon: each field the agent reads, present or missing,
// the likely replacement, and one button that writes a map that fits (billing.fixFieldMap).
import { call } from '../api.ts';
import type { AdminOutput } from '../contract.ts';
import { useAction } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Badge, Button, ErrorNote, Notice } from '../ui.tsx';

type Report = AdminOutput<'billing.fieldMap'>;

export function CarbonFieldMap() {
  const { t } = useT();
  const read = useAction(() => call('billing.fieldMap', {}));
  const fix = useAction(async () => {
    const result = await call('billing.fixFieldMap', {});
    await read.run();
    return result;
  });
  const report: Report | null = read.result;
  const shown = report?.fields.filter((f) => f.status !== 'present' || f.setting !== null) ?? [];
  return (
    <div className="field-map" data-testid="carbon-field-map">
      <p className="hint">{t.settings.fieldMapExplain}</p>
      <div className="button-row">
        <Button onClick={() => void read.run()} busy={read.busy}>{t.settings.fieldMapRead}</Button>
        {report?.fix && <Button kind="primary" onClick={() => void fix.run()} busy={fix.busy}>{t.settings.fieldMapFix}</Button>}
      </div>
      <ErrorNote error={read.error} />
      <ErrorNote error={fix.error} />
      {fix.result && <Notice tone={fix.result.restartNeeded.length > 0 ? 'warn' : 'ok'} testId="field-map-fixed">{fix.result.message}{fix.result.changed.length > 0 && <ul>{fix.result.changed.map((c) => <li key={c} className="mono">{c}</li>)}</ul>}</Notice>}
      {report && (
        <>
          <p className="muted small">{t.settings.fieldMapSource(report.source)}</p>
          {report.problems.length > 0 && <Notice tone="error">{report.problems.map((p) => <div key={p}>{p}</div>)}</Notice>}
          {!report.fix && report.problems.length === 0 && <Notice tone="ok">{t.settings.fieldMapFits}</Notice>}
          <table className="table" data-testid="field-map-table">
            <thead><tr><th>{t.settings.fieldMapField}</th><th>{t.settings.fieldMapSetting}</th><th>{t.settings.fieldMapState}</th><th>{t.settings.fieldMapReplacement}</th></tr></thead>
            <tbody>
              {shown.map((f) => (
                <tr key={`${f.model}.${f.path}.${f.setting ?? ''}`}>
                  <td className="mono">{f.model}.{f.path}<div className="muted small">{f.purpose} · {t.settings.fieldNeeds[f.need]}</div></td>
                  <td className="mono small">{f.setting ?? '—'}</td>
                  <td>{f.status === 'missing' && f.need === 'if-present'
                    ? <Badge tone="info">{t.settings.fieldNotUsed}</Badge>
                    : <Badge tone={f.status === 'present' ? 'ok' : f.status === 'unknown' ? 'info' : f.need === 'required' ? 'error' : 'warn'}>{t.settings.fieldStates[f.status]}</Badge>}</td>
                  <td className="mono small">{f.replacement === null ? '—' : f.replacement === '' ? t.settings.fieldOff : f.replacement}{f.because && <div className="muted">{f.because}</div>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
