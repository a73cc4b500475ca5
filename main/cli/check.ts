import { deepMerge } from '../settings/settings-store.js';
import { createBilling } from '../billing/create.js';
import type { BillingSource, CheckItem } from '../billing/source.js';
import { createSecretStore, type SecretStore } from '../secrets/store.js';
import { dataFiles, ensureDataDir, resolveDataDir } from '../settings/paths.js';
import { loadSettings, saveSettings } from '../settings/store.js';
import type { Settings } from '../../shared/settings.js';
import { reportFatal } from './report.js';

const TEXT = {
  noMap: (kind: string) => `--fix: the ${kind} billing has no field map to fix`,
  fits: '--fix: the field map fits this billing; nothing written',
  unfixable: '--fix: no field of this billing fits what is missing; set these by hand:',
  wrote: (file: string) => `--fix: wrote the field map to ${file}:`,
  restart: 'A running agent reads the new map from the file within seconds; no restart is needed.',
} as const;

async function withBilling<T>(settings: Settings, secrets: SecretStore, work: (billing: BillingSource) => Promise<T>): Promise<T> {
  const billing = await createBilling(settings, secrets);
  try {
    return await work(billing);
  } finally {
    await billing.close();
  }
}

async function billingItems(settings: Settings, secrets: SecretStore): Promise<CheckItem[]> {
  return withBilling(settings, secrets, async (billing) => {
    try {
      return await billing.check();
    } catch (err) {
      return [{ name: `${billing.kind} billing`, ok: false, detail: (err as Error).message }];
    }
  });
}

/** Writes the billing's proposed field map into the settings file; returns the settings to check. */
async function fix(file: string, settings: Settings, secrets: SecretStore): Promise<Settings> {
  const report = await withBilling(settings, secrets, (billing) => {
    if (!billing.fieldMap) throw new Error(TEXT.noMap(billing.kind));
    return billing.fieldMap();
  });
  if (!report.fix) {
    if (report.problems.length > 0) {
      console.log(TEXT.unfixable);
      for (const p of report.problems) console.log(`  - ${p}`);
    } else console.log(TEXT.fits);
    return settings;
  }
  // Re-read the file so only the map changes, whatever else it holds.
  const onDisk = loadSettings(file).settings as unknown as Record<string, unknown>;
  const saved = saveSettings(file, deepMerge(onDisk, report.fix.patch));
  console.log(TEXT.wrote(file));
  for (const c of report.fix.changes) console.log(`  ${c.setting}: ${c.from} → ${c.to === '' ? '(off)' : c.to} (${c.because})`);
  console.log(TEXT.restart);
  return saved;
}

export async function checkCommand(opts: { dataDir?: string; fix?: boolean }): Promise<void> {
  const dataDir = resolveDataDir(opts.dataDir);
  ensureDataDir(dataDir);
  const files = dataFiles(dataDir);
  const items: CheckItem[] = [];
  try {
    let { settings } = loadSettings(files.settings);
    items.push({ name: 'settings', ok: true, detail: files.settings });
    items.push({
      name: 'allowlist',
      ok: true,
      detail: settings.server.allowAll ? 'any address (allowAll is on)' : settings.server.allowlist.join(', '),
    });
    const secrets = createSecretStore({ secretsFile: files.secrets, backend: settings.secrets.backend });
    if (opts.fix) settings = await fix(files.settings, settings, secrets);
    items.push(...(await billingItems(settings, secrets)));
  } catch (err) {
    reportFatal(err);
    return;
  }
  for (const item of items) console.log(`${item.ok ? 'ok  ' : item.warnOnly ? 'WARN' : 'FAIL'}  ${item.name}: ${item.detail}`);
  const failed = items.filter((i) => !i.ok && !i.warnOnly).length;
  const warned = items.filter((i) => !i.ok && i.warnOnly).length;
  if (failed === 0 && warned === 0) console.log('All checks passed.');
  else console.log(`${failed} check(s) failed${warned > 0 ? `, ${warned} warning(s): billing-bridge check --fix writes a map that fits` : ''}.`);
  if (failed > 0) process.exitCode = 1;
}
