// The agent's recent log lines (already censored by the agent), newest first, with a level
// filter and auto-refresh; and the diagnostics file to send to support.
import { useState } from 'react';
import { call } from '../api.ts';
import type { LogEntry, LogLevel } from '../contract.ts';
import { fieldPairs, timeOnly } from '../format.ts';
import { useAction, usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { Badge, Button, ErrorNote, Notice, Section, type Tone } from '../ui.tsx';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const LEVEL_TONE: Record<LogLevel, Tone> = { trace: 'info', debug: 'info', info: 'ok', warn: 'warn', error: 'error', fatal: 'error' };

export function LogsScreen() {
  const { t } = useT();
  const [level, setLevel] = useState<LogLevel>('info');
  const [auto, setAuto] = useState(true);
  const logs = usePoll(() => call('logs.recent', { limit: 300, level }), auto ? 3_000 : null, [level]);
  return (
    <div className="screen" data-testid="logs-screen">
      <h1>{t.logs.title}</h1>
      <Diagnostics />
      <Section
        title={t.logs.linesTitle}
        actions={(
          <div className="toolbar">
            <label>
              {t.logs.level}{' '}
              <select value={level} onChange={(e) => setLevel(e.target.value as LogLevel)} aria-label={t.logs.level}>
                {LEVELS.map((l) => <option key={l} value={l}>{t.logs.levels[l]}</option>)}
              </select>
            </label>
            <label className="check-line">
              <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
              {t.logs.autoRefresh}
            </label>
            <Button onClick={logs.reload}>{t.common.refresh}</Button>
          </div>
        )}
      >
        <ErrorNote error={logs.error} />
        {logs.data && logs.data.length === 0 && <p className="muted">{t.logs.empty}</p>}
        {logs.data && logs.data.length > 0 && (
          <ol className="log" data-testid="log-lines">
            {[...logs.data].reverse().map((entry, i) => <LogLine key={`${entry.time}-${i}`} entry={entry} />)}
          </ol>
        )}
      </Section>
    </div>
  );
}

function LogLine(props: { entry: LogEntry }) {
  const { t, lang } = useT();
  const { entry } = props;
  const pairs = fieldPairs(entry.fields);
  return (
    <li className={`log-line log-${entry.level}`}>
      <span className="log-time">{timeOnly(entry.time, lang)}</span>
      <Badge tone={LEVEL_TONE[entry.level]}>{t.logs.levelNames[entry.level]}</Badge>
      <span className="log-msg">{entry.msg}</span>
      {pairs.length > 0 && (
        <span className="log-fields">
          {pairs.map(([k, v]) => <span key={k} className="log-field"><span className="log-key">{k}</span> {v}</span>)}
        </span>
      )}
    </li>
  );
}

function Diagnostics() {
  const { t } = useT();
  const create = useAction(() => call('diagnostics.create', {}));
  return (
    <Section title={t.logs.diagnosticsTitle}>
      <p className="muted">{t.logs.diagnosticsExplain}</p>
      <Button onClick={() => void create.run()} busy={create.busy}>{t.logs.createDiagnostics}</Button>
      {create.result && (
        <Notice tone="ok" title={t.logs.diagnosticsCreated} testId="diagnostics-file">
          <code className="path">{create.result.file}</code>
        </Notice>
      )}
      <ErrorNote error={create.error} />
    </Section>
  );
}
