// The sync service inside the real agent: admin operations over the loopback admin API, the demo
// mutations reaching the fake core, pause persisted in the settings file, the CLI.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCallError } from '../../shared/admin-client.js';
import { httpAdminClient } from '../../main/admin/client.js';
import { startAgent, type Agent } from '../../main/agent.js';
import { startFakeCore, type FakeCore } from '../../main/fake-core/index.js';
import { silentLogger } from '../../main/logging/logger.js';
import { dataFiles } from '../../main/settings/paths.js';
import { SyncStatus } from '../../shared/admin.js';
import { request } from '../helpers/http.js';
import { runCli } from '../../tools/cli-process/cli.js';
import { cb, removeTempDirs, TableBilling, tempDir, until } from './harness.js';

let core: FakeCore;
let dir: string;
let agent: Agent | undefined;

const client = () => httpAdminClient({ port: Number(new URL(agent!.admin.url).port), tokenFile: dataFiles(dir).adminToken });
const received = () => core.received.map((r) => `${r.kind} ${JSON.stringify(r.body)}`).sort();

async function start(): Promise<Agent> {
  agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, log: silentLogger(), env: { BILLING_BRIDGE_CORE_PASSWORD: 'core-secret' } });
  return agent;
}

beforeAll(async () => {
  core = await startFakeCore({ login: 'isp', password: 'core-secret' });
  dir = tempDir('bb-agent-');
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, core: { baseUrl: core.url, login: 'isp' } }));
  await start();
  await until(async () => (await client().call('sync.status', {})).baselineAt, 10_000, 'the baseline');
});

afterAll(async () => {
  await agent?.stop();
  await core.close();
  removeTempDirs();
});

describe('sync in the running agent', () => {
  it('a demo change made through the admin API reaches core within seconds', async () => {
    const res = await client().call('demo.pay', { contractId: '12331231', rubles: '150.50' });
    expect(res).toMatchObject({ ext_id: '12331231', balance: 36900 + 15050 });
    expect(res.message).toContain('paid 150.50 RUB');
    await core.waitFor((r) => r.length === 1, 5_000);
    expect(received()).toEqual([cb.contract('12331231')]);

    await client().call('demo.setBlock', { contractId: '12331260', blocked: false });
    await client().call('demo.setTariff', { contractId: '12331270', tariffId: '52081502' });
    await client().call('demo.charge', { contractId: '12331300', rubles: 99, description: 'Замена ключа' });
    await core.waitFor((r) => r.length === 6, 5_000);
    expect(received()).toEqual([
      cb.charge('58208895'), cb.charge('58208898'),
      cb.contract('12331231'), cb.contract('12331260'), cb.contract('12331270'), cb.contract('12331300'),
    ]);
    const status = SyncStatus.parse(await client().call('sync.status', {}));
    expect(status.core).toEqual({ configured: true, baseUrl: core.url, login: 'isp', passwordSet: true });
    expect(status.problems).toEqual([]);
  });

  it('demo operations refuse bad input with a clear message', async () => {
    await expect(client().call('demo.pay', { contractId: 'nope', rubles: 1 })).rejects.toThrow('no contract nope in the demo billing');
    await expect(client().call('demo.pay', { contractId: '12331231', rubles: '-5' })).rejects.toThrow('is not a positive amount of rubles');
    await expect(client().call('demo.setTariff', { contractId: '12331231', tariffId: '1' })).rejects.toThrow('no tariff 1');
  });

  it('a manual callback reports core\'s answer; the history and dead letters are readable', async () => {
    const sent = await client().call('callback.send', { target: 'charge', id: '58208891' });
    expect(sent).toMatchObject({ outcome: 'delivered', httpStatus: 200, target: 'charges of user 58208891', body: { user_ext_id: '58208891' } });
    const history = await client().call('deliveries.recent', { limit: 3 });
    expect(history[0]).toMatchObject({ ok: true, httpStatus: 200, target: 'charges of user 58208891' });
    expect(await client().call('outbox.deadLetters', {})).toEqual({ total: 0, items: [] });
    expect(await client().call('outbox.resend', { all: true })).toMatchObject({ requeued: 0 });
  });

  it('the CLI shows the status and sends a callback through the running agent', async () => {
    const port = new URL(agent!.admin.url).port;
    // Two processes at once: each pays the start-up of node and tsx.
    const [status, json] = await Promise.all([
      runCli(['--data-dir', dir, 'status', '--admin-port', port]),
      runCli(['--data-dir', dir, 'callback', 'contract', '12331231', '--admin-port', port, '--json']),
    ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Sync:        on, scanning every 60 s');
    expect(status.stdout).toContain(`Core:        ${core.url} (login "isp", password set)`);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ outcome: 'delivered', httpStatus: 200 });
  });

  it('pause is kept in the settings file and across a restart; the API keeps serving; resume delivers the queue', async () => {
    const paused = await client().call('sync.pause', {});
    expect(paused).toMatchObject({ enabled: false, delivery: { state: 'paused' } });
    const file = dataFiles(dir).settings;
    expect(JSON.parse(readFileSync(file, 'utf8')).sync.enabled).toBe(false);
    // Edits the admin made to the file are kept by pause/resume.
    expect(JSON.parse(readFileSync(file, 'utf8')).core.baseUrl).toBe(core.url);

    const users = await request(agent!.api.url, { path: '/api/users?user_id=58208891' });
    expect(users.status).toBe(200);
    await expect(client().call('sync.scanNow', {})).rejects.toThrow(AdminCallError);
    await expect(client().call('sync.scanNow', {})).rejects.toThrow('sync is paused, so it cannot scan: resume it first (billing-bridge sync resume)');
    const queued = await client().call('callback.send', { target: 'user', id: '58208899', waitSeconds: 0.2 });
    expect(queued.outcome).toBe('queued');

    await agent!.stop();
    const before = core.received.length;
    await start();
    expect((await client().call('sync.status', {})).enabled).toBe(false);
    expect((await client().call('sync.status', {})).outbox.pending).toBe(1);
    expect(core.received.length).toBe(before);

    const resumed = await client().call('sync.resume', {});
    expect(resumed.enabled).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).sync.enabled).toBe(true);
    await core.waitFor((r) => r.some((x) => x.body.user_ext_id === '58208899'), 5_000);
    // The restart reset the in-memory demo billing: the resume scan tells core about that too.
    await until(async () => (await client().call('sync.status', {})).outbox.pending === 0, 5_000);
  });

  it('the database is readable by its owner only', () => {
    expect(statSync(dataFiles(dir).database).mode & 0o777).toBe(0o600);
  });
});

describe('demo operations on another billing', () => {
  it('refuse with a message that names the billing', async () => {
    const other = tempDir('bb-agent-');
    const table = new TableBilling();
    table.add('u1', ['c1']);
    const a = await startAgent({ dataDir: other, port: 0, adminPort: 0, log: silentLogger(), billing: table });
    try {
      const c = httpAdminClient({ port: Number(new URL(a.admin.url).port), tokenFile: dataFiles(other).adminToken });
      await expect(c.call('demo.pay', { contractId: 'c1', rubles: 1 })).rejects.toThrow('demo operations work only with the demo billing; this agent reads the table billing');
      const status = await c.call('sync.status', {});
      expect(status.problems.join('\n')).toContain('core is not configured');
    } finally {
      await a.stop();
    }
  });
});
