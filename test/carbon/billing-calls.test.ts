// The load the agent puts on Carbon, as status and /metrics show it: every HTTP exchange the
// simulator receives is counted once, under change detection or under requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { SyncStatus } from '../../shared/admin.js';
import { createCarbonSim, FIXTURE, type CarbonSim } from '../../tools/carbon-sim/index.js';
import { adminCall, agentDataDir } from '../helpers/agent.js';
import { request } from '../helpers/http.js';
import { until } from '../helpers/wait.js';

const status = async (agent: Agent) => SyncStatus.parse(((await adminCall(agent, 'sync.status')).json as { result: unknown }).result);

async function counted(agent: Agent): Promise<{ scan: number; request: number }> {
  const text = (await request(agent.admin.url, { path: '/metrics' })).text;
  const read = (purpose: string) => Number(new RegExp(`^billing_bridge_billing_server_calls_total\\{purpose="${purpose}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { scan: read('scan'), request: read('request') };
}

describe('calls at the billing, by purpose', () => {
  let sim: CarbonSim;
  let agent: Agent;
  beforeAll(async () => {
    sim = createCarbonSim();
    const { url } = await sim.listen(0, '127.0.0.1');
    const dir = agentDataDir({ sync: { enabled: true, intervalSeconds: 3600 }, billing: { kind: 'carbon', carbon: { url } } }, 'bb-carbon-calls-');
    agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: {} });
    // The first scan (the baseline) and the field-map check run at start-up.
    await until(async () => ((await status(agent)).scan.lastSuccessAt !== null && !(await status(agent)).scan.running) || undefined, 20_000, 'the first scan');
  });
  afterAll(async () => {
    await agent.stop();
    await sim.close();
  });

  it('a scan\'s exchanges count as change detection, a Data Provider request\'s as requests, each exactly once', async () => {
    const before = await counted(agent);
    sim.resetCalls();
    expect((await adminCall(agent, 'sync.scanNow')).status).toBe(200);
    const scanCalls = sim.calls.length;
    expect(scanCalls).toBeGreaterThan(0);
    const afterScan = await counted(agent);
    expect(afterScan).toEqual({ scan: before.scan + scanCalls, request: before.request });

    sim.resetCalls();
    const api = agent.api.url.replace('[::1]', '127.0.0.1');
    expect((await request(api, { path: `/api/contracts?user_id=${FIXTURE.healthy.pk}` })).status).toBe(200);
    const requestCalls = sim.calls.length;
    expect(requestCalls).toBeGreaterThan(0);
    expect(await counted(agent)).toEqual({ scan: afterScan.scan, request: afterScan.request + requestCalls });

    // Status shows the last minute: everything above happened within it.
    const minute = (await status(agent)).billing.callsPerMinute;
    expect(minute.scan).toBeGreaterThanOrEqual(scanCalls);
    expect(minute.request).toBeGreaterThanOrEqual(requestCalls);
  });
});
