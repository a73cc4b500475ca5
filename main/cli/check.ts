import { existsSync } from 'node:fs';
import { createBilling } from '../billing/create.js';
import type { CheckItem } from '../billing/source.js';
import { createSecretStore } from '../secrets/store.js';
import { dataFiles, resolveDataDir } from '../settings/paths.js';
import { loadSettings } from '../settings/store.js';
import { defaultSettings } from '../../shared/settings.js';
import { EXIT, reportFatal } from './report.js';

const TEXT = {
  notWritten: (file: string) => `${file} does not exist: checked the defaults (serve writes them on its first start)`,
  allowAll: 'any address (allowAll is on)',
  passed: 'All checks passed.',
  failed: (n: number) => `${n} check(s) failed.`,
};

/** Reads the settings and tries the billing; writes nothing, not even a default settings file. */
export async function checkCommand(opts: { dataDir?: string; json?: boolean }): Promise<void> {
  const files = dataFiles(resolveDataDir(opts.dataDir));
  const items: CheckItem[] = [];
  try {
    const exists = existsSync(files.settings);
    const settings = exists ? loadSettings(files.settings).settings : defaultSettings();
    items.push({ name: 'settings', ok: true, detail: exists ? files.settings : TEXT.notWritten(files.settings) });
    items.push({
      name: 'allowlist',
      ok: true,
      detail: settings.server.allowAll ? TEXT.allowAll : settings.server.allowlist.join(', '),
    });
    const secrets = createSecretStore({ secretsFile: files.secrets, backend: settings.secrets.backend });
    const billing = await createBilling(settings, secrets);
    try {
      items.push(...(await billing.check()));
    } catch (err) {
      items.push({ name: `${billing.kind} billing`, ok: false, detail: (err as Error).message });
    } finally {
      await billing.close();
    }
  } catch (err) {
    reportFatal(err);
    return;
  }
  const failed = items.filter((i) => !i.ok).length;
  if (opts.json) {
    console.log(JSON.stringify({ ok: failed === 0, settingsFile: files.settings, items }, null, 2));
  } else {
    for (const item of items) console.log(`${item.ok ? 'ok  ' : 'FAIL'}  ${item.name}: ${item.detail}`);
    console.log(failed === 0 ? TEXT.passed : TEXT.failed(failed));
  }
  if (failed > 0) process.exitCode = EXIT.failed;
}
