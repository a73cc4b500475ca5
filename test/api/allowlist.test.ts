import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { AccessControl } from '../../main/server/access.js';
import { parseRange } from '../../shared/ip-ranges.js';
import { request } from '../helpers/http.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

/** A demo billing that counts every call, to prove refused requests cost the billing nothing. */
class CountingBilling extends DemoBilling {
  calls = 0;
  override async getUser(id: string) {
    this.calls++;
    return super.getUser(id);
  }
  override async authenticate(login: string, password: string) {
    this.calls++;
    return super.authenticate(login, password);
  }
}

const USER_PATH = '/api/users?user_id=58208891';

describe('the allowlist in front of the API', () => {
  let api: TestApi;
  let billing: CountingBilling;

  beforeAll(async () => {
    billing = new CountingBilling();
    // '::' accepts IPv4 clients as IPv4-mapped IPv6 addresses, as a dual-stack host does.
    api = await startTestApi({ billing, host: '::', access: { allowlist: ['127.0.0.1', '::1'] } });
  });
  afterAll(() => api.close());

  const from = (localAddress: string, headers?: Record<string, string>) =>
    request(api.url.replace('[::1]', '127.0.0.1'), { path: USER_PATH, localAddress, headers });

  it('lets loopback in over IPv4 (seen as ::ffff:127.0.0.1) and IPv6', async () => {
    expect((await from('127.0.0.1')).status).toBe(200);
    expect((await request(`http://[::1]:${new URL(api.url).port}`, { path: USER_PATH, localAddress: '::1' })).status).toBe(200);
  });

  it('refuses 127.0.0.2 with a 403 JSON error before any billing call', async () => {
    const before = billing.calls;
    const res = await from('127.0.0.2');
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: 'forbidden', message: '127.0.0.2 is not on this agent\'s allowlist' });
    expect(billing.calls).toBe(before);
  });

  it('ignores a spoofed X-Forwarded-For of an allowed address', async () => {
    const before = billing.calls;
    const res = await from('127.0.0.2', { 'X-Forwarded-For': '127.0.0.1', 'X-Real-IP': '127.0.0.1', Forwarded: 'for=127.0.0.1' });
    expect(res.status).toBe(403);
    const auth = await request(api.url.replace('[::1]', '127.0.0.1'), {
      method: 'POST', path: '/api/auth', localAddress: '127.0.0.2',
      headers: { 'X-Forwarded-For': '127.0.0.1' }, body: { login: '1595', pswd: 'Zh4nna-1595' },
    });
    expect(auth.status).toBe(403);
    expect(billing.calls).toBe(before);
  });

  it('remembers refused addresses for the dashboard', async () => {
    await from('127.0.0.3');
    const refused = api.access.recentlyRefused();
    expect(refused[0]).toMatchObject({ address: '127.0.0.3', count: 1 });
    expect(refused.find((r) => r.address === '127.0.0.2')!.count).toBeGreaterThanOrEqual(2);
  });

  it('keeps served addresses newest first with their counts, repeat visits included', async () => {
    api.access.update({ allowlist: ['127.0.0.0/29'], allowAll: false, trustedProxies: [] });
    try {
      for (const address of ['127.0.0.4', '127.0.0.5', '127.0.0.5', '127.0.0.4', '127.0.0.6', '127.0.0.6']) {
        expect((await from(address)).status).toBe(200);
      }
      const served = api.access.recentlyServed().filter((c) => ['127.0.0.4', '127.0.0.5', '127.0.0.6'].includes(c.address));
      expect(served.map((c) => [c.address, c.count])).toEqual([['127.0.0.6', 2], ['127.0.0.4', 2], ['127.0.0.5', 2]]);
      expect(Date.now() - Date.parse(served[0]!.lastAt)).toBeLessThan(10_000);
    } finally {
      api.access.update({ allowlist: ['127.0.0.1', '::1'], allowAll: false, trustedProxies: [] });
    }
  });

  it('applies a changed allowlist at once', async () => {
    api.access.update({ allowlist: ['127.0.0.0/30'], allowAll: false, trustedProxies: [] });
    try {
      expect((await from('127.0.0.2')).status).toBe(200);
      expect((await from('127.0.0.5')).status).toBe(403);
    } finally {
      api.access.update({ allowlist: ['127.0.0.1', '::1'], allowAll: false, trustedProxies: [] });
    }
  });
});

describe('behind a trusted proxy', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ access: { allowlist: ['127.0.0.9'], trustedProxies: ['127.0.0.1'] } });
  });
  afterAll(() => api.close());

  it('takes the client from X-Forwarded-For only when the socket is the named proxy', async () => {
    const viaProxy = await request(api.url, { path: USER_PATH, localAddress: '127.0.0.1', headers: { 'X-Forwarded-For': '127.0.0.9' } });
    expect(viaProxy.status).toBe(200);
    const notProxy = await request(api.url, { path: USER_PATH, localAddress: '127.0.0.2', headers: { 'X-Forwarded-For': '127.0.0.9' } });
    expect(notProxy.status).toBe(403);
  });

  it('reads the right-most address the proxy appended, not one the client wrote', async () => {
    // The client sent "X-Forwarded-For: 127.0.0.9"; the proxy appended the real client 127.0.0.7.
    const res = await request(api.url, { path: USER_PATH, localAddress: '127.0.0.1', headers: { 'X-Forwarded-For': '127.0.0.9, 127.0.0.7' } });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ message: '127.0.0.7 is not on this agent\'s allowlist' });
  });
});

describe('matching rules', () => {
  const access = (allowlist: string[], allowAll = false) => new AccessControl({ allowlist, allowAll, trustedProxies: [] });

  it.each([
    [['203.0.113.7'], '203.0.113.7', true],
    [['203.0.113.7'], '203.0.113.8', false],
    [['203.0.113.0/24'], '203.0.113.200', true],
    [['203.0.113.0/24'], '203.0.114.1', false],
    [['203.0.113.7'], '::ffff:203.0.113.7', true],
    [['::ffff:203.0.113.0/120'], '203.0.113.9', true],
    [['2001:db8::/32'], '2001:db8:1::5', true],
    [['2001:db8::/32'], '2001:db9::1', false],
    [['2001:db8::1'], '2001:0db8:0000:0000:0000:0000:0000:0001', true],
    [['0.0.0.0/0'], '198.51.100.1', true],
    [['0.0.0.0/0'], '2001:db8::1', false],
    [['fe80::/10'], 'fe80::1%eth0', true],
  ] as const)('%j allows %s: %s', (list, address, allowed) => {
    expect(access([...list]).isAllowed(address)).toBe(allowed);
  });

  it('allowAll lets everyone in', () => {
    expect(access([], true).isAllowed('198.51.100.1')).toBe(true);
  });

  it.each(['203.0.113.7', '203.0.113.0/24', '2001:db8::/32', '::1', ' 10.0.0.1 '])('parses %s', (s) => {
    expect(parseRange(s)).not.toBeNull();
  });

  it.each(['', 'localhost', '203.0.113.300', '203.0.113.0/33', '2001:db8::/129', '10.0.0.1/8/8', '*'])('refuses %j', (s) => {
    expect(parseRange(s)).toBeNull();
  });
});
