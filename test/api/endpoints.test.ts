import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthResponse, ChargesResponse, ContractsResponse, ErrorBody, MAX_CHARGES, ServicesResponse, TariffsResponse, UsersResponse,
  FORCED_BLOCK_SETTING, type Charge, type Contract, type Tariff, type User,
} from '../../shared/data-provider.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { CONTRACTS, USERS } from '../../main/billing/demo/fixtures.js';
import { request } from '../helpers/http.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

const NOW = new Date('2026-11-23T12:00:00Z');
let api: TestApi;
let demo: DemoBilling;

beforeAll(async () => {
  demo = new DemoBilling({ now: () => NOW });
  api = await startTestApi({ billing: demo });
});
afterAll(() => api.close());

const get = (path: string) => request(api.url, { path });
const auth = (body: unknown, headers?: Record<string, string>) =>
  request(api.url, { method: 'POST', path: '/api/auth', body: body as object, headers });

function expectError(res: { status: number; json: unknown; headers: Record<string, unknown> }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = ErrorBody.parse(res.json);
  expect(body.message).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
  return body;
}

/** MM-YY → a number that grows with time. */
const periodKey = (p: string) => Number(p.slice(3)) * 100 + Number(p.slice(0, 2));

describe('every demo subscriber is served in the contract\'s shape', () => {
  it.each(USERS.map((u) => [u.login, u] as const))('user %s: users, contracts and charges validate', async (_login, u) => {
    const users = await get(`/api/users?user_id=${u.id}`);
    expect(users.status).toBe(200);
    expect(users.headers['content-type']).toBe('application/json; charset=utf-8');
    const [user] = UsersResponse.parse(users.json);
    expect(user).toMatchObject({ ext_user_id: u.id, login: u.login, password: u.password, full_name: u.fullName, is_blocked: u.blocked });

    const contracts = await get(`/api/contracts?user_id=${u.id}`);
    expect(contracts.status).toBe(200);
    const list = ContractsResponse.parse(contracts.json);
    expect(list.map((c) => c.ext_id).sort()).toEqual(CONTRACTS.filter((c) => c.userId === u.id).map((c) => c.id).sort());

    for (const c of list) {
      const one = await get(`/api/contracts?id=${c.ext_id}`);
      expect(one.status).toBe(200);
      expect(ContractsResponse.parse(one.json)).toEqual([c]);
    }

    const charges = await get(`/api/charges?user_id=${u.id}`);
    expect(charges.status).toBe(200);
    const all = ChargesResponse.parse(charges.json);
    const keys = all.map((c) => periodKey(c.period));
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
    for (const charge of all) expect(list.map((c) => c.account)).toContain(charge.account);
  });

  it('ids are strings and money is integer kopecks throughout', async () => {
    const contracts = ContractsResponse.parse((await get('/api/contracts?user_id=58208891')).json);
    expect(contracts[0]).toMatchObject({ ext_id: '12331231', account: '1595-И', contract: '1595-И', balance: 36900, state: 2, region: 74 });
    expect(contracts[0]!.tariffs).toEqual([{ id: '52081503', options: [{ category_name: 'Скидка', name: 'Скидка за регулярную оплату', hidden: false, value: -1000 }] }]);
  });
});

