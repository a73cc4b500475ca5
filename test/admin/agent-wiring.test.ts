// The agent as `serve` starts it: API, admin API, dashboard, probes, metrics, TLS and inbound auth
// wired together.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { AgentInfo } from '../../shared/admin.js';
import { USERS } from '../../main/billing/demo/fixtures.js';
import { readZip } from '../helpers/zip.js';
import { adminCall, agentDataDir } from '../helpers/agent.js';
import { request } from '../helpers/http.js';

const dataDir = (settings: object) => agentDataDir(settings);
const admin = adminCall;

describe('a plain agent', () => {
  let agent: Agent;
  beforeAll(async () => {
    const dir = dataDir({});
    agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: {} });
  });
  afterAll(() => agent.stop());

  it('describes itself', async () => {
    const info = AgentInfo.parse(((await admin(agent, 'agent.info')).json as { result: unknown }).result);
    expect(info.adminUrl).toBe(agent.admin.url);
    expect(info.api).toEqual({ url: agent.api.url, tlsFingerprint: null });
  });

  it('serves the dashboard page with a strict CSP on the admin port', async () => {
    const page = await request(agent.admin.url, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('counts requests by route in /metrics and reports ready', async () => {
    await request(agent.api.url.replace('[::1]', '127.0.0.1'), { path: '/api/users?user_id=58208891' });
    const metrics = (await request(agent.admin.url, { path: '/metrics' })).text;
    expect(metrics).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",code="200"\} 1/);
    expect(metrics).toMatch(/billing_bridge_billing_call_duration_seconds_count\{call="getUser",outcome="ok"\} 1/);
    expect(metrics).toMatch(/billing_bridge_outbox_depth \d+/);
    const ready = await request(agent.admin.url, { path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, checks: [{ name: 'billing', ok: true }, { name: 'database', ok: true }] });
  });

  it('keeps its own log lines for the dashboard', async () => {
    const lines = (await admin(agent, 'logs.recent', { limit: 50 })).json as { result: Array<{ msg: string }> };
    expect(lines.result.map((l) => l.msg)).toContain('Data Provider API listening');
  });

  it('tests billing settings before they are saved, without touching the running billing', async () => {
    const bad = await admin(agent, 'billing.test', { billing: { kind: 'carbon', carbon: { url: 'not a url' } } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/^billing\.carbon\.url/) });
    const unreachable = await admin(agent, 'billing.test', { billing: { kind: 'carbon', carbon: { url: 'http://127.0.0.1:9', timeoutMs: 1000 } } });
    expect(unreachable.status).toBe(200);
    const items = (unreachable.json as { result: Array<{ ok: boolean; detail: string }> }).result;
    expect(items[0]).toMatchObject({ ok: false });
    expect((await admin(agent, 'agent.info')).json).toMatchObject({ result: { billing: { kind: 'demo' } } });
  });

  it('applies an allowlist change at once', async () => {
    const res = await admin(agent, 'allowlist.set', { entries: ['127.0.0.2'], confirmLockout: true });
    expect(res.status).toBe(200);
    const refused = await request(agent.api.url.replace('[::1]', '127.0.0.1'), { path: '/api/services', localAddress: '127.0.0.1' });
    expect(refused.status).toBe(403);
    const allowed = await request(agent.api.url.replace('[::1]', '127.0.0.1'), { path: '/api/services', localAddress: '127.0.0.2' });
    expect(allowed.status).toBe(200);
  });
});

describe('the diagnostics bundle of a running agent', () => {
  it('holds no secret and no subscriber password, even after they passed through the agent', async () => {
    const dir = dataDir({ core: { baseUrl: 'http://127.0.0.1:9', login: 'isp' } });
    const secrets = { BILLING_BRIDGE_CORE_PASSWORD: 'core-secret-7f3a', BILLING_BRIDGE_API_TOKEN: 'api-token-91bc', BILLING_BRIDGE_BILLING_PASSWORD: 'billing-secret-55d0' };
    const agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: secrets });
    try {
      const api = agent.api.url.replace('[::1]', '127.0.0.1');
      for (const u of USERS) {
        await request(api, { method: 'POST', path: '/api/auth', body: { login: u.login, pswd: u.password } });
        await request(api, { path: `/api/users?user_id=${u.id}` });
      }
      await request(api, { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'a-wrong-guess-3e1' } });
      const res = await admin(agent, 'diagnostics.create');
      const { file } = (res.json as { result: { file: string } }).result;
      const text = [...(await readZip(file)).values()].join('\n');
      expect(text).toContain('"core-password": "environment"');
      for (const secret of [...Object.values(secrets), ...USERS.map((u) => u.password), 'a-wrong-guess-3e1']) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await agent.stop();
    }
  });
});

describe('an agent with TLS and inbound authentication', () => {
  let agent: Agent;
  beforeAll(async () => {
    const dir = dataDir({ server: { host: '127.0.0.1', tls: { mode: 'self-signed' }, inboundAuth: 'bearer' } });
    agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: { BILLING_BRIDGE_API_TOKEN: 'core-token-1' } });
  });
  afterAll(() => agent.stop());

  it('serves HTTPS with the fingerprint it reports, and wants the token', async () => {
    expect(agent.api.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const info = ((await admin(agent, 'agent.info')).json as { result: { api: { tlsFingerprint: string } } }).result;
    expect(info.api.tlsFingerprint).toBe(agent.tlsFingerprint);
    const get = (headers: Record<string, string>) => new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
      https.get(`${agent.api.url}/api/services`, { rejectUnauthorized: false, headers }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, fingerprint: (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256 });
      }).on('error', reject);
    });
    const without = await get({});
    expect(without.status).toBe(401);
    expect(without.fingerprint).toBe(info.api.tlsFingerprint);
    expect((await get({ Authorization: 'Bearer core-token-1' })).status).toBe(200);
  });
});
