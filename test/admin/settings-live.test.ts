// Editing settings.json by hand while the agent runs: a valid edit applies within 2 s (core's
// address, the allowlist, the billing); a broken one is reported and the running settings stay
// in force until the file is fixed. SIGHUP reads the file again.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { silentLogger } from '../../main/logging/logger.js';
import { SettingsStore, type SettingsChange } from '../../main/settings/settings-store.js';
import type { Settings, SettingsPatch } from '../../shared/settings.js';
import { request } from '../helpers/http.js';
import { sleep, until } from '../helpers/wait.js';

const LIVE_WITHIN_MS = 2_000;

let agent: Agent;
let file: string;

/** The file as a person edits it: only what they wrote is there. */
const edit = (change: (doc: SettingsPatch) => void) => {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as SettingsPatch;
  change(doc);
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
};
const api = () => agent.api.url;
const status = () => agent.handlers['sync.status']({});

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-live-'));
  file = path.join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify({ version: 1, server: { host: '127.0.0.1' }, secrets: { backend: 'file' } }));
  agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: {}, log: silentLogger() });
});
afterAll(() => agent.stop());

describe('a hand edit of settings.json while the agent runs', () => {
  it('takes effect within 2 s: core\'s address, the allowlist, the billing', async () => {
    edit((doc) => {
      doc.core = { baseUrl: 'http://127.0.0.1:9', login: 'isp' };
      doc.server = { ...doc.server, allowlist: ['127.0.0.2'] };
      doc.billing = { kind: 'demo', demo: { synthetic: 3 } };
    });
    const started = Date.now();
    await until(async () => (await status()).core.baseUrl === 'http://127.0.0.1:9', LIVE_WITHIN_MS + 1_000, 'core.baseUrl to apply');
    expect(Date.now() - started).toBeLessThan(LIVE_WITHIN_MS);
    expect((await request(api(), { path: '/api/services', localAddress: '127.0.0.1' })).status).toBe(403);
    const synthetic = await request(api(), { path: '/api/users?user_id=70000003', localAddress: '127.0.0.2' });
    expect(synthetic.status).toBe(200);
    expect((await agent.handlers['settings.get']({})).settings.core.login).toBe('isp');
  });

  it('that breaks the file is reported, and the running settings stay in force until it is fixed', async () => {
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('"allowlist": [', '"allowlist": ["core.example.com", '));
    await until(async () => (await status()).problems.some((p) => p.includes('has a problem')), LIVE_WITHIN_MS + 1_000, 'the problem to be reported');
    const view = await agent.handlers['settings.get']({});
    expect(view.problems).toEqual([expect.stringMatching(/^server\.allowlist\.0: "core\.example\.com" is not an IP address/)]);
    expect(view.settings.server.allowlist).toEqual(['127.0.0.2']);
    expect((await request(api(), { path: '/api/services', localAddress: '127.0.0.2' })).status).toBe(200);
    // A change through the dashboard would overwrite the edit in progress: refused until it is fixed.
    await expect(agent.handlers['settings.update']({ patch: { sync: { intervalSeconds: 120 } } })).rejects.toMatchObject({ status: 409 });
    expect(readFileSync(file, 'utf8')).toContain('core.example.com');

    writeFileSync(file, good.replace('"127.0.0.2"', '"127.0.0.1", "127.0.0.2"'));
    await until(async () => !(await status()).problems.some((p) => p.includes('has a problem')), LIVE_WITHIN_MS + 1_000, 'the fixed file to apply');
    expect((await agent.handlers['settings.get']({})).problems).toEqual([]);
    expect((await request(api(), { path: '/api/services', localAddress: '127.0.0.1' })).status).toBe(200);
  });

  it('that only rewrites the same settings changes nothing', async () => {
    const before = agent.settings.current();
    edit(() => undefined);
    await sleep(500);
    expect(agent.settings.current()).toBe(before);
  });
});

describe('SIGHUP', () => {
  it('reads the file again at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-hup-'));
    const store = new SettingsStore(path.join(dir, 'settings.json'));
    const changes: SettingsChange[] = [];
    store.subscribe((c) => void changes.push(c));
    store.watch(silentLogger());
    try {
      const doc = JSON.parse(readFileSync(store.file, 'utf8')) as Settings;
      doc.sync.intervalSeconds = 300;
      writeFileSync(store.file, JSON.stringify(doc));
      // The signal is handled before the folder watch's settling delay runs out.
      process.kill(process.pid, 'SIGHUP');
      await until(() => changes.length > 0, 2_000, 'the reload');
      expect(changes[0]).toMatchObject({ source: 'signal', changed: ['sync.intervalSeconds'], restartNeeded: [] });
      expect(store.current().sync.intervalSeconds).toBe(300);
    } finally {
      store.close();
    }
  });
});
