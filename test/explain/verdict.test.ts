// The door verdict with the demo billing: one test per path the platform's rules can take (debt,
// forced block, no intercom service, healthy, blocked user, new contract, several contracts), the
// callbacks side (changed since the scan, waiting, dead-lettered, delivered), and the permission
// map's edge cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberExplanation, VerdictRule } from '../../shared/admin.js';
import type { Contract } from '../../shared/data-provider.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { CATALOGUE } from '../../main/billing/demo/fixtures.js';
import { PERMISSIONS, Settings } from '../../shared/settings.js';
import { DEMO_SERVICE_PERMISSIONS } from '../../main/billing/demo/fixtures.js';
import { contractVerdict, tariffRule } from '../../main/explain/verdict.js';
import { contractCallback } from '../../main/sync/targets.js';
import { startExplainHarness, type ExplainHarness } from './harness.js';

let h: ExplainHarness;

beforeAll(async () => {
  h = await startExplainHarness();
  await h.scan();
});

afterAll(async () => {
  await h?.close();
});

async function explain(login: string): Promise<SubscriberExplanation> {
  const result = await h.explain.lookup(login);
  expect(result.state).toBe('found');
  return result.explanation!;
}

const ruleOf = (rules: VerdictRule[], name: VerdictRule['rule']) => rules.find((r) => r.rule === name)!;
const failing = (e: SubscriberExplanation) => [...e.userRules, ...e.contracts.flatMap((c) => c.rules)].filter((r) => r.status === 'fail').map((r) => r.code);

describe('the door verdict', () => {
  it('negative balance (58208893, login 3112): no, because the balance is below zero', async () => {
    const e = await explain('3112');
    expect(e.userId).toBe('58208893');
    expect(e.door).toBe('no');
    expect(e.headline.code).toBe('balance-negative');
    expect(e.headline.text).toBe('Balance −450.50 RUB is below zero: the platform grants no permissions until it is paid up to 0 or more.');
    expect(e.headline.params).toEqual({ balance: -45050 });
    expect(failing(e)).toEqual(['balance-negative']);
    expect(ruleOf(e.contracts[0]!.rules, 'tariff').code).toBe('door-service');
  });

  it('forced block (58208894, login 4077): no, whatever the balance', async () => {
    const e = await explain('4077');
    expect(e.userId).toBe('58208894');
    expect(e.door).toBe('no');
    expect(e.headline.code).toBe('forced-block');
    expect(e.headline.text).toMatch(/forced block .*services_suspended_pending_payment.*whatever the balance/);
    // Its balance is fine; the contract is also suspended (state 3).
    const rules = e.contracts[0]!.rules;
    expect(ruleOf(rules, 'balance').status).toBe('ok');
    expect(failing(e)).toEqual(['forced-block', 'state-suspended']);
  });

  it('no intercom service (58208898, login 8420, internet only): no, the tariff opens no door', async () => {
    const e = await explain('8420');
    expect(e.userId).toBe('58208898');
    expect(e.door).toBe('no');
    expect(e.headline.code).toBe('no-intercom-service');
    expect(e.headline.text).toBe('No tariff of this contract («Интернет 300») has a service that gives intercom permissions.');
    expect(e.contracts[0]!.permissions).toEqual([]);
    expect(failing(e)).toEqual(['no-intercom-service']);
    expect(e.core.tariffs).toEqual([{ id: '52081504', name: 'Интернет 300', services: [{ id: '40216203', name: 'Интернет', permissions: [] }] }]);
  });

  it('healthy (58208891, login 1595): yes, every rule passes, core is in step', async () => {
    const e = await explain('1595');
    expect(e.userId).toBe('58208891');
    expect(e.door).toBe('yes');
    expect(e.headline).toMatchObject({ code: 'door-yes', params: { passing: 1, total: 1 } });
    expect([...e.userRules, ...e.contracts[0]!.rules].every((r) => r.status === 'ok')).toBe(true);
    expect(e.contracts[0]!.permissions).toEqual(['open_relay', 'video', 'call_sip', 'call_history', 'access_code']);
    expect(ruleOf(e.userRules, 'delivery').code).toBe('in-step');
    expect(e.delivery.sinceLastScan).toBe('same');
    expect(e.notChecked.map((n) => n.code)).toEqual(['entrance']);
  });

  it('a blocked user (58208897): no, for the user, before any contract', async () => {
    const e = await explain('7155');
    expect(e.door).toBe('no');
    expect(e.headline.code).toBe('user-blocked');
    expect(ruleOf(e.userRules, 'phone').code).toBe('no-phone');
  });

  it('a new contract (58208899, state 1): maybe, it is not connected yet', async () => {
    const e = await explain('9013');
    expect(e.door).toBe('maybe');
    expect(e.headline.code).toBe('state-new');
  });

  it('several contracts (58208892): yes when one passes; the terminated one says why not', async () => {
    const e = await explain('2048');
    expect(e.door).toBe('yes');
    expect(e.headline.params).toEqual({ passing: 2, total: 3 });
    expect(e.contracts.map((c) => [c.extId, c.door])).toEqual([['12331240', 'yes'], ['12331241', 'yes'], ['12331242', 'no']]);
    expect(ruleOf(e.contracts[2]!.rules, 'state').code).toBe('state-terminated');
  });

  it('shows what core gets, never the password', async () => {
    const e = await explain('1595');
    expect(e.core.user).toEqual({
      ext_user_id: '58208891', login: '1595', is_blocked: false, full_name: 'Кузнецова Жанна Владимировна',
      phones: [{ number: '9090833414', confirmed: false }], passwordSet: true,
    });
    expect(JSON.stringify(e)).not.toContain('Zh4nna-1595');
    expect(e.core.contracts.map((c) => c.account)).toEqual(['1595-И']);
    expect(e.core.chargesTotal).toBe(26);
    expect(e.core.charges).toHaveLength(24);
    expect(e.core.charges[0]!.period).toBe('11-26');
  });
});

