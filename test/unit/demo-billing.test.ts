import { describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { generateSubscribers } from '../../main/billing/demo/generate.js';
import { ContractsResponse, UsersResponse, ChargesResponse } from '../../shared/data-provider.js';

describe('synthetic demo subscribers', () => {
  it('the same seed gives the same data, another seed other data', () => {
    const a = generateSubscribers(500, 7);
    expect(generateSubscribers(500, 7)).toEqual(a);
    expect(generateSubscribers(500, 8).users.map((u) => u.fullName)).not.toEqual(a.users.map((u) => u.fullName));
  });

  it('100,000 subscribers build quickly and every one is servable', async () => {
    const started = performance.now();
    const demo = new DemoBilling({ synthetic: 100_000 });
    const buildMs = performance.now() - started;
    expect(demo.subscriberCount).toBe(100_000 + 9);
    expect(buildMs).toBeLessThan(10_000);
    // The last synthetic subscriber logs in with the documented password and validates.
    const id = await demo.authenticate('s100000', 'pw-100000');
    expect(id).toBe('70100000');
    UsersResponse.parse([await demo.getUser(id!)]);
    ContractsResponse.parse(await demo.getContractsOfUser(id!));
    ChargesResponse.parse(await demo.getCharges(id!, 13));
  });

  it('snapshot yields every subscriber with their contracts and newest charges', async () => {
    const demo = new DemoBilling({ synthetic: 2_000 });
    let users = 0;
    let contracts = 0;
    for await (const s of demo.snapshot({ charges: 3 })) {
      users++;
      contracts += s.contracts.length;
      expect(s.charges.length).toBeLessThanOrEqual(3);
    }
    expect(users).toBe(2_009);
    expect(contracts).toBeGreaterThan(2_009);
  });

  it('snapshot fails loudly during an outage instead of ending early', async () => {
    const demo = new DemoBilling({ synthetic: 3_000 });
    let seen = 0;
    await expect((async () => {
      for await (const _ of demo.snapshot({ charges: 1 })) {
        if (++seen === 1500) demo.outage = true;
      }
    })()).rejects.toThrow(/outage/);
    expect(seen).toBe(1500);
  });

  it('changes show in what is served', async () => {
    const demo = new DemoBilling({ now: () => new Date('2026-11-23T10:00:00Z') });
    expect(demo.pay('12331250', 50_000).balance).toBe(-45050 + 50_000);
    expect(demo.setTariff('12331300', '52081501').tariffs).toEqual([{ id: '52081501', options: [] }]);
    expect(demo.setForcedBlock('12331231', true).settings).toHaveLength(1);
    demo.charge('12331231', 15_000, 'Замена ключа домофона');
    const [latest] = (await demo.getCharges('58208891', 1))!;
    expect(latest).toEqual({ account: '1595-И', cost: 15_000, period: '11-26', description: 'Замена ключа домофона' });
    expect((await demo.getContract('12331231'))!.balance).toBe(36900 - 15_000);
    expect(() => demo.pay('nope', 1)).toThrow(/no contract nope/);
    expect(() => demo.setTariff('12331231', 'nope')).toThrow(/no tariff nope/);
  });
});
