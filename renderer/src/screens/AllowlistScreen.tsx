// Who may call the Data Provider API.
import { useState } from 'react';
import { call } from '../api.ts';
import { usePoll } from '../hooks.ts';
import { useT } from '../i18n.ts';
import { ErrorNote } from '../ui.tsx';
import { AllowlistEditor } from './AllowlistEditor.tsx';

export function AllowlistScreen() {
  const { t } = useT();
  // Refused addresses and clients change while the screen is open; the editor keeps its rows.
  const view = usePoll(() => call('allowlist.get', {}), 5_000);
  const [saves, setSaves] = useState(0);
  return (
    <div className="screen" data-testid="allowlist-screen">
      <h1>{t.allowlist.title}</h1>
      <ErrorNote error={view.error} />
      {view.data && (
        <AllowlistEditor
          key={saves}
          justSaved={saves > 0}
          view={view.data}
          onSaved={(next) => {
            view.setData(next);
            setSaves((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}
