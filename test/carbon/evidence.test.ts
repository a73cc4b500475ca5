// The adapter against the simulator's default profile, the shape public sources show (spec §6),
// with only billing.carbon.url set: every endpoint answers as the spec requires. Then Carbons whose
// names differ from the map: check names the field and its replacement, the fix works, a missing
// required field is a named problem and never an outage for core.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractsResponse, ErrorBody, FORCED_BLOCK_SETTING, UsersResponse, type Contract } from '../../shared/data-provider.js';
import { CarbonBilling } from '../../main/billing/carbon/index.js';
import { CarbonSettings } from '../../shared/carbon-settings.js';
import { deepMerge } from '../../main/settings/settings-store.js';
import { BillingFieldError, BillingGarbageError, BillingRefusedError, BillingUnavailableError, BillingUnreachableError } from '../../main/billing/source.js';
import { silentLogger } from '../../main/logging/logger.js';
import { openState } from '../../main/state/index.js';
import { PasswordGuard } from '../../main/security/password-guard.js';
import { AccessControl } from '../../main/server/access.js';
import { createApiApp } from '../../main/server/app.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import {
  BLOCKED_FIXTURE, FIXTURE, FIXTURE_HOMES, FIXTURE_SUBSCRIBERS, GROUP_FIXTURE, assembledAddress, createCarbonSim, type CarbonSim, type CarbonSimOptions,
} from '../../tools/carbon-sim/index.js';

const NOW = new Date(2026, 10, 23, 12, 0, 0);
const HOMES = Object.values(FIXTURE_HOMES);

interface Stack {
  sim: CarbonSim;
  billing: CarbonBilling;
  api: RunningServer;
  guard: PasswordGuard;
  get(path: string): Promise<{ status: number; body: unknown }>;
  auth(login: string, pswd: string): Promise<{ status: number; body: unknown }>;
  /** The Carbon calls `work` made, as "Model method1+method2" (the one-time field map check is done before). */
  calls(work: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

async function stack(settings: Record<string, unknown> = {}, simOptions: CarbonSimOptions = {}): Promise<Stack> {
  const sim = createCarbonSim({ now: () => new Date(NOW), ...simOptions });
  const { url } = await sim.listen(0, '127.0.0.1');
  const billing = new CarbonBilling({ settings: CarbonSettings.parse({ url, ...settings }), now: () => new Date(NOW) });
  const guard = new PasswordGuard(openState(':memory:').lockouts, () => ({ maxFailures: 3, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 1000 }));
  const access = new AccessControl({ allowlist: ['127.0.0.1'], allowAll: false, trustedProxies: [] });
  const api = await listen(createApiApp({ billing: () => billing, access, log: silentLogger(), passwordGuard: guard }), { host: '127.0.0.1', port: 0 });
  const get = async (path: string) => {
    const res = await fetch(`${api.url}${path}`);
    return { status: res.status, body: await res.json() };
  };
  const auth = async (login: string, pswd: string) => {
    const res = await fetch(`${api.url}/api/auth`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, pswd }) });
    return { status: res.status, body: await res.json() };
  };
  return {
    sim, billing, api, guard, get, auth,
    async calls(work) {
      await billing.checkFieldMap().catch(() => undefined);
      sim.resetCalls();
      await work();
      return sim.calls.map((c) => `${c.model} ${c.methods.join('+')}`).sort();
    },
    async close() {
      await api.close();
      guard.close();
      await billing.close();
      await sim.close();
    },
  };
}

