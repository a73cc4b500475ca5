// The agent's Data Provider API with the Carbon adapter, against the Carbon simulator's legacy
// profile (the shape of the spec's sections 3–4) and the field map written for it, both over real
// HTTP on 127.0.0.1. The shape public sources show is exercised in evidence.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ChargesResponse, ContractsResponse, ErrorBody, FORCED_BLOCK_SETTING, ServicesResponse, TariffsResponse, UsersResponse,
} from '../../shared/data-provider.js';
import { CarbonBilling } from '../../main/billing/carbon/index.js';
import { CarbonSettings } from '../../shared/carbon-settings.js';
import { BillingUnavailableError } from '../../main/billing/source.js';
import { silentLogger } from '../../main/logging/logger.js';
import { AccessControl } from '../../main/server/access.js';
import { createApiApp } from '../../main/server/app.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import {
  createCarbonSim, FIXTURE, FIXTURE_HOMES, FIXTURE_SUBSCRIBERS, FIXTURE_TARIFS, FIXTURE_USLUGI, GROUP_PK, type CarbonSim,
} from '../../tools/carbon-sim/index.js';

// A fixed "today" for the simulator's data: 23 November 2026, noon, local time.
const NOW = new Date(2026, 10, 23, 12, 0, 0);
const TIMEOUT_MS = 400;

let sim: CarbonSim;
let carbonUrl: string;
let billing: CarbonBilling;
let api: RunningServer;
/** The adapter's clock; tests move it to expire the catalogue cache. */
let clock = NOW.getTime();

/** The map of the legacy shape: the address and house number are single Homes fields there. */
const LEGACY_MAP = { fields: { address: 'home__name', houseNumber: 'home__number', buildingCode: 'home__fias_guid' } };

function carbonSettings(extra: Record<string, unknown> = {}): CarbonSettings {
  const fields = { ...LEGACY_MAP.fields, ...(extra.fields as Record<string, unknown> | undefined) };
  return CarbonSettings.parse({ url: carbonUrl, timeoutMs: TIMEOUT_MS, ...extra, fields });
}

