// The self-test against the real API on 127.0.0.1: it passes on the demo billing, and each thing
// a billing (or the set-up) can get wrong fails with the check, the subscriber and the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CHARGES, type Charge, type Contract } from '../../shared/data-provider.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { USERS } from '../../main/billing/demo/fixtures.js';
import { CHECK, runSelfTest } from '../../main/selftest/run.js';
import { firstOutOfOrder, periodOrder } from '../../main/selftest/checks.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

const IDS = USERS.map((u) => u.id);
const started: TestApi[] = [];

afterEach(async () => {
  for (const api of started.splice(0)) await api.close();
});

async function api(options: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
  const a = await startTestApi(options);
  started.push(a);
  return a;
}

const selftest = (url: string, userIds = IDS) => runSelfTest({ baseUrl: url, localAddress: '127.0.0.1', userIds });
const failures = (r: Awaited<ReturnType<typeof runSelfTest>>) => r.checks.filter((c) => !c.ok).map((c) => `${c.name} | ${c.subject} | ${c.detail}`);

/** The demo billing with one thing broken. */
class Broken extends DemoBilling {
  constructor(private readonly breakIt: Partial<Record<'unsorted' | 'floatBalance' | 'otherContract' | 'anyPassword' | 'wrongUser', boolean>>) {
    super({ now: () => new Date(Date.UTC(2026, 10, 15)) });
  }
  override async getCharges(userId: string, limit: number): Promise<Charge[] | null> {
    if (!this.breakIt.unsorted) return super.getCharges(userId, limit);
    // Oldest first: what a billing that forgot to sort answers.
    return (await super.getCharges(userId, MAX_CHARGES))?.reverse().slice(0, limit) ?? null;
  }
  override async getContractsOfUser(userId: string): Promise<Contract[] | null> {
    const list = await super.getContractsOfUser(userId);
    if (this.breakIt.floatBalance && userId === '58208891') list![0]!.balance = 369.5;
    return list;
  }
  override async getContract(extId: string): Promise<Contract | null> {
    const c = await super.getContract(extId);
    if (this.breakIt.otherContract && c && extId === '12331240') c.balance += 1;
    return c;
  }
  override async authenticate(login: string, password: string): Promise<string | null> {
    if (this.breakIt.wrongUser && login === '1595') return '58208892';
    if (this.breakIt.anyPassword) return USERS.find((u) => u.login === login)?.id ?? null;
    return super.authenticate(login, password);
  }
}

describe('the self-test', () => {
  it('passes on the demo billing, with every check, and keeps no password', async () => {
    const a = await api({ demo: { now: () => new Date(Date.UTC(2026, 10, 15)) } });
    const r = await selftest(a.url);
    expect(failures(r)).toEqual([]);
    expect(r).toMatchObject({ ok: true, stoppedBecause: null, from: '127.0.0.1', apiUrl: a.url, sampled: IDS });
    expect(new Set(r.checks.map((c) => c.name))).toEqual(new Set(Object.values(CHECK)));
    expect(r.passed).toBe(r.checks.length);
    expect(r.requests).toBeGreaterThan(60);
    expect(r.message).toMatch(/^All \d+ checks passed for 9 subscribers/);
    for (const u of USERS) expect(JSON.stringify(r)).not.toContain(u.password);
  });

  it('fails on a billing that answers charges oldest first: sorting and limit=1, per subscriber', async () => {
    const a = await api({ billing: new Broken({ unsorted: true }) });
    const r = await selftest(a.url, ['58208891']);
    expect(r.ok).toBe(false);
    expect(failures(r)).toEqual([
      `${CHECK.sorted} | user 58208891 | charge 1 (11-24) is newer than the one before it (10-24)`,
      `${CHECK.limit1} | user 58208891 | answered a charge of 10-24, not the newest`,
    ]);
    expect(r.message).toMatch(/^2 of \d+ checks failed for 1 subscribers: core would get wrong answers\.$/);
  });

  it('names the field when money is not whole kopecks', async () => {
    const a = await api({ billing: new Broken({ floatBalance: true }) });
    const r = await selftest(a.url, ['58208891']);
    expect(failures(r)).toEqual([expect.stringMatching(new RegExp(`^${CHECK.contracts} \\| user 58208891 \\| 0\\.balance: .*int`, 'i'))]);
  });

  it('notices a contract that differs when asked for by id', async () => {
    const a = await api({ billing: new Broken({ otherContract: true }) });
    const r = await selftest(a.url, ['58208892']);
    expect(failures(r)).toEqual([`${CHECK.roundTrip} | contract 12331240 | differs from the one in the user's list`]);
  });

  it('notices a password check that answers another user, or accepts a wrong password', async () => {
    const wrong = await api({ billing: new Broken({ wrongUser: true }) });
    expect(failures(await selftest(wrong.url, ['58208891']))).toEqual([
      `${CHECK.authOwn} | user 58208891 | answered user 58208892: another user has the same login`,
      `${CHECK.authWrong} | user 58208891 | HTTP 200`,
    ]);
    const lax = await api({ billing: new Broken({ anyPassword: true }) });
    expect(failures(await selftest(lax.url, ['58208891']))).toEqual([`${CHECK.authWrong} | user 58208891 | HTTP 200`]);
  });

  it('says the allowlist refuses loopback instead of testing nothing', async () => {
    const a = await api({ access: { allowlist: ['10.0.0.0/8'] } });
    const r = await selftest(a.url);
    expect(r.ok).toBe(false);
    expect(r.stoppedBecause).toMatch(/^the allowlist refuses 127\.0\.0\.1 \(HTTP 403\).*Add 127\.0\.0\.1 to server\.allowlist/);
    expect(r.checks).toEqual([{ name: CHECK.reach, ok: false, subject: null, detail: r.stoppedBecause }]);
    expect(r.requests).toBe(1);
  });

  it('says when nothing listens', async () => {
    const a = await api();
    const url = a.url;
    await a.close();
    started.pop();
    const r = await selftest(url);
    expect(r.stoppedBecause).toMatch(/nothing answers at .* \(connection refused\)/);
  });

  it('needs core\'s credential when the API asks for one', async () => {
    const a = await api({ inboundAuth: { mode: 'bearer', login: '', secret: 'inbound-1' } });
    expect((await selftest(a.url, ['58208891'])).stoppedBecause).toMatch(/asks for core's credential/);
    const r = await runSelfTest({ baseUrl: a.url, localAddress: '127.0.0.1', userIds: ['58208891'], authorization: 'Bearer inbound-1' });
    expect(failures(r)).toEqual([]);
  });
});

describe('the rules themselves', () => {
  it('orders MM-YY periods across years', () => {
    expect(periodOrder('01-26')).toBeGreaterThan(periodOrder('12-25'));
    const c = (period: string): Charge => ({ account: 'a', cost: 1, period, description: '' });
    expect(firstOutOfOrder([c('01-26'), c('12-25'), c('12-25'), c('11-25')])).toBe(-1);
    expect(firstOutOfOrder([c('12-25'), c('01-26')])).toBe(1);
  });
});
