// What Node's HTTP layer would answer on its own (a bare 400 for a missing Host, a bare 417 for
// an unknown Expect, nothing at all for CONNECT) gets the JSON error shape on both ports.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HOST, createAdminApp } from '../../main/admin/server.js';
import { silentLogger } from '../../main/logging/logger.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import { noHandlers } from '../helpers/admin.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin: RunningServer;

beforeAll(async () => {
  api = await startTestApi();
  const handlers = noHandlers();
  admin = await listen(createAdminApp({ token: 'a'.repeat(43), handlers, log: silentLogger() }), { host: ADMIN_HOST, port: 0 });
});
afterAll(async () => {
  await api.close();
  await admin.close();
});

/** Writes a raw request and reads the whole answer (the server closes, or we stop after 1 s). */
function raw(url: string, text: string): Promise<{ status: number; headers: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(new URL(url).port) }, () => socket.write(text));
    let data = '';
    const done = () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head.toLowerCase(), body: json });
    };
    socket.on('data', (c: Buffer) => (data += c.toString()));
    socket.on('error', reject);
    socket.on('close', done);
    setTimeout(() => socket.destroy(), 1_000);
  });
}

describe.each([
  ['the API', () => api.url, '/api/users?user_id=58208891'],
  ['the admin port', () => admin.url, '/healthz'],
])('%s', (_name, url, path) => {
  it('an HTTP/1.1 request without Host gets a JSON 400', async () => {
    const res = await raw(url(), `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(res.headers).toContain('content-type: application/json; charset=utf-8');
    expect(res.body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('Host') });
  });

  it('HTTP/1.0 without Host is still answered (no browser sends it)', async () => {
    const res = await raw(url(), `GET ${path} HTTP/1.0\r\n\r\n`);
    expect(res.status).toBe(200);
  });

  it('CONNECT gets a JSON 501 instead of a closed socket', async () => {
    const res = await raw(url(), 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    expect(res.status).toBe(501);
    expect(res.headers).toContain('content-type: application/json; charset=utf-8');
    expect(res.body).toMatchObject({ error: 'not_implemented', message: expect.stringContaining('CONNECT') });
  });

  it('an Expect other than 100-continue gets a JSON 417', async () => {
    const host = new URL(url()).host;
    const res = await raw(url(), `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nExpect: magic\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(417);
    expect(res.body).toMatchObject({ error: 'expectation_failed' });
  });

  it('still serves a normal request afterwards', async () => {
    const host = new URL(url()).host;
    expect((await raw(url(), `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
  });
});
