// Start or attach: a core already running for the data directory is used over its admin API;
// otherwise the shell starts one in its own process. Real agents on 127.0.0.1, ports chosen by
// the OS.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAgent, type Agent, type AgentOptions } from '../../main/agent.js';
import { silentLogger } from '../../main/logging/logger.js';
import { parseShellArgs, userArgs } from '../../main/shell/args.js';
import { AdminCallError } from '../../shared/admin-client.js';
import { httpTransport, startOrAttach, type Core } from '../../main/shell/transport.js';
import { dataFiles } from '../../main/settings/paths.js';
import { loadSettings, saveSettings } from '../../main/settings/store.js';

const log = silentLogger();
const local = { host: '127.0.0.1', port: 0, adminPort: 0 };
const tempDir = (name: string) => mkdtempSync(path.join(tmpdir(), `bb-shell-${name}-`));
const portOf = (url: string) => Number(new URL(url).port);

let running: Agent;
let runningDir: string;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  runningDir = tempDir('running');
  running = await startAgent({ dataDir: runningDir, ...local, log, env: {} });
});
afterAll(async () => {
  for (const close of cleanup.reverse()) await close();
  await running.stop();
});

function spyStart() {
  const started: AgentOptions[] = [];
  const start = vi.fn(async (options: AgentOptions) => {
    started.push(options);
    return startAgent({ ...options, ...local, env: {} });
  });
  return { start, started };
}

describe('a core already runs for the data directory', () => {
  it('is attached to over HTTP and nothing is started', async () => {
    const { start } = spyStart();
    const core = await startOrAttach({ dataDir: runningDir, log, start, agentOptions: { adminPort: portOf(running.admin.url) } });
    expect(start).not.toHaveBeenCalled();
    expect(core.agent).toBeNull();
    expect(core.transport.kind).toBe('attached');
    expect(core.transport.adminUrl).toBe(running.admin.url);
    const info = await core.transport.call('agent.info', {});
    expect(info.dataDir).toBe(runningDir);
    expect((await core.transport.call('sync.status', {})).billing.kind).toBe('demo');
    await core.transport.close(); // leaves the core running
    expect((await core.transport.call('agent.info', {})).version).toBe(info.version);
  });

  it('is found through admin.port in its settings', async () => {
    const file = dataFiles(runningDir).settings;
    const settings = loadSettings(file).settings;
    saveSettings(file, { ...settings, admin: { ...settings.admin, port: portOf(running.admin.url) } });
    const { start } = spyStart();
    const core = await startOrAttach({ dataDir: runningDir, log, start });
    expect(start).not.toHaveBeenCalled();
    expect(core.transport.kind).toBe('attached');
  });

  it('answers with the admin API\'s error codes', async () => {
    const t = httpTransport({ port: portOf(running.admin.url), tokenFile: dataFiles(runningDir).adminToken });
    await expect(t.call('callback.send', { target: 'planet', id: '1' } as never)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('target') });
    await expect(t.call('demo.pay', { contractId: 'no-such', rubles: 10 })).rejects.toMatchObject({ code: 'not_found' });
    const other = tempDir('token');
    const wrong = httpTransport({ port: portOf(running.admin.url), tokenFile: path.join(other, 'admin-token') });
    await expect(wrong.call('agent.info', {})).rejects.toMatchObject({ code: 'agent_unreachable', message: expect.stringContaining('no admin token') });
  });
});