describe('the default profile, only billing.carbon.url set', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await stack();
  });
  afterAll(() => s.close());
  afterEach(() => s.sim.clearFaults());

  it('the field map is read from Carbon\'s listing and fits: no problems, enabled/deleted simply not used', async () => {
    const map = await s.billing.checkFieldMap();
    expect(map.problems).toEqual([]);
    expect(map.warnings).toEqual([]);
    expect(map.settings.disabled.field).toBe('');
    expect(map.settings.deleted.field).toBe('');
    expect(map.blocks).toBe(true);
    expect(s.billing.problems()).toEqual([]);
  });

  it('every fixture subscriber with a login is a user; nobody is blocked by fields this Carbon lacks', async () => {
    for (const f of FIXTURE_SUBSCRIBERS.filter((x) => x.logins.length > 0)) {
      const { status, body } = await s.get(`/api/users?user_id=${f.pk}`);
      expect(status, f.name).toBe(200);
      const [user] = UsersResponse.parse(body);
      expect(user).toMatchObject({ ext_user_id: String(f.pk), login: [...f.logins].sort((a, b) => a.pk - b.pk)[0]!.login, full_name: f.name, is_blocked: false });
    }
  });

  it('contracts: the address assembled from Homes parts, building_num = s_number + s_liter, flat = a_home_number', async () => {
    const mappable = FIXTURE_SUBSCRIBERS.filter((f) => f.pk !== FIXTURE.badMoneyText.pk);
    for (const f of mappable) {
      const { status, body } = await s.get(`/api/contracts?id=${f.pk}`);
      expect(status, f.name).toBe(200);
      const [contract] = ContractsResponse.parse(body);
      const home = HOMES.find((h) => h.pk === f.homePk);
      expect(contract!.address, f.name).toBe(home ? assembledAddress(home) : '');
      expect(contract!.building_num, f.name).toBe(home ? `${home.s_number}${home.s_liter}` : undefined);
      expect(contract!.flat).toBe(f.flat || undefined);
      // No public source names a FIAS field: no building_code by default.
      expect(contract!.building_code).toBeUndefined();
    }
    const [settlement] = ContractsResponse.parse((await s.get(`/api/contracts?id=${FIXTURE.terminated.pk}`)).body);
    expect(settlement!.address).toBe('г. Челябинск, пос. Шершни, ул. Молдавская, д. 16');
    const [liter] = ContractsResponse.parse((await s.get(`/api/contracts?id=${FIXTURE.debt.pk}`)).body);
    expect(liter).toMatchObject({ address: 'г. Челябинск, пр. Ленина, д. 21А', building_num: '21А', flat: '45' });
  });

  it('states and blocks from confirmed fields and block records', async () => {
    const contract = async (pk: number): Promise<Contract> => ContractsResponse.parse((await s.get(`/api/contracts?id=${pk}`)).body)[0]!;
    expect((await contract(FIXTURE.voluntaryBlock.pk)).state).toBe(3);
    expect((await contract(FIXTURE.voluntaryBlockOpen.pk)).state).toBe(3);
    expect((await contract(FIXTURE.notActivated.pk)).state).toBe(1);
    expect(await contract(FIXTURE.adminBlock.pk)).toMatchObject({ state: 2, settings: [FORCED_BLOCK_SETTING] });
    // A current AbonentsBlock record is a forced block; an ended one is not.
    expect(await contract(BLOCKED_FIXTURE.pk)).toMatchObject({ state: 2, settings: [FORCED_BLOCK_SETTING] });
    expect((await contract(FIXTURE.healthy.pk)).settings).toEqual([]);
    // Carbon has no enabled/deleted here, so those fixtures are plain connected contracts.
    expect((await contract(FIXTURE.terminated.pk)).state).toBe(2);
    expect((await contract(FIXTURE.disabled.pk)).state).toBe(2);
  });

  it('two calls per request, subscribers fetched by {"id": …} as public clients do', async () => {
    expect(await s.calls(() => s.get(`/api/contracts?id=${BLOCKED_FIXTURE.pk}`))).toEqual(['Abonents objects.get', 'UsersUsluga objects.filter']);
    expect(await s.calls(() => s.get(`/api/users?user_id=${FIXTURE.healthy.pk}`))).toEqual(['Abonents objects.get', 'Users objects.filter']);
    expect(await s.calls(() => s.get(`/api/charges?user_id=${FIXTURE.healthy.pk}`))).toEqual(['Abonents objects.get', 'FinanceOperations objects.filter']);
    const get = s.sim.calls.find((c) => c.model === 'Abonents')!;
    expect(JSON.parse(get.args[0]!)).toEqual({ id: FIXTURE.healthy.pk, is_folder: 0 });
  });

  it('auth by check_pass', async () => {
    expect(await s.auth('ivanov_ps', 'Kq7wz2Lm')).toEqual({ status: 200, body: { ext_user_id: String(FIXTURE.healthy.pk) } });
    expect((await s.auth('ivanov_ps', 'nope')).status).toBe(401);
  });

  it('the bulk scan agrees with the API, block records included', async () => {
    const snaps = [];
    for await (const snap of s.billing.snapshot({ charges: 3 })) snaps.push(snap);
    const blocked = snaps.find((x) => x.user.ext_user_id === String(BLOCKED_FIXTURE.pk))!;
    expect(blocked.contracts[0]!.settings).toEqual([FORCED_BLOCK_SETTING]);
    for (const snap of snaps.slice(0, 6)) {
      const id = snap.user.ext_user_id;
      expect(snap.contracts).toEqual(ContractsResponse.parse((await s.get(`/api/contracts?user_id=${id}`)).body));
    }
  });
});

