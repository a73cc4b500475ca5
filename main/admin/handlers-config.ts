// Admin operations of the settings, allowlist, secrets, logs and diagnostics screens.
import type { AdminHandlers, AllowlistView, SecretsStatus } from '../../shared/admin.js';
import type { BillingSource, CheckItem } from '../billing/source.js';
import { writeDiagnostics } from '../diagnostics/bundle.js';
import type { LogRing } from '../logging/logger.js';
import { SECRET_NAMES, type SecretStore } from '../secrets/store.js';
import type { AccessControl } from '../server/access.js';
import type { Settings } from '../../shared/settings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { createCoreClient } from '../sync/core-client.js';
import { contractCallback } from '../sync/targets.js';
import { systemClock } from '../sync/clock.js';
import { AdminOpError } from './errors.js';

export interface ConfigContext {
  dataDir: string;
  /** The running settings; a saved change reaches the rest of the agent through its subscribers. */
  settings: SettingsStore;
  access: AccessControl;
  secrets: SecretStore;
  logs: LogRing;
  billing: () => BillingSource;
  /** What the status screens show, for the diagnostics bundle. */
  status: () => Promise<unknown>;
}

type ConfigOps = 'settings.get' | 'settings.update' | 'setup.state' | 'core.test' | 'allowlist.get' | 'allowlist.check'
  | 'allowlist.set' | 'secrets.status' | 'secrets.set' | 'secrets.clear' | 'logs.recent' | 'diagnostics.create';


async function secretsStatus(secrets: SecretStore): Promise<SecretsStatus> {
  const [sources, status] = await Promise.all([secrets.describe(), secrets.status()]);
  const keyring = status.backends.find((b) => b.name === 'keyring');
  return {
    items: SECRET_NAMES.map((name) => ({ name, set: sources[name] !== null, source: sources[name] })),
    keyring: keyring
      ? { available: keyring.available, detail: keyring.available ? 'the OS keychain is available' : keyring.reason ?? 'unavailable' }
      : { available: false, detail: 'not used (secrets.backend is "file")' },
    writesTo: status.writesTo,
    writeRefusal: status.writeRefusal,
  };
}

/** Reaches core with our credentials using a harmless callback (a contract id core will not find). */
async function testCore(settings: Settings, secrets: SecretStore): Promise<CheckItem[]> {
  if (settings.core.baseUrl === '') return [{ name: 'core address', ok: false, detail: 'core.baseUrl is not set' }];
  const password = await secrets.get('core-password');
  const client = createCoreClient({ connectTimeoutMs: 5_000, timeoutMs: 10_000, maxSockets: 1, clock: systemClock });
  try {
    const result = await client.send({ baseUrl: settings.core.baseUrl, login: settings.core.login, password }, contractCallback('billing-bridge-connection-test'));
    const items: CheckItem[] = [];
    if (result.ok) {
      items.push({ name: 'core', ok: true, detail: `core answered HTTP ${result.status} in ${Math.round(result.ms)} ms and accepted our credentials` });
    } else if (result.status === 400 || result.status === 422) {
      items.push({ name: 'core', ok: true, detail: `core is reachable and accepted our credentials (it refused the test callback with HTTP ${result.status}, as expected)` });
    } else {
      items.push({ name: 'core', ok: false, detail: result.reason });
    }
    if (settings.core.login !== '' && password === null) items.push({ name: 'core password', ok: false, detail: 'core.login is set but the core password is not' });
    return items;
  } finally {
    client.close();
  }
}

function allowlistView(ctx: ConfigContext): AllowlistView {
  const { server } = ctx.settings.current();
  return {
    entries: server.allowlist,
    allowAll: server.allowAll,
    trustedProxies: server.trustedProxies,
    recentRefused: ctx.access.recentlyRefused(),
    recentClients: ctx.access.recentlyServed(),
  };
}

export function createConfigHandlers(config: () => ConfigContext): Pick<AdminHandlers, ConfigOps> {
  return {
    'settings.get': async () => {
      const { settings } = config();
      return { file: settings.file, settings: settings.current(), problems: settings.problems() };
    },

    'settings.update': async ({ patch }) => {
      const { settings: store } = config();
      const { settings, restartNeeded } = store.update(patch);
      return {
        file: store.file,
        settings,
        problems: store.problems(),
        restartNeeded,
        message: restartNeeded.length === 0 ? 'Saved and applied.' : `Saved. Restart the agent to apply: ${restartNeeded.join(', ')}.`,
      };
    },

    'setup.state': async () => {
      const ctx = config();
      const settings = ctx.settings.current();
      const passwordSet = (await ctx.secrets.get('core-password')) !== null;
      const coreConfigured = settings.core.baseUrl !== '';
      const allowlistIsDefault = !settings.server.allowAll
        && settings.server.allowlist.every((e) => ['127.0.0.1', '::1', '127.0.0.0/8'].includes(e));
      return {
        needed: !coreConfigured || allowlistIsDefault,
        billing: { kind: settings.billing.kind, configured: settings.billing.kind !== 'demo' },
        core: { configured: coreConfigured, passwordSet },
        allowlistIsDefault,
        phoneFormat: settings.phones.format,
      };
    },

    'core.test': async () => testCore(config().settings.current(), config().secrets),

    'allowlist.get': async () => allowlistView(config()),

    'allowlist.check': async ({ entries }) => {
      const { problems, wouldLockOut } = config().access.checkList(entries);
      return { valid: problems.length === 0 && entries.length > 0, problems, wouldLockOut };
    },

    'allowlist.set': async ({ entries, allowAll, confirmLockout }) => {
      const ctx = config();
      const trimmed = entries.map((e) => e.trim()).filter((e) => e !== '');
      const { problems, wouldLockOut } = ctx.access.checkList(trimmed, allowAll);
      if (problems.length > 0) throw new AdminOpError(400, problems.map((p) => p.message).join('; '));
      if (wouldLockOut.length > 0 && !confirmLockout) {
        throw new AdminOpError(409, `this list would refuse ${wouldLockOut.join(', ')}, which used the API in the last 24 hours (probably core); add it, or confirm to save anyway`);
      }
      ctx.settings.update({ server: { allowlist: trimmed, allowAll } });
      return allowlistView(ctx);
    },

    'secrets.status': async () => secretsStatus(config().secrets),

    'secrets.set': async ({ name, value }) => {
      const { secrets } = config();
      await secrets.set(name, value);
      return secretsStatus(secrets);
    },

    'secrets.clear': async ({ name }) => {
      const { secrets } = config();
      await secrets.delete(name);
      return secretsStatus(secrets);
    },

    'logs.recent': async ({ limit, level }) => config().logs.recent(limit, level),

    'diagnostics.create': async () => {
      const ctx = config();
      const settings = ctx.settings.current();
      const [secrets, status, billingCheck, core] = await Promise.all([
        ctx.secrets.describe(),
        ctx.status().catch((err: Error) => ({ error: err.message })),
        ctx.billing().check().catch((err: Error) => [{ name: 'billing', ok: false, detail: err.message }]),
        testCore(settings, ctx.secrets).catch((err: Error) => [{ name: 'core', ok: false, detail: err.message }]),
      ]);
      const file = await writeDiagnostics(`${ctx.dataDir}/diagnostics`, {
        settings,
        secrets,
        status,
        logs: ctx.logs.recent(1000),
        connectivity: { billing: billingCheck, core, allowlist: { refused: ctx.access.recentlyRefused(), served: ctx.access.recentlyServed() } },
      });
      return { file };
    },
  };
}
