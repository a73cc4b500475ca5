// Who may call the Data Provider API.
import { useT } from '../i18n.ts';
import { LiveAllowlistEditor } from './AllowlistEditor.tsx';

export function AllowlistScreen() {
  const { t } = useT();
  return (
    <div className="screen" data-testid="allowlist-screen">
      <h1>{t.allowlist.title}</h1>
      <LiveAllowlistEditor />
    </div>
  );
}