describe('the cases the demo is there to show', () => {
  const contract = async (id: string): Promise<Contract> => ContractsResponse.parse((await get(`/api/contracts?id=${id}`)).json)[0]!;
  const user = async (id: string): Promise<User> => UsersResponse.parse((await get(`/api/users?user_id=${id}`)).json)[0]!;

  it('a user with several contracts gets them all', async () => {
    const list = ContractsResponse.parse((await get('/api/contracts?user_id=58208892')).json);
    expect(list.map((c) => c.account)).toEqual(['2048-И', '2048-Д', '2048-С']);
  });

  it('a debt is a negative balance', async () => {
    expect((await contract('12331250')).balance).toBe(-45050);
  });

  it('a forced block carries the services_suspended_pending_payment setting; others carry none', async () => {
    expect((await contract('12331260')).settings).toEqual([FORCED_BLOCK_SETTING]);
    expect((await contract('12331231')).settings).toEqual([]);
  });

  it('a terminated contract has state 4', async () => {
    expect((await contract('12331242')).state).toBe(4);
    expect((await contract('12331290')).state).toBe(4);
  });

  it('hidden options are sent with hidden: true', async () => {
    const options = (await contract('12331280')).options;
    expect(options).toContainEqual({ category_name: 'Доплата', name: 'Доплата за труднодоступный/удалённый регион', hidden: true, value: 2000 });
  });

  it('phones typed in mixed formats come out as 10 digits; junk is dropped', async () => {
    expect((await user('58208891')).phones).toEqual([{ number: '9090833414', confirmed: false }]);
    expect((await user('58208893')).phones.map((p) => p.number)).toEqual(['9090833415', '3512223344']);
    expect((await user('58208896')).phones.map((p) => p.number)).toEqual(['9123456789', '9227654321']);
    expect((await user('58208894')).phones.map((p) => p.number)).toEqual(['9123456789']);
    expect((await user('58208899')).phones).toEqual([]);
    expect((await user('58208897')).phones).toEqual([]);
  });

  it('the tariff catalogue has a without_cost tariff and every referenced id resolves', async () => {
    const tariffs: Tariff[] = TariffsResponse.parse((await get('/api/tariffs')).json);
    const services = ServicesResponse.parse((await get('/api/services')).json);
    expect(tariffs.find((t) => t.id === '1081664501')).toMatchObject({ name: 'Снежный', without_cost: true });
    expect(tariffs.find((t) => t.id === '1081664501')).not.toHaveProperty('cost');
    const serviceIds = new Set(services.map((s) => s.id));
    for (const t of tariffs) for (const s of t.services) expect(serviceIds).toContain(s.id);
    const tariffIds = new Set(tariffs.map((t) => t.id));
    for (const c of CONTRACTS) for (const t of c.tariffs) expect(tariffIds).toContain(t.id);
  });

  it('charges cover more than 12 months, newest first, with MM-YY periods and a limit', async () => {
    const all: Charge[] = ChargesResponse.parse((await get('/api/charges?user_id=58208891')).json);
    expect(all.length).toBeGreaterThanOrEqual(13);
    expect(all[0]).toEqual({ account: '1595-И', cost: 63000, period: '11-26', description: 'Абонентская плата «Космос» за ноябрь 2026' });
    expect(new Set(all.map((c) => c.period)).size).toBe(all.length);
    const latest = ChargesResponse.parse((await get('/api/charges?user_id=58208891&limit=1')).json);
    expect(latest).toEqual([all[0]]);
    expect(ChargesResponse.parse((await get('/api/charges?user_id=58208891&limit=3')).json)).toEqual(all.slice(0, 3));
  });

  it('a terminated contract stops being charged; a new one has no charges yet', async () => {
    const charges = ChargesResponse.parse((await get('/api/charges?user_id=58208897')).json);
    expect(charges[0]!.period).toBe('08-26'); // ended 3 months before November 2026
    expect(ChargesResponse.parse((await get('/api/charges?user_id=58208899')).json)).toEqual([]);
  });

  it('without a limit at most MAX_CHARGES are answered, and a huge limit is capped', async () => {
    const huge = ChargesResponse.parse((await get('/api/charges?user_id=58208892&limit=999999999')).json);
    const none = ChargesResponse.parse((await get('/api/charges?user_id=58208892')).json);
    expect(huge).toEqual(none);
    expect(none.length).toBeLessThanOrEqual(MAX_CHARGES);
    expect(none.length).toBe(40 + 14 + 22); // three contracts' charged months
  });

  it('phones can be served with the country code when the setting says so', async () => {
    const intl = await startTestApi({ demo: { phone: { format: 'international', defaultCountry: 'RU' } } });
    try {
      const [u] = UsersResponse.parse((await request(intl.url, { path: '/api/users?user_id=58208893' })).json);
      expect(u!.phones.map((p) => p.number)).toEqual(['79090833415', '73512223344']);
    } finally {
      await intl.close();
    }
  });
});

