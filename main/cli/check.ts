import { existsSync } from 'node:fs';
import { createBilling } from '../billing/create.js';
import type { BillingSource, CheckItem } from '../billing/source.js';
import { createSecretStore, type SecretStore } from '../secrets/store.js';
import { dataFiles, ensureDataDir, resolveDataDir } from '../settings/paths.js';
import { deepMerge } from '../settings/settings-store.js';
import { readSettings, saveSettings } from '../settings/store.js';
import type { Settings } from '../../shared/settings.js';
import { EXIT, reportFatal } from './report.js';

const TEXT = {
  notWritten: (file: string) => `${file} does not exist: checked the defaults (serve writes them on its first start)`,
  allowAll: 'any address (allowAll is on)',
  passed: 'All checks passed.',
  failed: (n: number, warned: number) => `${n} check(s) failed${warned > 0 ? `, ${warned} warning(s): billing-bridge check --fix writes a map that fits` : ''}.`,
  noMap: (kind: string) => `--fix: the ${kind} billing has no field map to fix`,
  fits: '--fix: the field map fits this billing; nothing written',
  unfixable: '--fix: no field of this billing fits what is missing; set these by hand:',
  wrote: (file: string) => `--fix: wrote the field map to ${file}:`,
  applies: 'A running agent reads the new map from the file within seconds; no restart is needed.',
} as const;

interface FixReport {
  written: boolean;
  changes: Array<{ setting: string; from: string; to: string; because: string }>;
  problems: string[];
}

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

/** --fix: writes the billing's proposed field map into the settings file (the only write `check` makes). */
async function fix(file: string, settings: Settings, secrets: SecretStore): Promise<{ settings: Settings; report: FixReport }> {
  const found = await withBilling(settings, secrets, (billing) => {
    if (!billing.fieldMap) throw new Error(TEXT.noMap(billing.kind));
    return billing.fieldMap();
  });
  if (!found.fix) return { settings, report: { written: false, changes: [], problems: found.problems } };
  // Re-read the file so only the map changes, whatever else it holds.
  const onDisk = (existsSync(file) ? readSettings(file) : settings) as unknown as Record<string, unknown>;
  const saved = saveSettings(file, deepMerge(onDisk, found.fix.patch));
  return { settings: saved, report: { written: true, changes: found.fix.changes, problems: [] } };
}

function printFix(file: string, r: FixReport): void {
  if (!r.written) {
    if (r.problems.length === 0) return console.log(TEXT.fits);
    console.log(TEXT.unfixable);
    for (const p of r.problems) console.log(`  - ${p}`);
    return;
  }
  console.log(TEXT.wrote(file));
  for (const c of r.changes) console.log(`  ${c.setting}: ${c.from} → ${c.to === '' ? '(off)' : c.to} (${c.because})`);
  console.log(TEXT.applies);
}

/** Reads the settings and tries the billing; writes nothing, not even a default settings file, unless --fix. */
export async function checkCommand(opts: { dataDir?: string; json?: boolean; fix?: boolean }): Promise<void> {
  const dataDir = resolveDataDir(opts.dataDir);
  const files = dataFiles(dataDir);
  const items: CheckItem[] = [];
  let fixed: FixReport | undefined;
  try {
    const exists = existsSync(files.settings);
    let settings = readSettings(files.settings);
    items.push({ name: 'settings', ok: true, detail: exists ? files.settings : TEXT.notWritten(files.settings) });
    items.push({
      name: 'allowlist',
      ok: true,
      detail: settings.server.allowAll ? TEXT.allowAll : settings.server.allowlist.join(', '),
    });
    const secrets = createSecretStore({ secretsFile: files.secrets, backend: settings.secrets.backend });
    if (opts.fix) {
      if (!exists) ensureDataDir(dataDir);
      ({ settings, report: fixed } = await fix(files.settings, settings, secrets));
      if (!opts.json) printFix(files.settings, fixed);
    }
    items.push(...(await billingItems(settings, secrets)));
  } catch (err) {
    reportFatal(err);
    return;
  }
  const failed = items.filter((i) => !i.ok && !i.warnOnly).length;
  const warned = items.filter((i) => !i.ok && i.warnOnly).length;
  if (opts.json) {
    console.log(JSON.stringify({ ok: failed === 0, settingsFile: files.settings, items, ...(fixed && { fix: fixed }) }, null, 2));
  } else {
    for (const item of items) console.log(`${item.ok ? 'ok  ' : item.warnOnly ? 'WARN' : 'FAIL'}  ${item.name}: ${item.detail}`);
    console.log(failed === 0 && warned === 0 ? TEXT.passed : TEXT.failed(failed, warned));
  }
  if (failed > 0) process.exitCode = EXIT.failed;
}