describe('web_cabinet.login', () => {
  it('through system_api without a psw (none configured), reading user.abonent.pk', async () => {
    const s = await stack({ passwordCheck: 'web_cabinet.login' });
    try {
      expect(await s.auth('smirnova_ov', 'r8TnX4pa')).toEqual({ status: 200, body: { ext_user_id: String(FIXTURE.debt.pk) } });
      expect((await s.auth('smirnova_ov', 'wrong')).status).toBe(401);
      const call = s.sim.calls.find((c) => c.api === 'system')!;
      expect(call.model).toBe('users');
    } finally {
      await s.close();
    }
  });

  it('through REST (double-encoded), reading user.abonent.pk', async () => {
    const s = await stack({ passwordCheck: 'web_cabinet.login', webCabinetVia: 'rest' });
    try {
      expect(await s.auth('morozov_av2', 'Wq8eR3ty')).toEqual({ status: 200, body: { ext_user_id: String(FIXTURE.severalLogins.pk) } });
    } finally {
      await s.close();
    }
  });

  it('"Context=web is not defined" is explained with the vendor\'s fix, and core gets the usual 503', async () => {
    const s = await stack({ passwordCheck: 'web_cabinet.login' }, { systemApiContexts: { collector: 'x' } });
    try {
      await expect(s.billing.authenticate('ivanov_ps', 'Kq7wz2Lm')).rejects.toThrow(/network\['api\.context'\].*restart the billing/);
      const answer = await s.auth('ivanov_ps', 'Kq7wz2Lm');
      expect(answer.status).toBe(503);
      expect(ErrorBody.parse(answer.body).error).toBe('billing_unavailable');
    } finally {
      await s.close();
    }
  });
});