beforeAll(async () => {
  sim = createCarbonSim({ profile: 'legacy', now: () => new Date(NOW) });
  carbonUrl = (await sim.listen(0, '127.0.0.1')).url;
  billing = new CarbonBilling({ settings: carbonSettings(), now: () => new Date(clock) });
  // The field map is checked against Carbon once, before the first request; not inside a test's count.
  await billing.checkFieldMap();
  const access = new AccessControl({ allowlist: ['127.0.0.1', '::1'], allowAll: false, trustedProxies: [] });
  api = await listen(createApiApp({ billing: () => billing, access, log: silentLogger() }), { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await api?.close();
  await billing?.close();
  await sim?.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.allowIps = null;
});

interface Answer {
  status: number;
  body: unknown;
}

async function get(path: string): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`);
  return { status: res.status, body: await res.json() };
}

async function auth(login: string, pswd: string): Promise<Answer> {
  const res = await fetch(`${api.url}/api/auth`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, pswd }) });
  return { status: res.status, body: await res.json() };
}

/** Runs `work` and returns the Carbon calls it made, as "Model method1+method2". */
async function carbonCalls(work: () => Promise<unknown>): Promise<string[]> {
  sim.resetCalls();
  await work();
  return sim.calls.map((c) => `${c.model} ${c.methods.join('+')}`).sort();
}

const WITH_LOGIN = FIXTURE_SUBSCRIBERS.filter((f) => f.logins.length > 0);
const HOMES = Object.values(FIXTURE_HOMES);

describe('GET /api/users', () => {
  it.each(WITH_LOGIN.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const { status, body } = await get(`/api/users?user_id=${f.pk}`);
    expect(status).toBe(200);
    const [user] = UsersResponse.parse(body);
    const first = [...f.logins].sort((a, b) => a.pk - b.pk)[0]!;
    expect(user).toMatchObject({
      ext_user_id: String(f.pk),
      login: first.login,
      password: first.password,
      full_name: f.name,
      is_blocked: f.deleted === 1 || f.enabled === 0,
    });
    expect(user!.phones.every((p) => p.confirmed === false)).toBe(true);
  });

  it('several logins: the lowest Users pk, every login\'s phone', async () => {
    const [user] = UsersResponse.parse((await get(`/api/users?user_id=${FIXTURE.severalLogins.pk}`)).body);
    expect(user!.login).toBe('morozov_av');
    expect(user!.phones.map((p) => p.number)).toEqual(['9226334455', '9226334456']);
  });

  it('several phones in one sms field, repeated in Users.sms', async () => {
    const [user] = UsersResponse.parse((await get(`/api/users?user_id=${FIXTURE.multiPhones.pk}`)).body);
    expect(user!.phones).toEqual([
      { number: '9090833414', confirmed: false },
      { number: '3512223344', confirmed: false },
      { number: '9123456789', confirmed: false },
    ]);
  });

  it('no phone', async () => {
    const [user] = UsersResponse.parse((await get(`/api/users?user_id=${FIXTURE.noPhone.pk}`)).body);
    expect(user!.phones).toEqual([]);
  });

  it('404 for an unknown pk, a group (folder), a subscriber without a login, and a non-numeric id', async () => {
    for (const id of ['999999', String(GROUP_PK), String(FIXTURE.noLogin.pk), 'abc']) {
      const { status, body } = await get(`/api/users?user_id=${id}`);
      expect(status, id).toBe(404);
      expect(ErrorBody.parse(body).error).toBe('not_found');
    }
    expect(await carbonCalls(() => get('/api/users?user_id=abc'))).toEqual([]);
  });
});

describe('GET /api/contracts', () => {
  const mappable = FIXTURE_SUBSCRIBERS.filter((f) => f.pk !== FIXTURE.badMoneyText.pk);

  it.each(mappable.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const byId = await get(`/api/contracts?id=${f.pk}`);
    expect(byId.status).toBe(200);
    const [contract] = ContractsResponse.parse(byId.body);
    const home = HOMES.find((h) => h.pk === f.homePk);
    // "12,50" is a comma decimal, which rublesToKopecks accepts (the simulator calls it malformed).
    const balance = f.pk === FIXTURE.badMoneyComma.pk ? 1250 : f.balanceKopecks;
    expect(contract).toEqual({
      ext_id: String(f.pk),
      account: f.contractNumber,
      contract: f.contractNumber,
      state: f.state,
      balance,
      address: home?.name ?? '',
      ...(home?.fias_guid && { building_code: home.fias_guid }),
      region: 74,
      ...(home && { building_num: home.number }),
      ...(f.flat && { flat: f.flat }),
      settings: f.forcedBlock ? [FORCED_BLOCK_SETTING] : [],
      options: [],
      tariffs: [String(f.tarifPk), ...f.uslugaPks.map((pk) => `usluga-${pk}`)].map((id) => ({ id, options: [] })),
    });
    const byUser = await get(`/api/contracts?user_id=${f.pk}`);
    expect(byUser.status).toBe(200);
    expect(ContractsResponse.parse(byUser.body)).toEqual([contract]);
  });

  it('states: debt stays connected, blocks suspend, deleted terminates, never activated is new', async () => {
    const state = async (pk: number) => ContractsResponse.parse((await get(`/api/contracts?id=${pk}`)).body)[0]!;
    expect(await state(FIXTURE.debt.pk)).toMatchObject({ state: 2, balance: -41250, settings: [] });
    expect((await state(FIXTURE.voluntaryBlock.pk)).state).toBe(3);
    expect((await state(FIXTURE.voluntaryBlockOpen.pk)).state).toBe(3);
    expect(await state(FIXTURE.adminBlock.pk)).toMatchObject({ state: 2, settings: [FORCED_BLOCK_SETTING] });
    expect((await state(FIXTURE.terminated.pk)).state).toBe(4);
    expect((await state(FIXTURE.notActivated.pk)).state).toBe(1);
    expect((await state(FIXTURE.extraServices.pk)).tariffs.map((t) => t.id)).toEqual(['7', 'usluga-1', 'usluga-2', 'usluga-3']);
  });

  it('a malformed balance is 502 naming nothing secret, not a crash or a zero', async () => {
    for (const path of [`/api/contracts?id=${FIXTURE.badMoneyText.pk}`, `/api/contracts?user_id=${FIXTURE.badMoneyText.pk}`]) {
      const { status, body } = await get(path);
      expect(status).toBe(502);
      expect(ErrorBody.parse(body).error).toBe('billing_data_error');
    }
  });

  it('404 for unknown ids and groups', async () => {
    for (const path of ['/api/contracts?id=999999', '/api/contracts?user_id=999999', `/api/contracts?id=${GROUP_PK}`, '/api/contracts?id=x1']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});

describe('GET /api/tariffs and /api/services', () => {
  it('every Tarif and every Usluga, prices in kopecks, services from the settings', async () => {
    clock += 61_000;
    const { status, body } = await get('/api/tariffs');
    expect(status).toBe(200);
    const tariffs = TariffsResponse.parse(body);
    expect(tariffs).toEqual([
      ...Object.values(FIXTURE_TARIFS).sort((a, b) => a.pk - b.pk).map((t) => ({ id: String(t.pk), name: t.name, services: [{ id: 'intercom' }], cost: t.kopecks })),
      ...Object.values(FIXTURE_USLUGI).sort((a, b) => a.pk - b.pk).map((u) => ({ id: `usluga-${u.pk}`, name: u.name, services: [{ id: 'intercom' }], description: u.comments, cost: u.kopecks })),
    ]);
  });

  it('services come from the settings, without a Carbon call', async () => {
    let answer: Answer | undefined;
    expect(await carbonCalls(async () => (answer = await get('/api/services')))).toEqual([]);
    expect(ServicesResponse.parse(answer!.body)).toEqual([{ id: 'intercom', name: 'Домофон' }, { id: 'video', name: 'Видеонаблюдение' }]);
  });

  it('serviceMap decides what each tariff grants', async () => {
    const mapped = new CarbonBilling({
      settings: carbonSettings({ serviceMap: { '7': ['intercom', 'video'], 'usluga-2': ['video'] }, unmappedServices: [] }),
      now: () => new Date(clock),
    });
    try {
      const tariffs = TariffsResponse.parse(await mapped.listTariffs());
      expect(tariffs.find((t) => t.id === '7')!.services).toEqual([{ id: 'intercom' }, { id: 'video' }]);
      expect(tariffs.find((t) => t.id === 'usluga-2')!.services).toEqual([{ id: 'video' }]);
      expect(tariffs.find((t) => t.id === '3')!.services).toEqual([]);
    } finally {
      await mapped.close();
    }
  });

  it('the catalogue is cached for catalogueTtlSeconds (60 s by default)', async () => {
    clock += 61_000;
    expect(await carbonCalls(() => get('/api/tariffs'))).toEqual(['Tarif objects.filter', 'Usluga objects.filter']);
    clock += 30_000;
    expect(await carbonCalls(() => get('/api/tariffs'))).toEqual([]);
    clock += 31_000;
    expect(await carbonCalls(() => get('/api/tariffs'))).toEqual(['Tarif objects.filter', 'Usluga objects.filter']);
  });
});

describe('GET /api/charges', () => {
  const months = (n: number) => Array.from({ length: n }, (_, k) => {
    const d = new Date(NOW.getFullYear(), NOW.getMonth() - k, 1);
    return `${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getFullYear() % 100).padStart(2, '0')}`;
  });

  it('13 months of charges, newest first, positive kopecks, payments left out', async () => {
    const { status, body } = await get(`/api/charges?user_id=${FIXTURE.healthy.pk}`);
    expect(status).toBe(200);
    const charges = ChargesResponse.parse(body);
    expect(charges.map((c) => c.period)).toEqual(months(13));
    for (const c of charges) {
      expect(c).toMatchObject({ account: FIXTURE.healthy.contractNumber, cost: FIXTURE_TARIFS.internet100.kopecks });
      expect(c.description).toMatch(/^Абонентская плата/);
    }
  });

  it('limit=1 gives the latest charge only', async () => {
    const charges = ChargesResponse.parse((await get(`/api/charges?user_id=${FIXTURE.debt.pk}&limit=1`)).body);
    expect(charges).toEqual([{ account: '74-00012', cost: 69050, period: months(1)[0], description: `Абонентская плата по тарифу «Интернет 300 + ТВ» за 11.2026` }]);
  });

  it('storno operations are ignored', async () => {
    const charges = ChargesResponse.parse((await get(`/api/charges?user_id=${FIXTURE.storno.pk}`)).body);
    expect(charges.map((c) => c.period)).toEqual(months(13));
    expect(charges.some((c) => /сторн/i.test(c.description))).toBe(false);
  });

  it('extra services are charged as well', async () => {
    const charges = ChargesResponse.parse((await get(`/api/charges?user_id=${FIXTURE.extraServices.pk}&limit=4`)).body);
    expect(charges.map((c) => c.cost).sort((a, b) => a - b)).toEqual([6000, 12000, 12000, 15000]);
    expect(charges.every((c) => c.period === months(1)[0])).toBe(true);
  });

  it('no history is an empty list; an unknown user is 404', async () => {
    expect(ChargesResponse.parse((await get(`/api/charges?user_id=${FIXTURE.terminated.pk}`)).body)).toEqual([]);
    expect((await get('/api/charges?user_id=999999')).status).toBe(404);
  });
});

describe('POST /api/auth', () => {
  it('a right pair gives the subscriber pk (also for a second login and a blocked subscriber)', async () => {
    expect(await auth('ivanov_ps', 'Kq7wz2Lm')).toEqual({ status: 200, body: { ext_user_id: String(FIXTURE.healthy.pk) } });
    expect(await auth('morozov_av2', 'Wq8eR3ty')).toEqual({ status: 200, body: { ext_user_id: String(FIXTURE.severalLogins.pk) } });
    expect(await auth('kozlov_sn', 'Tg5yH8uj')).toEqual({ status: 200, body: { ext_user_id: String(FIXTURE.disabled.pk) } });
  });

  it('wrong password and unknown login answer the same 401', async () => {
    const wrong = await auth('ivanov_ps', 'nope');
    const unknown = await auth('nobody_here', 'Kq7wz2Lm');
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    expect(ErrorBody.parse(wrong.body).error).toBe('unauthorized');
  });
});

describe('Carbon calls per request', () => {
  const cases: Array<[string, () => Promise<unknown>, string[]]> = [
    ['auth, right pair', () => auth('ivanov_ps', 'Kq7wz2Lm'), ['Users objects.get', 'Users objects.get+check_pass']],
    ['auth, wrong password', () => auth('ivanov_ps', 'x'), ['Users objects.get+check_pass']],
    ['auth, unknown login', () => auth('nobody', 'x'), ['Users objects.get+check_pass']],
    ['users', () => get(`/api/users?user_id=${FIXTURE.severalLogins.pk}`), ['Abonents objects.get', 'Users objects.filter']],
    ['contracts by user', () => get(`/api/contracts?user_id=${FIXTURE.extraServices.pk}`), ['Abonents objects.get', 'UsersUsluga objects.filter']],
    ['contracts by id', () => get(`/api/contracts?id=${FIXTURE.extraServices.pk}`), ['Abonents objects.get', 'UsersUsluga objects.filter']],
    ['charges', () => get(`/api/charges?user_id=${FIXTURE.extraServices.pk}`), ['Abonents objects.get', 'FinanceOperations objects.filter']],
    ['services', () => get('/api/services'), []],
  ];
  it.each(cases)('%s', async (_name, work, expected) => {
    expect(await carbonCalls(work)).toEqual(expected);
  });

  it('concurrent identical reads share one Carbon call', async () => {
    // Slow answers, so every request arrives while the first one's calls are in flight.
    sim.faults.delayMs = 300;
    const calls = await carbonCalls(async () => {
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, () => get(`/api/users?user_id=${FIXTURE.healthy.pk}`)),
        get(`/api/contracts?id=${FIXTURE.debt.pk}`),
        get(`/api/contracts?user_id=${FIXTURE.debt.pk}`),
      ]);
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    });
    expect(calls).toEqual(['Abonents objects.get', 'Abonents objects.get', 'Users objects.filter', 'UsersUsluga objects.filter']);
  });

  it('concurrent cold catalogue reads share one pair of calls', async () => {
    clock += 61_000;
    sim.faults.delayMs = 250;
    const calls = await carbonCalls(() => Promise.all(Array.from({ length: 5 }, () => get('/api/tariffs'))));
    expect(calls).toEqual(['Tarif objects.filter', 'Usluga objects.filter']);
  });

  it('at most `concurrency` (4) Carbon calls are in flight', async () => {
    sim.faults.delayMs = 100;
    const ids = WITH_LOGIN.slice(0, 8).map((f) => f.pk);
    await carbonCalls(() => Promise.all(ids.map((id) => get(`/api/users?user_id=${id}`))));
    const arrivals = sim.calls.map((c) => c.at);
    expect(arrivals).toHaveLength(16);
    // Each slot starts its next call only after the previous one's 100 ms answer: any window
    // shorter than that sees at most 4 arrivals.
    for (const t of arrivals) expect(arrivals.filter((a) => a >= t && a < t + 90).length).toBeLessThanOrEqual(4);
  });
});

describe('faults: 503 with a JSON error, then recovery', () => {
  type FaultCase = [string, () => void];
  const faults: FaultCase[] = [
    ['slow beyond the timeout', () => { sim.faults.delayMs = TIMEOUT_MS + 600; }],
    ['connection reset', () => { sim.faults.reset = true; }],
    ['error body', () => { sim.faults.errorBody = 'OperationalError: could not connect to server: Connection refused'; }],
    ['malformed JSON', () => { sim.faults.malformedJson = true; }],
    ['HTTP 500', () => { sim.faults.http500 = true; }],
    ['IP allow-list refusal (HTTP 403)', () => { sim.allowIps = ['192.0.2.1']; }],
  ];

  it.each(faults)('%s', async (_name, breakIt) => {
    clock += 61_000; // the catalogue must come from Carbon too
    breakIt();
    const answers = await Promise.all([
      auth('ivanov_ps', 'Kq7wz2Lm'),
      auth('ivanov_ps', 'wrong'),
      auth('nobody', 'x'),
      get(`/api/users?user_id=${FIXTURE.healthy.pk}`),
      get(`/api/contracts?user_id=${FIXTURE.healthy.pk}`),
      get(`/api/contracts?id=${FIXTURE.healthy.pk}`),
      get(`/api/charges?user_id=${FIXTURE.healthy.pk}`),
      get('/api/tariffs'),
    ]);
    for (const answer of answers) {
      // Never a 401 "wrong password", a 404 or an empty list because Carbon failed.
      expect(answer.status).toBe(503);
      expect(ErrorBody.parse(answer.body).error).toBe('billing_unavailable');
    }
    sim.clearFaults();
    sim.allowIps = null;
    expect((await get(`/api/users?user_id=${FIXTURE.healthy.pk}`)).status).toBe(200);
    expect((await auth('ivanov_ps', 'Kq7wz2Lm')).status).toBe(200);
    expect((await get('/api/tariffs')).status).toBe(200);
  });

  it('the adapter\'s messages say what happened', async () => {
    // One Carbon call (a wrong pair), so nothing is left in flight between the cases.
    const message = async () => billing.authenticate('ivanov_ps', 'wrong').then(() => 'answered', (err: Error) => err.message);
    sim.allowIps = ['192.0.2.1'];
    expect(await message()).toMatch(/HTTP 403.*add this host's address \(127\.0\.0\.1\) to Carbon's API allow-list/);
    sim.allowIps = null;
    sim.faults.delayMs = TIMEOUT_MS + 600;
    expect(await message()).toMatch(`did not answer within ${TIMEOUT_MS} ms`);
    sim.clearFaults();
    sim.faults.malformedJson = true;
    expect(await message()).toMatch(/not JSON/);
    sim.clearFaults();
    sim.faults.http500 = true;
    expect(await message()).toMatch(/HTTP 500/);
    sim.clearFaults();
    sim.faults.errorBody = 'database is locked';
    expect(await message()).toMatch(/Carbon answered an error.*database is locked/);
  });

  it('an unreachable Carbon is 503 too', async () => {
    const closed = await listen(createApiApp({ billing: () => billing, access: new AccessControl({ allowlist: ['127.0.0.1'], allowAll: false, trustedProxies: [] }), log: silentLogger() }), { host: '127.0.0.1', port: 0 });
    const port = new URL(closed.url).port;
    await closed.close();
    const gone = new CarbonBilling({ settings: CarbonSettings.parse({ url: `http://127.0.0.1:${port}`, timeoutMs: TIMEOUT_MS }) });
    try {
      await expect(gone.authenticate('ivanov_ps', 'Kq7wz2Lm')).rejects.toThrow(/refused the connection/);
      await expect(gone.listTariffs()).rejects.toBeInstanceOf(BillingUnavailableError);
    } finally {
      await gone.close();
    }
  });
});

