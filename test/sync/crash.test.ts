// kill -9 at awkward moments: a real agent process is killed while core is slow and while core
// fails; after each restart every expected callback still arrives and the baseline is not re-sent.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpAdminClient } from '../../main/admin/client.js';
import { startFakeCore, type FakeCore } from '../../main/fake-core/index.js';
import { dataFiles } from '../../main/settings/paths.js';
import { startServe, type ServeProcess } from '../../tools/cli-process/cli.js';
import { freePort } from '../../tools/cli-process/free-port.js';
import { cb, removeTempDirs, tempDir, until } from './harness.js';

const SYNTHETIC = 5_000;

let core: FakeCore;
let dir: string;
let adminPort: number;
let agent: ServeProcess | undefined;

const admin = () => httpAdminClient({ port: adminPort, tokenFile: dataFiles(dir).adminToken, timeoutMs: 20_000 });
const targets = () => [...new Set(core.received.map((r) => `${r.kind} ${JSON.stringify(r.body)}`))].sort();

/** Starts the agent and returns how long it took until the API listened. */
async function serve(): Promise<number> {
  const t0 = performance.now();
  agent = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', String(adminPort)], {
    env: { BILLING_BRIDGE_CORE_PASSWORD: 'core-secret' },
    timeoutMs: 20_000,
  });
  return performance.now() - t0;
}

async function kill9(): Promise<void> {
  const code = await agent!.stop('SIGKILL');
  expect(code).toBeNull();
  agent = undefined;
}

beforeAll(async () => {
  core = await startFakeCore({ login: 'isp', password: 'core-secret' });
  dir = tempDir('bb-crash-');
  adminPort = await freePort();
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
    version: 1,
    billing: { demo: { synthetic: SYNTHETIC } },
    core: { baseUrl: core.url, login: 'isp', timeoutMs: 30_000 },
    // Scans only when asked (and at start), so the test decides when changes are seen.
    sync: { intervalSeconds: 3600 },
  }));
});

afterAll(async () => {
  if (agent) await agent.stop('SIGKILL');
  await core.close();
  removeTempDirs();
});

describe('kill -9', () => {
  it('loses no callback and does not re-send the baseline', { timeout: 60_000 }, async () => {
    await serve();
    const baseline = await until(async () => (await admin().call('sync.status', {})).baselineAt, 20_000, 'the baseline');
    expect(core.attempts).toEqual([]);

    // 1. Core is slow: the callbacks are on the wire when the agent dies.
    core.set({ delayMs: 60_000 });
    await admin().call('demo.pay', { contractId: '12331231', rubles: 100 });
    await admin().call('demo.charge', { contractId: '12331240', rubles: 50, description: 'Замена ключа' });
    await admin().call('demo.pay', { contractId: '90000001', rubles: 10 });
    const scan = await admin().call('sync.scanNow', {});
    expect(scan).toMatchObject({ ok: true, subscribers: SYNTHETIC + 9 });
    await until(async () => (await admin().call('sync.status', {})).delivery.inFlight > 0, 5_000, 'deliveries in flight');
    await kill9();
    expect(core.received).toEqual([]);

    // 2. Restart while core fails: the queue survived; kill again while it retries.
    core.set({ delayMs: 0, failWith: 503 });
    const restartMs = await serve();
    expect(restartMs).toBeLessThan(5_000);
    await until(async () => (await admin().call('sync.status', {})).outbox.pending >= 4, 5_000, 'the queue after restart');
    await until(() => core.attempts.filter((a) => a.status === 503).length > 0, 5_000, 'failed attempts');
    const afterFirstKill = await admin().call('sync.status', {});
    expect(afterFirstKill.baselineAt).toBe(baseline);
    await kill9();

    // 3. Core is back: everything arrives, once per target, and nothing else.
    core.set({ failWith: null });
    await serve();
    await until(async () => {
      const s = await admin().call('sync.status', {});
      return s.outbox.pending === 0 && s.scan.last !== null && s.scan.running === false && s.scan.lastSuccessAt !== null;
    }, 15_000, 'an empty outbox');
    // The restarts reset the in-memory demo billing, which changes the same targets back: the
    // same callbacks again, never the 10,000 of a re-sent baseline.
    expect(targets()).toEqual([cb.charge('58208892'), cb.contract('12331231'), cb.contract('12331240'), cb.contract('90000001')]);
    expect(core.received.length).toBeLessThan(20);
    const status = await admin().call('sync.status', {});
    expect(status.baselineAt).toBe(baseline);
    expect(status.outbox.deadLetters).toBe(0);
      await agent!.stop('SIGTERM');
    agent = undefined;
  });
});
