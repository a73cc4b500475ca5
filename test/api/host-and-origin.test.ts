// A web page on the billing host must not reach the agent: not through a name it points at
// 127.0.0.1 (DNS rebinding: the Host check), and not with requests it fires blind (browser
// provenance: Origin, Sec-Fetch-Site). Over real sockets, with a billing that counts its calls.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HOST, createAdminApp } from '../../main/admin/server.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { createLogger, silentLogger } from '../../main/logging/logger.js';
import { createMetrics } from '../../main/metrics.js';
import { apiHostCheck, parseHost } from '../../main/server/host-check.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import { noHandlers } from '../helpers/admin.js';
import { request } from '../helpers/http.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

class CountingBilling extends DemoBilling {
  calls = 0;
  override async authenticate(login: string, password: string) {
    this.calls++;
    return super.authenticate(login, password);
  }
  override async getUser(userId: string) {
    this.calls++;
    return super.getUser(userId);
  }
}

const USERS = '/api/users?user_id=58208893';
const PASSWORD = 'Anna.3112';

let api: TestApi;
let billing: CountingBilling;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  billing = new CountingBilling();
  const log = createLogger({
    pretty: false,
    destination: new Writable({ write: (chunk: Buffer, _e, done) => { logLines.push(JSON.parse(chunk.toString())); done(); } }),
  });
  api = await startTestApi({ billing, log });
});
afterAll(() => api.close());

async function withNames(names: string[], run: (url: string) => Promise<void>): Promise<void> {
  const local = await startTestApi({ hostnames: names });
  try {
    await run(local.url);
  } finally {
    await local.close();
  }
}

describe('the Host check of the Data Provider API', () => {
  it('refuses a foreign name with a JSON 421 before asking the billing', async () => {
    const port = new URL(api.url).port;
    const before = billing.calls;
    const res = await request(api.url, { path: USERS, headers: { host: `evil.example:${port}` } });
    expect(res.status).toBe(421);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json).toMatchObject({ error: 'misdirected_request' });
    expect((res.json as { message: string }).message).toContain('server.hostnames');
    expect(res.text).not.toContain(PASSWORD);
    expect(billing.calls).toBe(before);
  });

  it('logs a refused name once, with what to do if core uses it', async () => {
    for (let i = 0; i < 3; i++) await request(api.url, { path: USERS, headers: { host: 'rebind.example' } });
    const warnings = logLines.filter((l) => l.host === 'rebind.example');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.msg)).toContain('add it to server.hostnames');
  });

  it.each(['127.0.0.1', '127.0.0.1:8080', '203.0.113.7:443', '[::1]:8080', '[2001:db8::1]', 'localhost', 'LocalHost:8080', 'localhost.'])('answers %s', async (host) => {
    const res = await request(api.url, { path: USERS, headers: { host } });
    expect(res.status).toBe(200);
    expect(res.text).toContain(PASSWORD);
  });

  it.each(['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'billing.example.net'])('refuses %s when no names are listed', async (host) => {
    expect((await request(api.url, { path: USERS, headers: { host } })).status).toBe(421);
  });

  it('answers the names listed in server.hostnames, in any case and port, and only those', async () => {
    await withNames(['billing.example.net'], async (url) => {
      expect((await request(url, { path: USERS, headers: { host: 'billing.example.net' } })).status).toBe(200);
      expect((await request(url, { path: USERS, headers: { host: 'BILLING.Example.NET.:8443' } })).status).toBe(200);
      expect((await request(url, { path: USERS, headers: { host: 'other.example.net' } })).status).toBe(421);
      expect((await request(url, { path: USERS, headers: { host: 'x.billing.example.net' } })).status).toBe(421);
    });
  });

  it('checks the authority of an absolute request target instead of Host', async () => {
    const res = await request(api.url, { path: `http://evil.example${USERS}`, headers: { host: '127.0.0.1' } });
    expect(res.status).toBe(421);
    expect((await request(api.url, { path: `http://127.0.0.1${USERS}`, headers: { host: 'evil.example' } })).status).toBe(200);
  });

  it.each(['a b', 'evil.example:80:80', 'evil.example:99999', '[::1', '[evil]:80', '::1', 'a_b/c'])('answers a malformed Host %j with a JSON 400', async (host) => {
    const res = await request(api.url, { path: USERS, headers: { host } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'bad_request' });
  });

  it('keeps the allowlist first: an address not on it gets 403 whatever its Host', async () => {
    const res = await request(api.url, { path: USERS, localAddress: '127.0.0.2', headers: { host: 'evil.example' } });
    expect(res.status).toBe(403);
    expect((await request(api.url, { path: USERS, localAddress: '127.0.0.2' })).status).toBe(403);
  });
});