describe('password check through web_cabinet.login', () => {
  async function withBilling(extra: Record<string, unknown>, psw: string | null, work: (b: CarbonBilling) => Promise<void>): Promise<void> {
    const b = new CarbonBilling({ settings: carbonSettings({ passwordCheck: 'web_cabinet.login', ...extra }), systemApiPassword: async () => psw });
    try {
      await work(b);
    } finally {
      await b.close();
    }
  }

  it('via system_api: right, wrong, unknown; one call each', async () => {
    await withBilling({ webCabinetVia: 'system_api' }, 'web-secret', async (b) => {
      // model=users in lower case, as the vendor's seed page and public clients write it.
      expect(await carbonCalls(async () => expect(await b.authenticate('ivanov_ps', 'Kq7wz2Lm')).toBe(String(FIXTURE.healthy.pk)))).toEqual(['users web_cabinet.login']);
      expect(await b.authenticate('ivanov_ps', 'nope')).toBeNull();
      expect(await b.authenticate('nobody', 'nope')).toBeNull();
    });
  });

  it('via system_api: a wrong psw or a missing secret is an outage, not a wrong password', async () => {
    await withBilling({ webCabinetVia: 'system_api' }, 'not-the-psw', async (b) => {
      await expect(b.authenticate('ivanov_ps', 'Kq7wz2Lm')).rejects.toThrow(/wrong psw/);
      const items = await b.check();
      expect(items.find((i) => i.name === 'Carbon password check')).toMatchObject({ ok: false });
    });
    await withBilling({ webCabinetVia: 'system_api' }, null, async (b) => {
      await expect(b.authenticate('ivanov_ps', 'Kq7wz2Lm')).rejects.toThrow(/BILLING_BRIDGE_BILLING_PASSWORD/);
    });
  });

  it('via REST v2 (double-encoded answer): right, wrong, unknown', async () => {
    await withBilling({ webCabinetVia: 'rest' }, null, async (b) => {
      expect(await b.authenticate('morozov_av2', 'Wq8eR3ty')).toBe(String(FIXTURE.severalLogins.pk));
      expect(await b.authenticate('morozov_av2', 'nope')).toBeNull();
      expect(await b.authenticate('nobody', 'nope')).toBeNull();
      sim.faults.errorBody = 'Internal error';
      await expect(b.authenticate('ivanov_ps', 'Kq7wz2Lm')).rejects.toBeInstanceOf(BillingUnavailableError);
    });
  });
});