describe('groups: several accounts of one person', () => {
  const g = GROUP_FIXTURE;

  it('accounts: "group" serves a group with a login as one user, one contract per member, balance from the account that pays', async () => {
    const s = await stack({ accounts: 'group' });
    try {
      const [user] = UsersResponse.parse((await s.get(`/api/users?user_id=${g.group.pk}`)).body);
      expect(user).toMatchObject({ ext_user_id: String(g.group.pk), login: g.group.login.login, full_name: g.group.name, phones: [{ number: '9120404040', confirmed: false }] });
      const contracts = ContractsResponse.parse((await s.get(`/api/contracts?user_id=${g.group.pk}`)).body);
      expect(contracts.map((c) => [c.ext_id, c.account, c.balance])).toEqual([
        [String(g.flat.pk), g.flat.contractNumber, g.flat.balanceKopecks],
        [String(g.dacha.pk), g.dacha.contractNumber, g.dacha.balanceKopecks],
      ]);
      expect(contracts[0]!.tariffs.map((t) => t.id)).toEqual(['3', 'usluga-1']);
      // A member is served within its group, not as a user of its own; its login signs in as the group.
      expect((await s.get(`/api/users?user_id=${g.flat.pk}`)).status).toBe(404);
      expect(await s.auth(g.flat.login.login, g.flat.login.password)).toEqual({ status: 200, body: { ext_user_id: String(g.group.pk) } });
      expect(await s.auth(g.group.login.login, g.group.login.password)).toEqual({ status: 200, body: { ext_user_id: String(g.group.pk) } });
      const charges = (await s.get(`/api/charges?user_id=${g.group.pk}`)).body as Array<{ account: string }>;
      expect(new Set(charges.map((c) => c.account))).toEqual(new Set([g.flat.contractNumber, g.dacha.contractNumber]));
      // Subscribers outside such groups are unchanged.
      expect((await s.get(`/api/users?user_id=${FIXTURE.healthy.pk}`)).status).toBe(200);
      expect((await s.get('/api/users?user_id=1')).status).toBe(404);
      // At most two Carbon calls per request, groups included.
      for (const path of [`/api/users?user_id=${g.group.pk}`, `/api/contracts?user_id=${g.group.pk}`, `/api/charges?user_id=${g.group.pk}`, `/api/contracts?user_id=${FIXTURE.healthy.pk}`]) {
        expect((await s.calls(() => s.get(path))).length, path).toBeLessThanOrEqual(2);
      }
      expect((await s.calls(() => s.auth(g.flat.login.login, g.flat.login.password))).length).toBe(2);
      // The scan sees the group as one user with both contracts.
      const snaps = [];
      for await (const snap of s.billing.snapshot({ charges: 5 })) snaps.push(snap);
      const group = snaps.find((x) => x.user.ext_user_id === String(g.group.pk))!;
      expect(group.contracts.map((c) => c.ext_id)).toEqual([String(g.flat.pk), String(g.dacha.pk)]);
      expect(snaps.some((x) => x.user.ext_user_id === String(g.flat.pk))).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('per-abonent (the default): the member is its own user, and the one without an account is paid by its group', async () => {
    const s = await stack();
    try {
      expect((await s.get(`/api/users?user_id=${g.group.pk}`)).status).toBe(404);
      expect(UsersResponse.parse((await s.get(`/api/users?user_id=${g.flat.pk}`)).body)[0]!.login).toBe(g.flat.login.login);
      expect(ContractsResponse.parse((await s.get(`/api/contracts?id=${g.dacha.pk}`)).body)[0]!.balance).toBe(g.dacha.balanceKopecks);
    } finally {
      await s.close();
    }
  });
});

describe('logging in by contract number', () => {
  it('loginBy ["login", "contract_number"]: the contract number signs in, and lockouts count per account', async () => {
    const s = await stack({ loginBy: ['login', 'contract_number'] });
    try {
      const f = FIXTURE.healthy;
      expect(await s.auth(f.contractNumber, 'Kq7wz2Lm')).toEqual({ status: 200, body: { ext_user_id: String(f.pk) } });
      expect(await s.auth('ivanov_ps', 'Kq7wz2Lm')).toEqual({ status: 200, body: { ext_user_id: String(f.pk) } });
      expect(await s.billing.resolveLogin('74-99999')).toBeNull();
      // Three wrong passwords, under two spellings of one account, lock it (maxFailures 3 here).
      for (const login of [f.contractNumber, 'ivanov_ps', f.contractNumber]) expect((await s.auth(login, 'wrong')).status).toBe(401);
      expect(s.guard.status().locked.map((l) => l.ref)).toEqual([s.guard.refOf('ivanov_ps')]);
      // Locked: even the right password is refused, whichever spelling.
      expect((await s.auth('ivanov_ps', 'Kq7wz2Lm')).status).toBe(401);
      expect((await s.auth(f.contractNumber, 'Kq7wz2Lm')).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('without the option a contract number is not a login', async () => {
    const s = await stack();
    try {
      expect((await s.auth(FIXTURE.healthy.contractNumber, 'Kq7wz2Lm')).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});

describe('charges from ArchAccountStack', () => {
  it('the same charges as FinanceOperations, read from balance movements', async () => {
    const fo = await stack();
    const arch = await stack({ charges: { source: 'ArchAccountStack' } });
    try {
      for (const pk of [FIXTURE.healthy.pk, FIXTURE.extraServices.pk, FIXTURE.storno.pk]) {
        const a = (await arch.get(`/api/charges?user_id=${pk}`)).body;
        expect(a).toEqual((await fo.get(`/api/charges?user_id=${pk}`)).body);
      }
      expect(await arch.calls(() => arch.get(`/api/charges?user_id=${FIXTURE.healthy.pk}`))).toEqual(['Abonents objects.get', 'ArchAccountStack objects.filter']);
    } finally {
      await fo.close();
      await arch.close();
    }
  });
});

describe('a Carbon whose names differ from the map', () => {
  it('an optional field: check names it and its replacement, the answer leaves it out, the fix writes a map that works', async () => {
    const s = await stack({}, { renameFields: { 'Homes.street': 'street_name' } });
    try {
      const items = await s.billing.check();
      const abonents = items.find((i) => i.name === 'Carbon fields of Abonents')!;
      expect(abonents).toMatchObject({ ok: false, warnOnly: true });
      expect(abonents.detail).toMatch(/no field home__street \(Homes has no street\): change the setting billing\.carbon\.address\.parts\.street to home__street_name/);
      // Served without the street meanwhile, not failed.
      const [before] = ContractsResponse.parse((await s.get(`/api/contracts?id=${FIXTURE.healthy.pk}`)).body);
      expect(before!.address).toBe('г. Челябинск, д. 104');
      expect(s.billing.problems()).toEqual([]);
      const report = await s.billing.fieldMap();
      expect(report.fix!.changes).toEqual([{ setting: 'billing.carbon.address.parts.street', from: 'home__street', to: 'home__street_name', because: 'Homes has street_name' }]);
      const fixed = new CarbonBilling({ settings: CarbonSettings.parse(deepMerge({ url: s.sim.url }, (report.fix!.patch.billing as { carbon: Record<string, unknown> }).carbon)), now: () => new Date(NOW) });
      try {
        expect((await fixed.checkFieldMap()).warnings).toEqual([]);
        expect((await fixed.getContract(String(FIXTURE.healthy.pk)))!.address).toBe('г. Челябинск, ул. Кирова, д. 104');
      } finally {
        await fixed.close();
      }
    } finally {
      await s.close();
    }
  });

  it('a required field: a plain-words problem, 502 for what needs it (never a 503 blamed on reachability), the rest served; the fix works', async () => {
    const s = await stack({}, { renameFields: { 'AdminAccounts.balance': 'ostatok' } });
    try {
      await s.billing.checkFieldMap();
      expect(s.billing.problems()).toEqual(['Carbon has no field Abonents.account__balance; run billing-bridge check --fix']);
      const contracts = await s.get(`/api/contracts?user_id=${FIXTURE.healthy.pk}`);
      expect(contracts.status).toBe(502);
      expect(ErrorBody.parse(contracts.body).error).toBe('billing_data_error');
      expect((await s.get(`/api/users?user_id=${FIXTURE.healthy.pk}`)).status).toBe(200);
      expect((await s.auth('ivanov_ps', 'Kq7wz2Lm')).status).toBe(200);
      // The scan fails with the same words (status shows them) instead of losing every subscriber.
      await expect((async () => {
        for await (const snap of s.billing.snapshot({ charges: 1 })) void snap;
      })()).rejects.toThrow(/Carbon has no field Abonents\.account__balance/);
      const item = (await s.billing.check()).find((i) => i.name === 'Carbon fields of Abonents')!;
      expect(item.ok).toBe(false);
      expect(item.warnOnly).toBeUndefined();
      expect(item.detail).toMatch(/no field account__balance \(AdminAccounts has no balance\): change the setting billing\.carbon\.fields\.balance to account__ostatok/);
      const report = await s.billing.fieldMap();
      const fixed = new CarbonBilling({ settings: CarbonSettings.parse(deepMerge({ url: s.sim.url }, (report.fix!.patch.billing as { carbon: Record<string, unknown> }).carbon)), now: () => new Date(NOW) });
      try {
        await fixed.checkFieldMap();
        expect(fixed.problems()).toEqual([]);
        expect((await fixed.getContract(String(FIXTURE.healthy.pk)))!.balance).toBe(FIXTURE.healthy.balanceKopecks);
      } finally {
        await fixed.close();
      }
    } finally {
      await s.close();
    }
  });

  it('without a model listing, Django\'s "Choices are" names the fields just as well', async () => {
    const s = await stack({}, { listing: 'none', renameFields: { 'Users.gen_pwd': 'password' } });
    try {
      const report = await s.billing.fieldMap();
      expect(report.source).toMatch(/Choices are/);
      expect(report.fix!.changes).toEqual([expect.objectContaining({ setting: 'billing.carbon.fields.password', to: 'password' })]);
      expect(UsersResponse.parse((await s.get(`/api/users?user_id=${FIXTURE.healthy.pk}`)).body)[0]!.password).toBe('');
    } finally {
      await s.close();
    }
  });

  it.each(['html', 'text'] as const)('a model listing as %s is read too', async (listing) => {
    const s = await stack({}, { listing });
    try {
      const report = await s.billing.fieldMap();
      expect(report.source).toMatch(/model listing/);
      expect(report.problems).toEqual([]);
      expect(report.fix).toBeNull();
    } finally {
      await s.close();
    }
  });
});

describe('four kinds of outage: four messages, one answer to core', () => {
  it('unreachable, refusing this host, an error about a field, garbage', async () => {
    const s = await stack();
    try {
      await s.billing.checkFieldMap();
      // A different subscriber each time: a call still in flight from the case before is not joined.
      let pk = 10;
      const failure = async () => s.billing.getUser(String(++pk)).then(() => null, (err: unknown) => err as BillingUnavailableError);
      s.sim.allowIps = ['192.0.2.1'];
      const refused = await failure();
      s.sim.allowIps = null;
      s.sim.faults.errorBody = "Cannot resolve keyword 'sms' into field. Choices are: id, name";
      const field = await failure();
      s.sim.clearFaults();
      s.sim.faults.malformedJson = true;
      const garbage = await failure();
      s.sim.clearFaults();
      await s.sim.close();
      const unreachable = await failure();
      expect(unreachable).toBeInstanceOf(BillingUnreachableError);
      expect(refused).toBeInstanceOf(BillingRefusedError);
      expect(field).toBeInstanceOf(BillingFieldError);
      expect(garbage).toBeInstanceOf(BillingGarbageError);
      expect([unreachable, refused, field, garbage].map((e) => e!.kind)).toEqual(['unreachable', 'refused', 'field', 'garbage']);
      expect(unreachable!.message).toMatch(/cannot be reached/);
      expect(refused!.message).toMatch(/refused this host/);
      expect(field!.message).toMatch(/does not know a field.*run billing-bridge check/);
      expect(garbage!.message).toMatch(/answered garbage/);
      expect(new Set([unreachable, refused, field, garbage].map((e) => e!.message)).size).toBe(4);
      // Core gets exactly today's 503 body for each of them.
      const answer = await s.get(`/api/users?user_id=${FIXTURE.debt.pk}`);
      expect(answer).toEqual({ status: 503, body: { error: 'billing_unavailable', message: 'The billing system cannot be reached right now; try again later.' } });
    } finally {
      await s.close();
    }
  });
});