describe('a change of server.hostnames', () => {
  it('applies to the next request (the settings object is replaced on every change)', async () => {
    let names: string[] = [];
    const check = apiHostCheck(() => names, silentLogger());
    const status = async (host: string) => {
      const ctx = { req: { url: '/api/tariffs', headers: { host }, httpVersionMajor: 1, httpVersionMinor: 1 }, state: {}, throw: (code: number) => { throw Object.assign(new Error('refused'), { status: code }); } };
      try {
        await check(ctx as never, () => Promise.resolve());
        return 200;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    expect(await status('billing.example.net')).toBe(421);
    names = ['billing.example.net'];
    expect(await status('billing.example.net')).toBe(200);
    names = [];
    expect(await status('billing.example.net')).toBe(421);
  });
});

describe('parseHost', () => {
  it('splits name and port, lower case, brackets and the trailing dot gone', () => {
    expect(parseHost('Billing.Example.NET.:8443')).toEqual({ name: 'billing.example.net', port: 8443 });
    expect(parseHost('[::1]:8081')).toEqual({ name: '::1', port: 8081 });
    expect(parseHost('127.0.0.1')).toEqual({ name: '127.0.0.1', port: null });
    expect(parseHost('localhost:')).toEqual({ name: 'localhost', port: null });
    for (const bad of ['', 'a b', '::1', '[x]', 'a:b', 'a:1:2', 'a:65536', 'ex/ample', 'a@b']) expect(parseHost(bad), bad).toBeNull();
  });
});

describe('requests sent by web pages', () => {
  it('a typeless cross-site POST to /api/auth gets 403 and costs the billing no check', async () => {
    const before = billing.calls;
    const res = await request(api.url, {
      method: 'POST',
      path: '/api/auth',
      // What a no-cors fetch with a Blob body sends: no Content-Type, an Origin.
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      body: JSON.stringify({ login: '1595', pswd: 'guess' }),
    });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error: 'forbidden' });
    expect(billing.calls).toBe(before);
  });

  it.each<Record<string, string>>([
    { origin: 'https://evil.example' },
    { origin: 'null' },
    // A page at the API's own address (through a rebound name) still sends Origin with a POST.
    { origin: 'http://127.0.0.1:8080' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
  ])('refuses %j', async (headers) => {
    const before = billing.calls;
    const res = await request(api.url, { method: 'POST', path: '/api/auth', headers, body: JSON.stringify({ login: '1595', pswd: 'guess' }) });
    expect(res.status).toBe(403);
    expect(billing.calls).toBe(before);
  });

  it.each<Record<string, string>>([{}, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-origin' }])('serves %j (core, curl, an address typed into a browser)', async (headers) => {
    expect((await request(api.url, { path: USERS, headers })).status).toBe(200);
  });
});

describe('the Host check of the admin port', () => {
  let admin: RunningServer;
  const TOKEN = 't'.repeat(43);

  beforeAll(async () => {
    const metrics = createMetrics({ defaults: false });
    const handlers = noHandlers();
    admin = await listen(createAdminApp({
      token: TOKEN, handlers, log: silentLogger(), metrics,
      readiness: async () => ({ ready: true, checks: [{ name: 'billing', ok: true, detail: 'answers' }] }),
    }), { host: ADMIN_HOST, port: 0 });
  });
  afterAll(() => admin.close());

  it('answers 127.0.0.1, [::1] and localhost on its own port', async () => {
    const port = new URL(admin.url).port;
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await request(admin.url, { path: '/readyz', headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses any other name or port for the probes, the metrics and the operations', async () => {
    const port = new URL(admin.url).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`, '127.0.0.1', `10.0.0.1:${port}`]) {
      for (const path of ['/readyz', '/metrics', '/healthz']) {
        const res = await request(admin.url, { path, headers: { host } });
        expect(res.status, `${host} ${path}`).toBe(421);
        expect(res.json, `${host} ${path}`).toMatchObject({ error: 'misdirected_request' });
      }
      const op = await request(admin.url, { method: 'POST', path: '/admin/agent.info', headers: { host, authorization: `Bearer ${TOKEN}` } });
      expect(op.status, host).toBe(421);
    }
  });
});
