// Property-based: random and malformed requests at every endpoint never get a 5xx, never crash
// the agent, and every error is the JSON error shape.
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/data-provider.js';
import { request } from '../helpers/http.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const PATHS = ['/api/auth', '/api/users', '/api/contracts', '/api/services', '/api/tariffs', '/api/charges'];
const KEYS = ['user_id', 'id', 'limit', 'login', 'pswd', 'user_id[]', '__proto__', 'constructor', ''];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('58208891', '12331231', '0', '-1', '1e3', 'NaN', '%00', '%E0%A4%A', '../../etc/passwd', '\u0000', '9'.repeat(40)),
);
const query = fc.array(fc.tuple(fc.constantFrom(...KEYS), text), { maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
const rawQuery = fc.constantFrom('', 'user_id', 'user_id=%', 'user_id=%zz&limit=%', '&&&', 'id=1&id=2&user_id=3', 'limit=1&limit=2&user_id=58208891');
const body = fc.oneof(
  fc.constant(undefined),
  fc.json().map((s) => s as string),
  fc.string({ maxLength: 200 }),
  fc.record({ login: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), pswd: fc.oneof(fc.string(), fc.boolean()) }).map((o) => JSON.stringify(o)),
  fc.constantFrom('{"login":"1595","pswd":"Zh4nna-1595"}', '{', 'null', '[]', '"x"', '{"login":{"$ne":null},"pswd":{"$ne":null}}'),
);
const contentType = fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/json; charset=koi8-r', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '');
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
const path = fc.oneof(fc.constantFrom(...PATHS), fc.constantFrom('/', '/api', '/api/', '/API/USERS', '/api/users/', '/api//users', '/api/users%2F..', '/%2e%2e/', '/api/%E0%A4%A'), fc.webPath());

describe('random requests', () => {
  it('never get a 5xx, and every error is a JSON error object', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, fc.oneof(query, rawQuery), body, contentType, async (m, p, q, b, ct) => {
        const headers: Record<string, string> = {};
        if (ct !== undefined) headers['content-type'] = ct;
        const res = await request(api.url, { method: m, path: `${p.startsWith('/') ? p : `/${p}`}${q ? `?${q}` : ''}`, body: m === 'GET' || m === 'HEAD' ? undefined : b, headers });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400 && m !== 'HEAD') {
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          ErrorBody.parse(res.json);
        }
      }),
      { numRuns: 400 },
    );
    // Still alive and answering correctly afterwards.
    expect((await request(api.url, { path: '/api/users?user_id=58208891' })).status).toBe(200);
  }, 60_000);

  it('raw malformed HTTP does not crash the agent', async () => {
    const port = Number(new URL(api.url).port);
    const garbage = [
      'GARBAGE\r\n\r\n',
      'GET /api/users?user_id=1 HTTP/9.9\r\n\r\n',
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /api/users HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      'POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"login"',
    ];
    for (const payload of garbage) {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port }, () => socket.end(payload));
        socket.on('data', () => {});
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 500);
      });
    }
    expect((await request(api.url, { path: '/api/users?user_id=58208891' })).status).toBe(200);
  });
});