describe('whether core was told', () => {
  it('a payment not yet scanned: the billing says yes, but core has older data, so maybe', async () => {
    const billing = h.billing as DemoBilling;
    billing.pay('12331250', 50_000);
    try {
      const e = await explain('3112');
      expect(e.door).toBe('maybe');
      expect(e.headline.code).toBe('changed-since-scan');
      expect(e.delivery).toMatchObject({ sinceLastScan: 'changed', changed: ['contract 12331250'] });
      expect(ruleOf(e.contracts[0]!.rules, 'balance').status).toBe('ok');
    } finally {
      billing.pay('12331250', -50_000);
    }
  });

  it('a callback waiting for core, then one given up on, then one core accepted', async () => {
    // Queued as a scan queues it.
    const outboxId = h.state.outbox.enqueue(contractCallback('12331231'), 'scan', Date.now());
    let e = await explain('1595');
    expect(e.door).toBe('maybe');
    expect(e.headline.code).toBe('delivery-waiting');
    expect(e.delivery.waiting).toEqual([expect.objectContaining({ outboxId, target: 'contract 12331231', attempts: 0 })]);

    const now = Date.now();
    h.db.prepare("UPDATE outbox SET state = 'dead', dead_at = ?, dead_reason = 'core answered HTTP 422' WHERE id = ?").run(now, outboxId);
    e = await explain('1595');
    expect(e.headline).toMatchObject({ code: 'delivery-dead', params: { target: 'contract 12331231', reason: 'core answered HTTP 422', id: outboxId } });
    expect(ruleOf(e.userRules, 'delivery').status).toBe('fail');

    // A later callback for the same contract was accepted: the dead letter no longer matters.
    h.db.prepare("INSERT INTO deliveries (at, outbox_id, kind, body, attempt, ok, status, error, duration_ms) VALUES (?, 999, 'contract', ?, 1, 1, 200, NULL, 12)")
      .run(now + 1000, JSON.stringify({ ext_id: '12331231' }));
    e = await explain('1595');
    expect(e.door).toBe('yes');
    expect(ruleOf(e.userRules, 'delivery')).toMatchObject({ code: 'delivered', status: 'ok', params: { target: 'contract 12331231', status: 200 } });
    expect(e.delivery.lastAttempt).toMatchObject({ ok: true, httpStatus: 200, target: 'contract 12331231' });
    h.db.prepare('DELETE FROM outbox').run();
  });
});

describe('the permission map', () => {
  const demoContract = (tariffs: string[]): Contract => ({
    ext_id: '1', account: '1-И', contract: '1-И', state: 2, balance: 0, address: '', settings: [], options: [],
    tariffs: tariffs.map((id) => ({ id, options: [] })),
  });
  const catalogue = { tariffs: CATALOGUE.tariffs, services: CATALOGUE.services };

  it('the demo default names only permissions the platform knows, and the intercom opens the door', () => {
    for (const list of Object.values(DEMO_SERVICE_PERMISSIONS)) for (const p of list) expect(PERMISSIONS).toContain(p);
    expect(DEMO_SERVICE_PERMISSIONS['40216201']).toContain('open_relay');
  });

  it('not set for a real billing: unknown, and the verdict is maybe', () => {
    const v = contractVerdict(demoContract(['52081501']), { ...catalogue, permissions: null });
    expect(v.door).toBe('maybe');
    expect(ruleOf(v.rules, 'tariff')).toMatchObject({ status: 'unknown', code: 'permissions-not-set' });
  });

  it('set empty: no service grants anything, so the platform grants everything (seed 001 §3)', () => {
    expect(tariffRule(demoContract(['52081504']), { ...catalogue, permissions: {} }).rule).toMatchObject({ status: 'ok', code: 'no-permission-services' });
  });

  it('cameras only: permissions, but not the door', () => {
    const r = tariffRule(demoContract(['52081505']), { ...catalogue, permissions: DEMO_SERVICE_PERMISSIONS });
    expect(r.rule).toMatchObject({ status: 'fail', code: 'no-door-permission', params: { permissions: 'cams' } });
  });

  it('a tariff core cannot see, and a contract with no tariff', () => {
    expect(tariffRule(demoContract(['999']), { ...catalogue, permissions: DEMO_SERVICE_PERMISSIONS }).rule.code).toBe('unknown-tariff');
    expect(tariffRule(demoContract([]), { ...catalogue, permissions: DEMO_SERVICE_PERMISSIONS }).rule.code).toBe('no-tariff');
  });

  it('is an optional setting: old files stay valid, wrong permission names are refused', () => {
    expect(Settings.parse({ version: 1 }).permissions).toEqual({});
    expect(Settings.parse({ version: 1, permissions: { services: { 7: ['open_relay', 'cams'] } } }).permissions.services).toEqual({ 7: ['open_relay', 'cams'] });
    const bad = Settings.safeParse({ version: 1, permissions: { services: { 7: ['open_door'] } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['permissions', 'services', '7', 0]);
  });

  it('the setting replaces the demo default', async () => {
    const own = await startExplainHarness({ settings: (s) => { s.permissions.services = { '40216203': ['open_relay'] }; } });
    try {
      await own.scan();
      expect((await own.explain.lookup('8420')).explanation!.door).toBe('yes');
      expect((await own.explain.lookup('1595')).explanation!.contracts[0]!.permissions).toEqual(['open_relay']);
    } finally {
      await own.close();
    }
  });
});
