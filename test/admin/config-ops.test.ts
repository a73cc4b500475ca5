import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExposedError } from '../../shared/wire.js';
import { createConfigHandlers, type ConfigContext } from '../../main/admin/handlers-config.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { LogRing, createLogger } from '../../main/logging/logger.js';
import { createSecretStore } from '../../main/secrets/store.js';
import { AccessControl } from '../../main/server/access.js';
import { SettingsStore, deepMerge } from '../../main/settings/settings-store.js';
import { loadSettings } from '../../main/settings/store.js';
import { readZip } from '../helpers/zip.js';
import { request } from '../helpers/http.js';
import { startTestApi } from '../helpers/api.js';

let ctx: ConfigContext;
let applied: Array<[unknown, unknown]>;
let ops: ReturnType<typeof createConfigHandlers>;
let settingsFile: string;

beforeEach(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-config-'));
  settingsFile = path.join(dir, 'settings.json');
  const store = new SettingsStore(settingsFile);
  applied = [];
  store.subscribe(({ before, after }) => void applied.push([before, after]));
  const logs = new LogRing();
  ctx = {
    dataDir: dir,
    settings: store,
    access: new AccessControl(store.current().server),
    secrets: createSecretStore({ secretsFile: path.join(dir, 'secrets.json'), backend: 'file', env: {} }),
    logs,
    billing: () => new DemoBilling(),
    status: async () => ({ outbox: { pending: 0 } }),
  };
  ops = createConfigHandlers(() => ctx);
});

/** A refusal meant for the caller: its status and the words the caller is told. */
async function refused(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ExposedError);
    return { status: (err as ExposedError).status, message: (err as ExposedError).publicMessage };
  }
  throw new Error('expected a refusal');
}

describe('settings operations', () => {
  it('merge a patch, save it and report what needs a restart', async () => {
    const res = await ops['settings.update']({ patch: { sync: { intervalSeconds: 120 }, server: { port: 9090 } } });
    expect(res.settings).toMatchObject({ sync: { intervalSeconds: 120, enabled: true }, server: { port: 9090, allowlist: ['127.0.0.1', '::1'] } });
    expect(res.restartNeeded).toEqual(['server.port']);
    expect(loadSettings(settingsFile).settings.sync.intervalSeconds).toBe(120);
    expect(applied).toHaveLength(1);
  });

  it('refuse an invalid patch with the field at fault and leave the file alone', async () => {
    const before = readFileSync(settingsFile, 'utf8');
    const err = await refused(ops['settings.update']({ patch: { server: { port: 'eighty' } } as never }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^server\.port: /);
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
  });

  it('refuse a core address with a password in it, without repeating the password', async () => {
    const before = readFileSync(settingsFile, 'utf8');
    const err = await refused(ops['settings.update']({ patch: { core: { baseUrl: 'https://isp:hunter2@core.example.com' } } }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^core\.baseUrl: must not carry a login or password/);
    expect(err.message).not.toContain('hunter2');
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
  });

  it('deepMerge replaces arrays and ignores prototype keys', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
    const merged = deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(merged)).toEqual([]);
  });

  it('setup.state asks for the wizard while core is not configured', async () => {
    expect(await ops['setup.state']({})).toEqual({
      needed: true, billing: { kind: 'demo', configured: false }, core: { configured: false, passwordSet: false }, allowlistIsDefault: true, phoneFormat: 'national',
    });
  });
});

describe('allowlist operations', () => {
  it('check names bad entries and the recent clients a list would lock out', async () => {
    const api = await startTestApi({ access: { allowlist: ['127.0.0.0/8'] } });
    ctx.access = api.access;
    try {
      await request(api.url, { path: '/api/services', localAddress: '127.0.0.5' });
      const check = await ops['allowlist.check']({ entries: ['10.0.0.1', 'core.example.com', '127.0.0.1'] });
      expect(check.valid).toBe(false);
      expect(check.problems).toEqual([{ index: 1, entry: 'core.example.com', message: expect.stringContaining('is not an IP address') }]);
      expect(check.wouldLockOut).toEqual(['127.0.0.5']);

      const err = await refused(ops['allowlist.set']({ entries: ['10.0.0.1'], allowAll: false, confirmLockout: false }));
      expect(err.status).toBe(409);
      expect(err.message).toContain('127.0.0.5');
      const saved = await ops['allowlist.set']({ entries: [' 10.0.0.1 ', ''], allowAll: false, confirmLockout: true });
      expect(saved.entries).toEqual(['10.0.0.1']);
      expect(saved.recentClients[0]).toMatchObject({ address: '127.0.0.5', count: 1 });
      expect(loadSettings(settingsFile).settings.server.allowlist).toEqual(['10.0.0.1']);
    } finally {
      await api.close();
    }
  });

  it('set refuses an invalid entry with 400', async () => {
    expect((await refused(ops['allowlist.set']({ entries: ['10.0.0.300'], allowAll: false, confirmLockout: true }))).status).toBe(400);
  });
});

describe('secrets operations', () => {
  it('store a secret without ever returning it, then clear it', async () => {
    const status = await ops['secrets.set']({ name: 'core-password', value: 'p@ss-Core-1' });
    expect(status.items.find((i) => i.name === 'core-password')).toEqual({ name: 'core-password', set: true, source: 'file' });
    expect(JSON.stringify(status)).not.toContain('p@ss-Core-1');
    expect(await ctx.secrets.get('core-password')).toBe('p@ss-Core-1');
    const cleared = await ops['secrets.clear']({ name: 'core-password' });
    expect(cleared.items.find((i) => i.name === 'core-password')!.set).toBe(false);
  });
});

describe('logs and diagnostics', () => {
  it('logs.recent returns censored lines; diagnostics.create writes a zip without secrets', async () => {
    const sink = new PassThrough();
    sink.resume();
    const log = createLogger({ pretty: false, destination: sink, ring: ctx.logs });
    log.info({ pswd: 'Zh4nna-1595' }, 'auth attempt');
    log.warn('billing slow');
    await ops['secrets.set']({ name: 'core-password', value: 'p@ss-Core-1' });
    await new Promise((r) => setTimeout(r, 20));
    const lines = await ops['logs.recent']({ limit: 10, level: 'info' });
    expect(lines.map((l) => l.msg)).toEqual(['auth attempt', 'billing slow']);
    expect(lines[0]!.fields).toEqual({ pswd: '[redacted]' });

    const { file } = await ops['diagnostics.create']({});
    const all = [...(await readZip(file)).values()].join('\n');
    expect(all).toContain('billing slow');
    expect(all).not.toContain('p@ss-Core-1');
    expect(all).not.toContain('Zh4nna-1595');
  });
});