describe('POST /api/auth', () => {
  it('a right pair gives the user id', async () => {
    const res = await auth({ login: '1595', pswd: 'Zh4nna-1595' });
    expect(res.status).toBe(200);
    expect(AuthResponse.parse(res.json)).toEqual({ ext_user_id: '58208891' });
  });

  it('a blocked user still authenticates', async () => {
    expect((await auth({ login: '7155', pswd: 'morozova7155' })).json).toEqual({ ext_user_id: '58208897' });
  });

  it('wrong password and unknown login get the same 401', async () => {
    const wrong = await auth({ login: '1595', pswd: 'nope' });
    const unknown = await auth({ login: 'nobody', pswd: 'Zh4nna-1595' });
    expectError(wrong, 401);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
  });

  it('is case-sensitive about the password', async () => {
    expect((await auth({ login: '1595', pswd: 'zh4nna-1595' })).status).toBe(401);
  });

  it.each([
    ['missing pswd', { login: '1595' }, /pswd/],
    ['missing login', { pswd: 'x' }, /login/],
    ['numbers instead of strings', { login: 1595, pswd: 58208891 }, /login/],
    ['empty strings', { login: '', pswd: '' }, /must not be empty/],
    ['an array', [{ login: '1595', pswd: 'x' }], /object/],
    ['null', null, /./],
  ])('400 for %s', async (_name, body, message) => {
    const res = await auth(body);
    expect(expectError(res, 400).message).toMatch(message);
  });

  it('400 for a body that is not JSON, and for an empty body', async () => {
    expect(expectError(await request(api.url, { method: 'POST', path: '/api/auth', body: '{"login":', headers: { 'content-type': 'application/json' } }), 400).message).toMatch(/not valid JSON/);
    expect(expectError(await request(api.url, { method: 'POST', path: '/api/auth', body: '', headers: { 'content-type': 'application/json' } }), 400).message).toMatch(/empty/);
  });

  it('accepts JSON without a Content-Type, refuses other types with 415', async () => {
    expect((await request(api.url, { method: 'POST', path: '/api/auth', body: '{"login":"1595","pswd":"Zh4nna-1595"}' })).status).toBe(200);
    expectError(await request(api.url, { method: 'POST', path: '/api/auth', body: 'login=1595&pswd=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
  });

  it('413 for a body over 16 KiB, declared or streamed', async () => {
    const big = JSON.stringify({ login: '1595', pswd: 'x'.repeat(17 * 1024) });
    expectError(await request(api.url, { method: 'POST', path: '/api/auth', body: big, headers: { 'content-type': 'application/json' } }), 413);
    expectError(await request(api.url, { method: 'POST', path: '/api/auth', body: big, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }), 413);
  });

  it('a login or password over 256 characters is a 400, not a billing call', async () => {
    expectError(await auth({ login: 'a'.repeat(300), pswd: 'x' }), 400);
  });
});

describe('query errors', () => {
  it.each([
    ['/api/users', 400, /user_id: required/],
    ['/api/users?user_id=', 400, /user_id: must not be empty/],
    ['/api/users?user_id=1&user_id=2', 400, /user_id/],
    ['/api/users?user_id=00000000', 404, /no user 00000000/],
    ['/api/contracts', 400, /exactly one of user_id or id/],
    ['/api/contracts?user_id=58208891&id=12331231', 400, /exactly one/],
    ['/api/contracts?id=404404', 404, /no contract/],
    ['/api/contracts?user_id=404404', 404, /no user/],
    ['/api/charges', 400, /user_id: required/],
    ['/api/charges?user_id=404404', 404, /no user/],
    ['/api/charges?user_id=58208891&limit=0', 400, /limit: must be at least 1/],
    ['/api/charges?user_id=58208891&limit=-1', 400, /limit: must be a positive whole number/],
    ['/api/charges?user_id=58208891&limit=abc', 400, /limit/],
    ['/api/charges?user_id=58208891&limit=1.5', 400, /limit/],
    [`/api/users?user_id=${'9'.repeat(200)}`, 400, /too long/],
  ])('%s → %i', async (path, status, message) => {
    expect(expectError(await get(path), status).message).toMatch(message);
  });

  it('unknown paths are 404 JSON', async () => {
    expect(expectError(await get('/api/nothing'), 404).message).toMatch(/no GET \/api\/nothing endpoint/);
    expectError(await get('/'), 404);
  });

  it('a wrong method is 405 JSON with an Allow header', async () => {
    const res = await request(api.url, { method: 'DELETE', path: '/api/users?user_id=58208891' });
    expect(expectError(res, 405).message).toMatch(/accepts/);
    expect(res.headers.allow).toMatch(/GET/);
    const getAuth = await get('/api/auth');
    expectError(getAuth, 405);
    expect(getAuth.headers.allow).toBe('POST');
  });
});

describe('billing failures are never empty data', () => {
  it('an outage is a 503 JSON error on every endpoint, and serving resumes after it', async () => {
    demo.outage = true;
    try {
      for (const path of ['/api/users?user_id=58208891', '/api/contracts?user_id=58208891', '/api/contracts?id=12331231', '/api/services', '/api/tariffs', '/api/charges?user_id=58208891']) {
        const res = await get(path);
        expect(expectError(res, 503).error).toBe('billing_unavailable');
        expect(res.headers['retry-after']).toBe('30');
      }
      expectError(await auth({ login: '1595', pswd: 'Zh4nna-1595' }), 503);
    } finally {
      demo.outage = false;
    }
    expect((await get('/api/users?user_id=58208891')).status).toBe(200);
  });

  it('an unexpected failure is a generic 500 that leaks nothing', async () => {
    const broken = Object.create(new DemoBilling()) as DemoBilling;
    broken.getUser = async () => {
      throw new Error('connect to db://admin:hunter2@10.0.0.5 failed');
    };
    const api2 = await startTestApi({ billing: broken });
    try {
      const res = await request(api2.url, { path: '/api/users?user_id=58208891' });
      expect(expectError(res, 500).error).toBe('internal_error');
      expect(res.text).not.toMatch(/hunter2|10\.0\.0\.5|Error:/);
    } finally {
      await api2.close();
    }
  });
});

describe('methods the server does not know', () => {
  it('an unknown method is a 501 JSON error, not a 500', async () => {
    const res = await request(api.url, { method: 'PROPFIND', path: '/api/users?user_id=58208891' });
    expect(res.status).toBe(501);
    expect(ErrorBody.parse(res.json).error).toBe('not_implemented');
  });
});