describe('snapshot (change detection)', () => {
  it('reads the base in a fixed handful of bulk calls, skips and records a malformed subscriber, agrees with the API', async () => {
    const snaps: Array<Awaited<ReturnType<typeof collect>>[number]> = [];
    async function collect() {
      const out = [];
      for await (const s of billing.snapshot({ charges: 3 })) out.push(s);
      return out;
    }
    const calls = await carbonCalls(async () => snaps.push(...(await collect())));
    // 13 months of charges in parts of 3 months: 5 FinanceOperations reads, whatever the base's size.
    expect(calls).toEqual(['Abonents objects.filter', ...Array(5).fill('FinanceOperations objects.filter'), 'Users objects.filter', 'UsersUsluga objects.filter']);
    const expected = WITH_LOGIN.filter((f) => f.pk !== FIXTURE.badMoneyText.pk).map((f) => String(f.pk));
    expect(snaps.map((s) => s.user.ext_user_id).sort()).toEqual(expected.sort());
    expect(billing.lastScan).toMatchObject({ subscribers: FIXTURE_SUBSCRIBERS.length, yielded: expected.length, withoutLogin: 1, problemCount: 1 });
    expect(billing.lastScanProblems).toEqual([{ subscriber: String(FIXTURE.badMoneyText.pk), problem: expect.stringMatching(/subscriber 25: account__balance is "abc"/) }]);
    for (const snap of snaps) {
      const id = snap.user.ext_user_id;
      expect(UsersResponse.parse([snap.user])).toEqual(UsersResponse.parse((await get(`/api/users?user_id=${id}`)).body));
      expect(ContractsResponse.parse(snap.contracts)).toEqual(ContractsResponse.parse((await get(`/api/contracts?user_id=${id}`)).body));
      expect(ChargesResponse.parse(snap.charges)).toEqual(ChargesResponse.parse((await get(`/api/charges?user_id=${id}&limit=3`)).body));
    }
  });

  it('a malformed charge skips only its subscriber; a scan without charges makes no FinanceOperations call', async () => {
    const op = sim.addOperation({ abonentId: FIXTURE.debt.pk, summa: '-1,000.00', opDate: '2026-06-01 00:05:00' });
    try {
      const ids: string[] = [];
      for await (const snap of billing.snapshot({ charges: 1 })) ids.push(snap.user.ext_user_id);
      expect(ids).not.toContain(String(FIXTURE.debt.pk));
      expect(ids).toContain(String(FIXTURE.healthy.pk));
      expect(billing.lastScanProblems.map((p) => p.subscriber).sort()).toEqual([String(FIXTURE.debt.pk), String(FIXTURE.badMoneyText.pk)].sort());
      expect(billing.lastScanProblems.find((p) => p.subscriber === String(FIXTURE.debt.pk))!.problem).toMatch(`operation ${op}: op_summa is "-1,000.00"`);
      // The API answers 502 for the same subscriber's charges, and its contract is unaffected.
      expect((await get(`/api/charges?user_id=${FIXTURE.debt.pk}&limit=1`)).status).toBe(502);
      expect((await get(`/api/contracts?id=${FIXTURE.debt.pk}`)).status).toBe(200);
    } finally {
      sim.removeRow('FinanceOperations', op);
    }
    const calls = await carbonCalls(async () => {
      for await (const snap of billing.snapshot({ charges: 0 })) expect(snap.charges).toEqual([]);
    });
    expect(calls).toEqual(['Abonents objects.filter', 'Users objects.filter', 'UsersUsluga objects.filter']);
  });

  it('an outage fails the scan before anything is yielded', async () => {
    sim.faults.http500 = true;
    const yielded: unknown[] = [];
    await expect((async () => {
      for await (const s of billing.snapshot({ charges: 1 })) yielded.push(s);
    })()).rejects.toBeInstanceOf(BillingUnavailableError);
    expect(yielded).toEqual([]);
  });
});

