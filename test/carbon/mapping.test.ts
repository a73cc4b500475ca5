// Pure pieces of the Carbon adapter that the simulator does not reach: error classification,
// web_cabinet answers, charges and catalogue rules, the probe's blame, the limiters.
import { describe, expect, it } from 'vitest';
import { BillingDataError, BillingUnavailableError } from '../../main/billing/source.js';
import { classifyCarbonError, type CarbonRow } from '../../main/billing/carbon/client.js';
import { parsePk } from '../../main/billing/carbon/index.js';
import { Semaphore, SingleFlight } from '../../main/billing/carbon/limits.js';
import { chargeWindow, readPath, readWebCabinetLogin, toCharges, toTariffs, windowParts } from '../../main/billing/carbon/mapping.js';
import { blame, probesOf } from '../../main/billing/carbon/probe.js';
import { CarbonSettings } from '../../shared/carbon-settings.js';

const settings = CarbonSettings.parse({});

describe('Carbon error texts', () => {
  const cases: Array<[string, string]> = [
    ['Abonents matching query does not exist.', 'not-found'],
    ['DoesNotExist: Users matching query does not exist.', 'not-found'],
    ['get() returned more than one Users -- it returned 2!', 'several'],
    ["Cannot resolve keyword 'nme' into field. Choices are: id, name", 'unknown-field'],
    ["Homes has no field named 'nme'", 'unknown-field'],
    ['OperationalError: could not connect to server', 'other'],
    ['Access denied', 'other'],
    ['', 'other'],
  ];
  it.each(cases)('%j → %s', (text, kind) => expect(classifyCarbonError(text)).toBe(kind));
});

describe('web_cabinet.login answers', () => {
  const session = { session_id: 'abc', user: { id: 111, login: 'ivanov_ps', abonent_id: 11 } };
  it('a session gives the abonent id, through system_api and double-encoded through REST', () => {
    expect(readWebCabinetLogin(session, 'system_api')).toBe('11');
    expect(readWebCabinetLogin([JSON.stringify(session)], 'rest')).toBe('11');
  });
  it('a credentials error is a wrong pair', () => {
    expect(readWebCabinetLogin({ error: 'Неверный логин или пароль' }, 'system_api')).toBeNull();
    expect(readWebCabinetLogin([JSON.stringify({ error: 'Неверный логин или пароль' })], 'rest')).toBeNull();
  });
  it.each([
    'Access denied: wrong psw for context web',
    'Context=web is not defined',
    'Internal error: database is locked',
    'something nobody expected',
  ])('%j is an outage, never a wrong password', (error) => {
    expect(() => readWebCabinetLogin({ error }, 'system_api')).toThrow(BillingUnavailableError);
  });
  it('garbage is an outage', () => {
    expect(() => readWebCabinetLogin(['{not json'], 'rest')).toThrow(BillingUnavailableError);
    expect(() => readWebCabinetLogin(true, 'rest')).toThrow(BillingUnavailableError);
    expect(() => readWebCabinetLogin({}, 'system_api')).toThrow(BillingUnavailableError);
  });
});

const op = (pk: number, fields: Record<string, unknown>): CarbonRow => ({ pk, fields: { abonent_id: 42, storno: 0, comment: '', ...fields } });

describe('charges', () => {
  const ops = [
    op(1, { op_date: '2026-10-01 00:05:00', op_summa: '-450.00', comment: 'Абонентская плата', op_type: 2 }),
    op(2, { op_date: '2026-10-09 12:00:00', op_summa: '500.00', comment: 'Платёж', op_type: 1 }),
    op(3, { op_date: '2026-11-01 00:05:00', op_summa: '-450.00', comment: '', op_type: 2 }),
    op(4, { op_date: '2026-11-01 00:05:00', op_summa: '-60.00', comment: 'Домофон', op_type: 3 }),
    op(5, { op_date: '2026-09-01 00:05:00', op_summa: '-450.00', storno: 1, op_type: 2 }),
    op(6, { op_date: '2025-12-31 23:59:59', op_summa: -99.9, comment: 'Разовое', op_type: 9 }),
  ];

  it('negative amounts are charges; newest first; storno skipped; empty comment gets the fallback', () => {
    expect(toCharges(ops, '74-42', '42', settings, 10)).toEqual([
      { account: '74-42', cost: 6000, period: '11-26', description: 'Домофон' },
      { account: '74-42', cost: 45000, period: '11-26', description: 'Списание' },
      { account: '74-42', cost: 45000, period: '10-26', description: 'Абонентская плата' },
      { account: '74-42', cost: 9990, period: '12-25', description: 'Разовое' },
    ]);
    expect(toCharges(ops, '74-42', '42', settings, 1)).toHaveLength(1);
  });

  it('the charge rule can be an operation type instead', () => {
    const byType = CarbonSettings.parse({ charges: { rule: 'type', types: [2, 3] } });
    expect(toCharges(ops, 'a', '42', byType, 10).map((c) => c.cost)).toEqual([6000, 45000, 45000]);
  });

  it('a malformed amount names the subscriber, the operation and the field', () => {
    expect(() => toCharges([op(7, { op_date: '2026-11-01', op_summa: '1e3' })], 'a', '42', settings, 5)).toThrow(BillingDataError);
    expect(() => toCharges([op(7, { op_date: '2026-11-01', op_summa: '1e3' })], 'a', '42', settings, 5)).toThrow(/subscriber 42, operation 7: op_summa is "1e3"/);
    expect(() => toCharges([op(8, { op_date: '01.11.2026', op_summa: '-1.00' })], 'a', '42', settings, 5)).toThrow(/op_date is "01.11.2026"/);
  });

  it('the scan reads the window in parts that share their boundaries', () => {
    expect(windowParts(new Date(2026, 10, 23, 12), 13, 3)).toEqual([
      { from: '2025-11-01 00:00:00', to: '2026-02-01 00:00:00' },
      { from: '2026-02-01 00:00:00', to: '2026-05-01 00:00:00' },
      { from: '2026-05-01 00:00:00', to: '2026-08-01 00:00:00' },
      { from: '2026-08-01 00:00:00', to: '2026-11-01 00:00:00' },
      { from: '2026-11-01 00:00:00', to: '2026-11-23 23:59:59' },
    ]);
    expect(windowParts(new Date(2026, 10, 23, 12), 13, 13)).toEqual([chargeWindow(new Date(2026, 10, 23, 12), 13)]);
    expect(windowParts(new Date(2026, 10, 23, 12), 2, 5)).toEqual([{ from: '2026-10-01 00:00:00', to: '2026-11-23 23:59:59' }]);
  });

  it('an operation read twice (on a boundary) counts once', () => {
    const twice = [...ops, ops[2]!];
    expect(toCharges(twice, 'a', '42', settings, 10)).toEqual(toCharges(ops, 'a', '42', settings, 10));
  });

  it('the window: 13 calendar months including this one, through the end of today', () => {
    expect(chargeWindow(new Date(2026, 10, 23, 12), 13)).toEqual({ from: '2025-11-01 00:00:00', to: '2026-11-23 23:59:59' });
    expect(chargeWindow(new Date(2026, 0, 5), 1)).toEqual({ from: '2026-01-01 00:00:00', to: '2026-01-05 23:59:59' });
  });
});