describe('no core runs for the data directory', () => {
  let core: Core;
  let dir: string;
  let start: ReturnType<typeof spyStart>;

  beforeAll(async () => {
    dir = tempDir('fresh');
    start = spyStart();
    core = await startOrAttach({ dataDir: dir, log, start: start.start });
    cleanup.push(() => core.transport.close());
  });

  it('starts one in this process and serves every operation of it', async () => {
    expect(start.start).toHaveBeenCalledTimes(1);
    expect(start.started[0]).toMatchObject({ dataDir: dir, log });
    expect(core.transport.kind).toBe('in-process');
    expect(core.agent).not.toBeNull();
    expect(core.transport.adminUrl).toBe(core.agent!.admin.url);
    expect((await core.transport.call('agent.info', {})).dataDir).toBe(dir);
    expect((await core.transport.call('billing.check', {})).length).toBeGreaterThan(0);
  });

  it('calls the agent\'s handlers directly when the agent exposes them', async () => {
    const agent = core.agent!;
    const info = vi.fn(async () => ({ version: 'direct', startedAt: '', dataDir: dir, api: { url: '', tlsFingerprint: null }, adminUrl: '', billing: { kind: 'demo' } }));
    const direct = await startOrAttach({
      dataDir: tempDir('direct'),
      log,
      start: async () => Object.assign(Object.create(agent) as Agent, { handlers: { 'agent.info': info }, stop: async () => undefined }),
    });
    expect(direct.transport.kind).toBe('in-process');
    expect((await direct.transport.call('agent.info', {})).version).toBe('direct');
    expect(info).toHaveBeenCalledWith({});
  });

  it('pauses and resumes sync', async () => {
    expect((await core.transport.call('sync.pause', {})).enabled).toBe(false);
    expect((await core.transport.call('sync.status', {})).enabled).toBe(false);
    expect((await core.transport.call('sync.resume', {})).enabled).toBe(true);
  });

  it('fails the way the admin API does', async () => {
    await expect(core.transport.call('demo.pay', { contractId: 'no-such', rubles: 10 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.transport.call('callback.send', { target: 'contract' } as never)).rejects.toMatchObject({ code: 'bad_request' });
    const attached = httpTransport({ port: portOf(core.agent!.admin.url), tokenFile: dataFiles(dir).adminToken });
    await expect(attached.call('demo.pay', { contractId: 'no-such', rubles: 10 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is what a later launch attaches to', async () => {
    const again = spyStart();
    const second = await startOrAttach({ dataDir: dir, log, start: again.start, agentOptions: { adminPort: portOf(core.agent!.admin.url) } });
    expect(again.start).not.toHaveBeenCalled();
    expect(second.transport.kind).toBe('attached');
  });
});

describe('edge cases', () => {
  it('starts its own core when the token is left from a core that stopped', async () => {
    const dir = tempDir('stale');
    const stopped = await startAgent({ dataDir: dir, ...local, log, env: {} });
    const port = portOf(stopped.admin.url);
    await stopped.stop();
    const { start } = spyStart();
    const core = await startOrAttach({ dataDir: dir, log, start, agentOptions: { adminPort: port }, probeTimeoutMs: 500 });
    cleanup.push(() => core.transport.close());
    expect(start).toHaveBeenCalledTimes(1);
    expect(core.transport.kind).toBe('in-process');
  });

  it('refuses a core of another data directory on our admin port', async () => {
    const dir = tempDir('other');
    // The same token, so the probe is answered: only the data directory differs.
    copyFileSync(dataFiles(runningDir).adminToken, dataFiles(dir).adminToken);
    const { start } = spyStart();
    await expect(startOrAttach({ dataDir: dir, log, start, agentOptions: { adminPort: portOf(running.admin.url) } }))
      .rejects.toThrow(`is used by a Billing Bridge agent of another data directory (${runningDir})`);
    expect(start).not.toHaveBeenCalled();
  });

  it('reports a core that is not there', async () => {
    const t = httpTransport({ port: 1, tokenFile: dataFiles(runningDir).adminToken, timeoutMs: 2_000 });
    const err = await t.call('agent.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminCallError);
    expect(err).toMatchObject({ code: 'agent_unreachable', message: 'the agent is not running (nothing answers on 127.0.0.1:1)' });
  });
});

describe('the command line', () => {
  it('finds the arguments in packaged, development and node launches', () => {
    expect(userArgs({ argv: ['/opt/bb/billing-bridge', '--hidden'], type: 'browser' })).toEqual(['--hidden']);
    expect(userArgs({ argv: ['electron', 'dist/main/shell/main.js', '--hidden'], type: 'browser', defaultApp: true })).toEqual(['--hidden']);
    expect(userArgs({ argv: ['/opt/bb/billing-bridge', '/opt/bb/resources/app.asar/dist/main/shell/main.js', 'serve'] })).toEqual(['serve']);
  });

  it('reads --headless and serve, the data directory and ports, and ignores Chromium switches', () => {
    expect(parseShellArgs(['--data-dir', '/var/lib/billing-bridge', 'serve'])).toMatchObject({ headless: true, dataDir: '/var/lib/billing-bridge' });
    expect(parseShellArgs(['--headless', '--admin-port=9001', '--no-sandbox', '--enable-logging'])).toMatchObject({ headless: true, adminPort: 9001, hidden: false });
    expect(parseShellArgs(['--hidden'])).toMatchObject({ headless: false, hidden: true, dataDir: undefined });
    expect(parseShellArgs(['-d', '/x', '--port', '0'])).toMatchObject({ dataDir: '/x', port: 0 });
    expect(() => parseShellArgs(['--port', 'eighty'])).toThrow('--port must be a port number');
  });
});
