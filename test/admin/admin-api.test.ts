import { mkdtempSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import type { AdminHandlers } from '../../shared/admin.js';
import { ADMIN_HOST, createAdminApp } from '../../main/admin/server.js';
import { silentLogger } from '../../main/logging/logger.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import { AgentInfo } from '../../shared/admin.js';
import { createMetrics } from '../../main/metrics.js';
import { request } from '../helpers/http.js';

const TOKEN = 'a'.repeat(43);
let admin: RunningServer;
// The operations of a real agent (demo billing), served here by admin apps of the tests' own.
let agent: Agent;
let handlers: AdminHandlers;

beforeAll(async () => {
  agent = await startAgent({ dataDir: mkdtempSync(path.join(tmpdir(), 'bb-admin-')), port: 0, adminPort: 0, env: {}, log: silentLogger() });
  handlers = agent.handlers;
  admin = await listen(createAdminApp({ token: TOKEN, handlers, log: silentLogger() }), { host: ADMIN_HOST, port: 0 });
});
afterAll(async () => {
  await admin.close();
  await agent.stop();
});

const call = (op: string, options: { token?: string; body?: object | string; method?: string; localAddress?: string } = {}) =>
  request(admin.url, {
    method: options.method ?? 'POST',
    path: `/admin/${op}`,
    body: options.body,
    localAddress: options.localAddress,
    headers: options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` },
  });

describe('the loopback admin API', () => {
  it('answers an operation with its typed result', async () => {
    const res = await call('agent.info', { token: TOKEN });
    expect(res.status).toBe(200);
    const info = AgentInfo.parse((res.json as { result: unknown }).result);
    expect(info.billing.kind).toBe('demo');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    const none = await call('agent.info');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await call('agent.info', { token: 'b'.repeat(43) })).status).toBe(401);
    expect((await call('agent.info', { token: TOKEN.slice(1) })).status).toBe(401);
  });

  it('is bound to 127.0.0.1 only', () => {
    expect(new URL(admin.url).hostname).toBe('127.0.0.1');
  });

  it('validates input against the contract', async () => {
    const res = await call('billing.check', { token: TOKEN, body: { surprise: true } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'bad_request' });
  });

  it('404 for an unknown operation, 405 for GET', async () => {
    expect((await call('nothing.here', { token: TOKEN })).status).toBe(404);
    expect((await call('constructor', { token: TOKEN })).status).toBe(404);
    const get = await call('agent.info', { token: TOKEN, method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });
});

describe('an admin API reached from a non-loopback address', () => {
  /** Drives app.callback() with a socket that reports the given peer address (no packets sent). */
  async function statusFrom(remoteAddress: string): Promise<number> {
    const app = createAdminApp({ token: TOKEN, handlers, log: silentLogger() });
    const socket = new Socket();
    Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
    const req = new IncomingMessage(socket);
    req.method = 'POST';
    req.url = '/admin/agent.info';
    req.headers = { authorization: `Bearer ${TOKEN}`, 'content-length': '0' };
    req.push(null);
    const res = new ServerResponse(req);
    const done = new Promise<void>((resolve) => res.on('finish', () => resolve()));
    const sink = new PassThrough();
    sink.resume();
    res.assignSocket(sink as unknown as Socket);
    app.callback()(req, res);
    await done;
    return res.statusCode;
  }

  it.each(['203.0.113.5', '::ffff:10.0.0.1', '2001:db8::1', '192.168.1.10'])('refuses %s even with the right token', async (addr) => {
    expect(await statusFrom(addr)).toBe(403);
  });

  it.each(['127.0.0.1', '::ffff:127.0.0.1', '::1'])('accepts %s', async (addr) => {
    expect(await statusFrom(addr)).toBe(200);
  });
});

describe('health probes on the admin port', () => {
  it('/healthz and /metrics answer without a token; /readyz reports 503 when not ready', async () => {
    const metrics = createMetrics({ defaults: false });
    metrics.outboxDepth.set(3);
    let ready = true;
    const app = createAdminApp({
      token: TOKEN, handlers, log: silentLogger(), metrics,
      readiness: async () => ({ ready, checks: [{ name: 'billing', ok: ready, detail: ready ? 'answers' : 'simulated outage' }] }),
    });
    const server = await listen(app, { host: ADMIN_HOST, port: 0 });
    try {
      expect((await request(server.url, { path: '/healthz' })).json).toEqual({ status: 'ok' });
      expect((await request(server.url, { path: '/readyz' })).status).toBe(200);
      ready = false;
      const notReady = await request(server.url, { path: '/readyz' });
      expect(notReady.status).toBe(503);
      expect(notReady.json).toMatchObject({ ready: false, checks: [{ name: 'billing', ok: false }] });
      const text = (await request(server.url, { path: '/metrics' })).text;
      expect(text).toContain('billing_bridge_outbox_depth 3');
      // Operations still need the token.
      expect((await request(server.url, { method: 'POST', path: '/admin/agent.info' })).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
