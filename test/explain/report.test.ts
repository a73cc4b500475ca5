// The sync report: counts of each scan with the difference from the one before, and the
// subscribers core cannot be served well, by kind, ids only — from the demo billing, a billing
// made for the purpose, and the Carbon mapping.
import { afterAll, describe, expect, it } from 'vitest';
import { CarbonSettings } from '../../shared/carbon-settings.js';
import { toSnapshot } from '../../main/billing/carbon/mapping.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { UNPARSEABLE_PHONE } from '../../main/billing/source.js';
import { phoneFieldUnparseable } from '../../main/billing/phone-problems.js';
import { splitPhones } from '../../main/billing/phones.js';
import { PROBLEM_IDS_KEPT } from '../../main/explain/scan-observer.js';
import { TableBilling } from '../sync/harness.js';
import { startExplainHarness, type ExplainHarness } from './harness.js';

const made: ExplainHarness[] = [];
afterAll(async () => {
  for (const h of made) await h.close();
});

async function harness(options: Parameters<typeof startExplainHarness>[0] = {}): Promise<ExplainHarness> {
  const h = await startExplainHarness(options);
  made.push(h);
  return h;
}

describe('the sync report with the demo billing', () => {
  it('says so before the first scan', async () => {
    const h = await harness();
    expect(h.explain.report()).toEqual({
      message: 'No scan has finished yet: the report is made by each successful scan of the billing.',
      last: null, previous: null, differences: null, problems: [], history: [],
    });
  });

  it('counts what the scan saw and names 58208899 ("не указан") as unparseable and 58208897 (empty) as without phone', async () => {
    const h = await harness();
    await h.scan();
    const r = h.explain.report();
    expect(r.last).toMatchObject({ subscribers: 9, contracts: 11, tariffs: 6, services: 5, problems: 2 });
    expect(r.previous).toBeNull();
    expect(r.problems).toEqual([
      { kind: 'unparseable-phone', count: 1, items: [{ userId: '58208899', contractId: null }] },
      { kind: 'no-phone', count: 1, items: [{ userId: '58208897', contractId: null }] },
    ]);

    await h.scan();
    const again = h.explain.report();
    expect(again.differences).toEqual({ subscribers: 0, contracts: 0, tariffs: 0, services: 0, problems: 0 });
    expect(again.history).toHaveLength(1);
  });

  it('the demo adapter marks the unparseable phone itself, and only that one', async () => {
    const problems = new Map<string, string[] | undefined>();
    for await (const snap of new DemoBilling().snapshot({ charges: 0 })) problems.set(snap.user.ext_user_id, snap.problems);
    expect(problems.get('58208899')).toEqual([UNPARSEABLE_PHONE]);
    expect([...problems].filter(([, p]) => p !== undefined).map(([id]) => id)).toEqual(['58208899']);
  });
});

describe('problems of every kind, with differences between scans', () => {
  it('no phone, unparseable phone, no tariff, unknown tariff, duplicate logins; counts follow the billing', async () => {
    const billing = new TableBilling();
    billing.add('ok', ['c-ok']);
    billing.add('nophone', ['c-np'], { phones: [] });
    billing.add('badphone', ['c-bp'], { phones: [] });
    billing.get('badphone').problems = [UNPARSEABLE_PHONE];
    billing.add('notariff', ['c-nt']);
    billing.get('notariff').contracts[0]!.tariffs = [];
    billing.add('dup1', ['c-d1'], { login: 'Same' });
    billing.add('dup2', ['c-d2'], { login: 'same' });
    // TableBilling lists no tariffs; give it a catalogue so unknown ones can be told.
    billing.listTariffs = async () => [{ id: '52081501', name: 'Домофон', cost: 6000, services: [] }];
    billing.add('unknown', ['c-un']);
    billing.get('unknown').contracts[0]!.tariffs = [{ id: 'gone', options: [] }];

    const h = await harness({ billing });
    await h.scan();
    const r = h.explain.report();
    const byKind = Object.fromEntries(r.problems.map((p) => [p.kind, p.items.map((i) => i.contractId ? `${i.userId}/${i.contractId}` : i.userId).sort()]));
    expect(byKind).toEqual({
      'duplicate-login': ['dup1', 'dup2'],
      'no-tariff': ['notariff/c-nt'],
      'unknown-tariff': ['unknown/c-un'],
      'unparseable-phone': ['badphone'],
      'no-phone': ['nophone'],
    });
    expect(r.problems.map((p) => p.kind)).toEqual(['duplicate-login', 'no-tariff', 'unknown-tariff', 'unparseable-phone', 'no-phone']);
    expect(r.last).toMatchObject({ subscribers: 7, contracts: 7, tariffs: 1, services: 0, problems: 6 });

    billing.add('late', ['c-l1', 'c-l2']);
    billing.subscribers.delete('dup2');
    await h.scan();
    const next = h.explain.report();
    expect(next.differences).toEqual({ subscribers: 0, contracts: 1, tariffs: 0, services: 0, problems: -2 });
    expect(next.problems.find((p) => p.kind === 'duplicate-login')).toBeUndefined();
  });

  it('keeps exact counts but at most 100 ids per kind, and no catalogue means "not known", not a failed scan', async () => {
    const billing = new TableBilling();
    for (let i = 0; i < 150; i++) billing.add(`n${i}`, [`c${i}`], { phones: [] });
    billing.listTariffs = async () => {
      throw new Error('catalogue down');
    };
    const h = await harness({ billing });
    await h.scan();
    const r = h.explain.report();
    expect(r.problems).toEqual([{ kind: 'no-phone', count: 150, items: expect.any(Array) }]);
    expect(r.problems[0]!.items).toHaveLength(PROBLEM_IDS_KEPT);
    expect(r.last).toMatchObject({ subscribers: 150, tariffs: null, services: null });
  });
});

describe('the Carbon adapter tells of unparseable phones', () => {
  const settings = CarbonSettings.parse({});
  const m = { settings, phone: { format: 'national' as const, defaultCountry: 'RU' } };
  const abonent = (sms: string) => ({ pk: 11, fields: { name: 'Иванов', sms, account: { fields: { balance: '10.00' } }, contract_number: '11-И', enabled: 1, deleted: 0, activate_date: '2020-01-01' } });
  const users = [{ pk: 111, fields: { login: 'ivanov', sms: '', gen_pwd: 'x', abonent_id: 11 } }];

  it.each([
    ['+7 (912) 345-67-89', undefined],
    ['', undefined],
    ['не указан', [UNPARSEABLE_PHONE]],
    ['89123456789, 12-34', [UNPARSEABLE_PHONE]],
  ])('sms %j → problems %j', (sms, problems) => {
    const snap = toSnapshot(abonent(sms), users, [], [], m, '2026-11-15')!;
    expect(snap.problems).toEqual(problems);
  });

  it('a login\'s own phone field counts too', () => {
    const snap = toSnapshot(abonent('89123456789'), [{ pk: 111, fields: { ...users[0]!.fields, sms: 'нет' } }], [], [], m, '2026-11-15')!;
    expect(snap.problems).toEqual([UNPARSEABLE_PHONE]);
    expect(snap.user.phones.map((p) => p.number)).toEqual(['9123456789']);
  });

  it('the rule itself: text without a number, or a piece that is not one; empty is "no phone"', () => {
    const check = (field: string) => phoneFieldUnparseable(field, splitPhones(field));
    expect([check('не указан'), check('12-34'), check(''), check('  '), check('9090833414 (жена)')]).toEqual([true, true, false, false, false]);
  });
});
