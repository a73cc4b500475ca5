// serveDashboard: the built files with strict headers, nothing outside dist, the admin operations
// left alone, and a plain page when the dashboard was never built.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, serveDashboard } from '../../main/admin/dashboard.js';
import { request } from '../helpers/http.js';

let base: string;
let dist: string;
let server: http.Server;
let url: string;

async function serve(distDir: string): Promise<{ url: string; server: http.Server }> {
  const app = new Koa();
  // As the admin app: a browser closing a tab mid-file is not worth a stack trace.
  app.silent = true;
  app.use(serveDashboard(distDir));
  // What the admin app does after the dashboard: everything else needs the token.
  app.use((ctx) => {
    ctx.status = 401;
    ctx.body = { error: 'unauthorized', message: 'token needed' };
  });
  const s = http.createServer(app.callback());
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, server: s };
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'bb-dash-'));
  dist = path.join(base, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dist, '.env'), 'SECRET=1');
  writeFileSync(path.join(base, 'secret.txt'), 'outside');
  symlinkSync(path.join(base, 'secret.txt'), path.join(dist, 'link.txt'));
  ({ url, server } = await serve(dist));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('serveDashboard', () => {
  it('serves index.html at / with the security headers', async () => {
    const res = await request(url, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<title>x</title>');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with their type, cacheable; HEAD answers headers only', async () => {
    const res = await request(url, { path: '/assets/index-abc.js' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    const head = await request(url, { method: 'HEAD', path: '/assets/index-abc.js' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log(1)'.length));
    expect(head.text).toBe('');
  });

  it('never reaches outside dist: dot segments, encoded slashes, hidden files, symlinks', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/.env', '/link.txt', '/%00', '/%E0%A4%A']) {
      const res = await request(url, { path: p });
      expect(res.status, p).toBe(401);
      expect(res.text, p).not.toContain('outside');
      expect(res.text, p).not.toContain('SECRET');
    }
  });

  it('leaves /admin/ operations, other methods and unknown files to the next middleware', async () => {
    expect((await request(url, { path: '/admin/sync.status' })).status).toBe(401);
    expect((await request(url, { method: 'POST', path: '/' })).status).toBe(401);
    expect((await request(url, { path: '/nope.js' })).status).toBe(401);
    expect((await request(url, { path: '/assets' })).status).toBe(401);
  });

  it('answers a plain 503 page when the dashboard is not built', async () => {
    const missing = await serve(path.join(base, 'not-built'));
    try {
      const res = await request(missing.url, { path: '/' });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('The dashboard is not built: run <code>npm run build:renderer</code>');
      expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      expect((await request(missing.url, { path: '/assets/x.js' })).status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => missing.server.close(() => resolve()));
    }
  });
});