describe('check()', () => {
  it('all items pass against a healthy Carbon', async () => {
    const items = await billing.check();
    expect(items.filter((i) => !i.ok)).toEqual([]);
    expect(items.map((i) => i.name)).toEqual([
      'Carbon REST API', 'Carbon API allow-list',
      'Carbon fields of Abonents', 'Carbon fields of Users', 'Carbon fields of Tarif', 'Carbon fields of Usluga', 'Carbon fields of FinanceOperations',
      'Carbon subscribers', 'Carbon tariffs', 'Carbon password check',
    ]);
    expect(items.find((i) => i.name === 'Carbon subscribers')!.detail).toMatch(`${FIXTURE_SUBSCRIBERS.length} subscribers`);
    expect(items.find((i) => i.name === 'Carbon tariffs')!.detail).toMatch(`${Object.keys(FIXTURE_TARIFS).length} tariffs`);
  });

  it('an inferred field missing on the live system names the setting to change', async () => {
    const b = new CarbonBilling({ settings: carbonSettings({ fields: { address: 'home__nme', tariffPrice: 'price' }, disabled: { field: 'is_enabled' } }) });
    try {
      const items = await b.check();
      expect(items.find((i) => i.name === 'Carbon fields of Abonents')).toMatchObject({ ok: false, detail: expect.stringMatching(/billing\.carbon\.fields\.address|billing\.carbon\.disabled\.field/) });
      expect(items.find((i) => i.name === 'Carbon fields of Tarif')).toMatchObject({ ok: false, detail: expect.stringMatching(/no field price: change the setting billing\.carbon\.fields\.tariffPrice/) });
      expect(items.find((i) => i.name === 'Carbon fields of Users')).toMatchObject({ ok: true });
    } finally {
      await b.close();
    }
  });

  it('an IP allow-list refusal is explained', async () => {
    sim.allowIps = ['192.0.2.1'];
    const items = await billing.check();
    expect(items).toEqual([
      { name: 'Carbon REST API', ok: true, detail: expect.any(String) },
      { name: 'Carbon API allow-list', ok: false, detail: expect.stringMatching(/add this host's address \(127\.0\.0\.1\) to Carbon's API allow-list/) },
    ]);
  });

  it('an unreachable or failing Carbon is reported, not thrown', async () => {
    sim.faults.errorBody = 'database is locked';
    const items = await billing.check();
    expect(items).toEqual([{ name: 'Carbon REST API', ok: false, detail: expect.stringMatching(/database is locked/) }]);
  });
});
