// The agent on a Carbon whose field names differ from the map: status, /readyz and the admin
// operations name the problem in plain words and write a map that fits; `check --fix` does the
// same from the command line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { FieldMapReport, SyncStatus } from '../../shared/admin.js';
import { createCarbonSim, FIXTURE, type CarbonSim } from '../../tools/carbon-sim/index.js';
import { runCli } from '../../tools/cli-process/cli.js';
import { adminCall, agentDataDir } from '../helpers/agent.js';
import { request } from '../helpers/http.js';
import { until } from '../helpers/wait.js';

const PROBLEM = 'Carbon has no field Abonents.account__balance; run billing-bridge check --fix';

const dataDir = (url: string) => agentDataDir({ sync: { enabled: false }, billing: { kind: 'carbon', carbon: { url } } }, 'bb-carbon-agent-');
const admin = adminCall;

describe('the agent, with a required field missing on Carbon', () => {
  let sim: CarbonSim;
  let agent: Agent;
  beforeAll(async () => {
    sim = createCarbonSim({ renameFields: { 'AdminAccounts.balance': 'ostatok' } });
    const { url } = await sim.listen(0, '127.0.0.1');
    agent = await startAgent({ dataDir: dataDir(url), port: 0, adminPort: 0, env: {} });
  });
  afterAll(async () => {
    await agent.stop();
    await sim.close();
  });

  it('status and /readyz say it in plain words; core gets 502 for contracts, not a 503 "cannot be reached"', async () => {
    const status = await until(async () => {
      const s = SyncStatus.parse(((await admin(agent, 'sync.status')).json as { result: unknown }).result);
      return s.problems.includes(PROBLEM) ? s : undefined;
    }, 5_000, 'the field map problem in status');
    expect(status!.problems).toContain(PROBLEM);
    const ready = await request(agent.admin.url, { path: '/readyz' });
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ ready: false, checks: expect.arrayContaining([{ name: 'billing field map', ok: false, detail: PROBLEM }]) });
    const api = agent.api.url.replace('[::1]', '127.0.0.1');
    const contracts = await request(api, { path: `/api/contracts?user_id=${FIXTURE.healthy.pk}` });
    expect(contracts.status).toBe(502);
    expect((await request(api, { path: `/api/users?user_id=${FIXTURE.healthy.pk}` })).status).toBe(200);
  });

  it('billing.fieldMap names the field and its replacement; billing.fixFieldMap writes it', async () => {
    const report = FieldMapReport.parse(((await admin(agent, 'billing.fieldMap')).json as { result: unknown }).result);
    expect(report.fields.find((f) => f.path === 'account__balance')).toMatchObject({ status: 'missing', need: 'required', replacement: 'account__ostatok', setting: 'billing.carbon.fields.balance' });
    const fixed = ((await admin(agent, 'billing.fixFieldMap')).json as { result: { changed: string[]; restartNeeded: string[] } }).result;
    expect(fixed.changed).toEqual(['billing.carbon.fields.balance: account__balance → account__ostatok']);
    // The billing is rebuilt with the new map at once: no restart.
    expect(fixed.restartNeeded).toEqual([]);
    const file = JSON.parse(readFileSync(path.join(agent.dataDir, 'settings.json'), 'utf8')) as { billing: { carbon: { fields: { balance: string } } } };
    expect(file.billing.carbon.fields.balance).toBe('account__ostatok');
    const api = agent.api.url.replace('[::1]', '127.0.0.1');
    await until(async () => (await request(api, { path: `/api/contracts?user_id=${FIXTURE.healthy.pk}` })).status === 200 || undefined, 5_000, 'contracts served with the fixed map');
    const status = SyncStatus.parse(((await admin(agent, 'sync.status')).json as { result: unknown }).result);
    expect(status.problems).not.toContain(PROBLEM);
  });
});

describe('billing-bridge check --fix', () => {
  it('names the missing field and its replacement, writes a map that works, and passes after it', async () => {
    const sim = createCarbonSim({ renameFields: { 'Homes.street': 'street_name', 'Tarif.abonent_pay': 'price' } });
    const { url } = await sim.listen(0, '127.0.0.1');
    try {
      const dir = dataDir(url);
      const before = await runCli(['check', '--data-dir', dir], { timeoutMs: 30_000 });
      expect(before.stdout).toMatch(/WARN\s+Carbon fields of Abonents: no field home__street \(Homes has no street\): change the setting billing\.carbon\.address\.parts\.street to home__street_name/);
      expect(before.stdout).toMatch(/WARN\s+Carbon fields of Tarif: no field abonent_pay: change the setting billing\.carbon\.fields\.tariffPrice to price/);
      const fixed = await runCli(['check', '--fix', '--data-dir', dir], { timeoutMs: 30_000 });
      expect(fixed.stdout).toMatch(/billing\.carbon\.address\.parts\.street: home__street → home__street_name/);
      expect(fixed.stdout).toMatch(/billing\.carbon\.fields\.tariffPrice: abonent_pay → price/);
      expect(fixed.stdout).toContain('All checks passed.');
      expect(fixed.code).toBe(0);
      const file = JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8')) as { billing: { carbon: { address: { parts: Record<string, string> }; fields: { tariffPrice: string } } } };
      expect(file.billing.carbon.address.parts).toMatchObject({ street: 'home__street_name', city: 'home__city', s_number: 'home__s_number' });
      expect(file.billing.carbon.fields.tariffPrice).toBe('price');
    } finally {
      await sim.close();
    }
  }, 60_000);
});
