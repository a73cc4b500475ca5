import https from 'node:https';
import net from 'node:net';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { loadTls } from '../../main/server/tls.js';
import { request } from '../helpers/http.js';
import { startTestApi } from '../helpers/api.js';

const USER_PATH = '/api/users?user_id=58208891';

describe('concurrency limit', () => {
  it('answers 503 with Retry-After beyond the limit and serves again when load drops', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const billing = new DemoBilling();
    const slow = Object.create(billing) as DemoBilling;
    slow.getUser = async (id: string) => {
      await gate;
      return billing.getUser(id);
    };
    const api = await startTestApi({ billing: slow, maxConcurrent: 3 });
    try {
      const held = [1, 2, 3].map(() => request(api.url, { path: USER_PATH }));
      await new Promise((r) => setTimeout(r, 100));
      const refused = await request(api.url, { path: USER_PATH });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json).toMatchObject({ error: 'service_unavailable' });
      release();
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200]);
      expect((await request(api.url, { path: USER_PATH })).status).toBe(200);
    } finally {
      release();
      await api.close();
    }
  });
});

describe('optional inbound authentication', () => {
  it('basic: core must send the login and the api-token secret', async () => {
    const api = await startTestApi({ inboundAuth: { mode: 'basic', login: 'core', secret: 's3cret-token' } });
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    try {
      const none = await request(api.url, { path: USER_PATH });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Basic/);
      expect((await request(api.url, { path: USER_PATH, headers: { Authorization: basic('core', 'wrong') } })).status).toBe(401);
      expect((await request(api.url, { path: USER_PATH, headers: { Authorization: basic('other', 's3cret-token') } })).status).toBe(401);
      expect((await request(api.url, { path: USER_PATH, headers: { Authorization: basic('core', 's3cret-token') } })).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('bearer: a token; and with no secret set nobody gets in', async () => {
    const api = await startTestApi({ inboundAuth: { mode: 'bearer', login: '', secret: 'tok-123' } });
    const locked = await startTestApi({ inboundAuth: { mode: 'bearer', login: '', secret: null } });
    try {
      expect((await request(api.url, { path: USER_PATH, headers: { Authorization: 'Bearer tok-123' } })).status).toBe(200);
      expect((await request(api.url, { path: USER_PATH, headers: { Authorization: 'Bearer tok-124' } })).status).toBe(401);
      expect((await request(locked.url, { path: USER_PATH, headers: { Authorization: 'Bearer ' } })).status).toBe(401);
    } finally {
      await api.close();
      await locked.close();
    }
  });
});

describe('TLS', () => {
  it('generates a self-signed certificate once, owner-only, and serves HTTPS with it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-tls-'));
    const tls = (await loadTls({ mode: 'self-signed', certFile: '', keyFile: '' }, dir))!;
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(statSync(path.join(dir, 'tls/self-signed-key.pem')).mode & 0o777).toBe(0o600);
    const again = (await loadTls({ mode: 'self-signed', certFile: '', keyFile: '' }, dir))!;
    expect(again.fingerprint).toBe(tls.fingerprint);

    const api = await startTestApi({ tls });
    try {
      expect(api.url).toMatch(/^https:/);
      const { status, fingerprint } = await new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
        const req = https.get(`${api.url}${USER_PATH}`, { rejectUnauthorized: false }, (res) => {
          const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
          res.resume();
          resolve({ status: res.statusCode ?? 0, fingerprint: peer.fingerprint256 });
        });
        req.on('error', reject);
      });
      expect(status).toBe(200);
      expect(fingerprint).toBe(tls.fingerprint);
    } finally {
      await api.close();
    }
  });

  it('reports unreadable certificate files by setting name', async () => {
    await expect(loadTls({ mode: 'files', certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' }, '/tmp'))
      .rejects.toThrow(/server\.tls\.certFile: cannot read \/nonexistent\/cert\.pem: ENOENT/);
  });
});

describe('slow clients (slowloris)', () => {
  it('many connections sending headers slowly do not stop a normal client, and are cut off', async () => {
    const api = await startTestApi({ headersTimeoutMs: 1_500 });
    const port = Number(new URL(api.url).port);
    const sockets: net.Socket[] = [];
    let closedByServer = 0;
    let timeoutAnswers = 0;
    try {
      for (let i = 0; i < 300; i++) {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.on('error', () => {});
        socket.on('data', (d: Buffer) => {
          if (d.toString().startsWith('HTTP/1.1 408') && d.toString().includes('"error":"request_timeout"')) timeoutAnswers++;
        });
        socket.on('close', () => closedByServer++);
        socket.write(`GET ${USER_PATH} HTTP/1.1\r\nHost: x\r\n`);
        sockets.push(socket);
      }
      const drip = setInterval(() => {
        for (const s of sockets) if (!s.destroyed) s.write('X-a: b\r\n');
      }, 200);
      try {
        const started = Date.now();
        const res = await request(api.url, { path: USER_PATH });
        expect(res.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(1_000);
        // The server closes connections that never finish their headers.
        await new Promise((r) => setTimeout(r, 3_500));
        expect(closedByServer).toBe(300);
        // ...and they are told why, in the same JSON shape as every other error.
        expect(timeoutAnswers).toBe(300);
      } finally {
        clearInterval(drip);
      }
    } finally {
      for (const s of sockets) s.destroy();
      await api.close();
    }
  });
});