describe('tariff catalogue', () => {
  it('no price or zero is without_cost; a malformed price names the tariff', () => {
    const tarifs: CarbonRow[] = [{ pk: 2, fields: { name: 'Бесплатный', abonent_pay: '0.00' } }, { pk: 1, fields: { name: '', abonent_pay: null } }];
    expect(toTariffs(tarifs, [], settings)).toEqual([
      { id: '1', name: 'Тариф 1', services: [{ id: 'intercom' }], without_cost: true },
      { id: '2', name: 'Бесплатный', services: [{ id: 'intercom' }], without_cost: true },
    ]);
    expect(() => toTariffs([{ pk: 3, fields: { name: 'x', abonent_pay: '1 000' } }], [], settings)).toThrow(/tariff 3: abonent_pay is "1 000"/);
  });

  it('the service map refers to the platform catalogue', () => {
    expect(() => CarbonSettings.parse({ serviceMap: { '7': ['nope'] } })).toThrow(/not one of services/);
    expect(() => CarbonSettings.parse({ serviceMap: { 'tariff-7': ['intercom'] } })).toThrow(/tariff pk/);
  });
});

describe('small helpers', () => {
  it('readPath walks nested fk objects', () => {
    const row: CarbonRow = { pk: 1, fields: { home: { pk: 3, model: 'Homes', fields: { name: 'ул. Кирова' } }, account: null } };
    expect(readPath(row, 'home__name')).toBe('ул. Кирова');
    expect(readPath(row, 'account__balance')).toBeNull();
    expect(readPath(row, 'missing')).toBeUndefined();
  });

  it('parsePk accepts positive integers only', () => {
    expect(['11', '0', '-1', '1.5', 'abc', '', '1e3', '9'.repeat(16)].map(parsePk)).toEqual([11, null, null, null, null, null, null, null]);
  });

  it('the probe blames the settings whose path holds the quoted name', () => {
    const abonents = probesOf(CarbonSettings.parse({ fields: { address: 'home__nme' } }))[0]!;
    expect(blame("Cannot resolve keyword 'nme' into field. Choices are: fias_guid, id, name", abonents.fields).map((f) => f.setting)).toEqual(['billing.carbon.fields.address']);
    expect(blame("Abonents has no field named 'enabled'", abonents.fields).map((f) => f.setting)).toEqual(['billing.carbon.disabled.field']);
  });

  it('Semaphore: at most N holders, the rest wait in order or give up', async () => {
    const sem = new Semaphore(2);
    const a = await sem.acquire();
    await sem.acquire();
    const order: string[] = [];
    const c = sem.acquire().then((release) => { order.push('c'); return release; });
    const d = sem.acquire(20).then(() => order.push('d'), (err: Error) => order.push(err.name));
    expect(sem.inUse).toBe(2);
    await d;
    a();
    (await c)();
    expect(order).toEqual(['BusyError', 'c']);
    expect(sem.inUse).toBe(1);
  });

  it('SingleFlight shares one promise per key while it runs', async () => {
    const flights = new SingleFlight();
    let runs = 0;
    const work = () => new Promise<number>((resolve) => setTimeout(() => resolve(++runs), 10));
    const [x, y, z] = await Promise.all([flights.run('k', work), flights.run('k', work), flights.run('other', work)]);
    expect([x, y, z].sort()).toEqual([1, 1, 2]);
    expect(flights.size).toBe(0);
    expect(await flights.run('k', work)).toBe(3);
  });
});
