import { createBilling } from '../billing/create.js';
import type { CheckItem } from '../billing/source.js';
import { createSecretStore } from '../secrets/store.js';
import { dataFiles, ensureDataDir, resolveDataDir } from '../settings/paths.js';
import { loadSettings } from '../settings/store.js';
import { reportFatal } from './report.js';

export async function checkCommand(opts: { dataDir?: string }): Promise<void> {
  const dataDir = resolveDataDir(opts.dataDir);
  ensureDataDir(dataDir);
  const files = dataFiles(dataDir);
  const items: CheckItem[] = [];
  try {
    const { settings } = loadSettings(files.settings);
    items.push({ name: 'settings', ok: true, detail: files.settings });
    items.push({
      name: 'allowlist',
      ok: true,
      detail: settings.server.allowAll ? 'any address (allowAll is on)' : settings.server.allowlist.join(', '),
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
  for (const item of items) console.log(`${item.ok ? 'ok  ' : 'FAIL'}  ${item.name}: ${item.detail}`);
  const failed = items.filter((i) => !i.ok).length;
  console.log(failed === 0 ? 'All checks passed.' : `${failed} check(s) failed.`);
  if (failed > 0) process.exitCode = 1;
}
