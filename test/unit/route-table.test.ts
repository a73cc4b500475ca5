import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/logging/logger.js';
import { errorHandler } from '../../main/server/errors.js';
import { RouteTable, sendJson } from '../../main/server/route-table.js';
import { request } from '../helpers/http.js';

let server: http.Server;
let url = '';
const matched: string[] = [];

beforeAll(async () => {
  const table = new RouteTable('/api')
    .get('/users', async (ctx) => {
      ctx.body = { route: 'users' };
    })
    .post('/auth', async (ctx) => {
      ctx.body = { route: 'auth' };
    })
    .get('/json', async (ctx) => {
      sendJson(ctx, [{ address: 'г. Челябинск, ул. Кирова', balance: -150 }]);
    });
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    matched.push(typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched');
  });
  app.use(errorHandler(silentLogger()));
  app.use(table.middleware());
  server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the public API route table', () => {
  it('finds a route regardless of case and one trailing slash, and names it as declared', async () => {
    matched.length = 0;
    for (const path of ['/api/users', '/API/Users', '/api/users/']) {
      const res = await request(url, { path: `${path}?user_id=1` });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ route: 'users' });
    }
    expect(matched).toEqual(['/api/users', '/api/users', '/api/users']);
    expect((await request(url, { path: '/api/users//' })).status).toBe(404);
  });

  it('answers HEAD for a GET route, OPTIONS with the allowed methods, 405 and 501 otherwise', async () => {
    const head = await request(url, { method: 'HEAD', path: '/api/users' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const options = await request(url, { method: 'OPTIONS', path: '/api/auth' });
    expect(options.status).toBe(200);
    expect(options.headers.allow).toBe('POST');
    const wrong = await request(url, { method: 'GET', path: '/api/auth' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.json).toMatchObject({ error: 'method_not_allowed' });
    const unknown = await request(url, { method: 'PROPFIND', path: '/api/users' });
    expect(unknown.status).toBe(501);
    expect(unknown.json).toMatchObject({ error: 'not_implemented' });
  });

  it('leaves unknown paths to the 404 answer, counted as unmatched', async () => {
    matched.length = 0;
    const res = await request(url, { path: '/api/nothing' });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: 'not_found' });
    expect(matched).toEqual(['unmatched']);
  });

  it('sends JSON as UTF-8 bytes with its type and exact length, and HEAD gets the headers alone', async () => {
    const res = await request(url, { path: '/api/json' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.json).toEqual([{ address: 'г. Челябинск, ул. Кирова', balance: -150 }]);
    const head = await request(url, { method: 'HEAD', path: '/api/json' });
    expect(head.headers['content-length']).toBe(res.headers['content-length']);
    expect(head.text).toBe('');
  });

  it('refuses a route declared twice', () => {
    const table = new RouteTable().get('/a', async () => {});
    expect(() => table.get('/A/', async () => {})).toThrow(/declared twice/);
  });
});
