// One-time dashboard codes: random, single use, a minute long, traded for the token only by the
// page itself at POST /token; made only by holders of the token (the dashboard.code operation).
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_TTL_MS, OneTimeCodes } from '../../main/admin/one-time-codes.js';
import { ADMIN_HOST, createAdminApp } from '../../main/admin/server.js';
import { createLogger } from '../../main/logging/logger.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import { noHandlers } from '../helpers/admin.js';
import { request } from '../helpers/http.js';

describe('OneTimeCodes', () => {
  it('redeems a code once, within a minute', () => {
    let now = 1_000_000;
    const codes = new OneTimeCodes(() => now);
    const a = codes.issue();
    const b = codes.issue();
    expect(a.code).not.toBe(b.code);
    expect(a.code).toMatch(/^[\w-]{43}$/);
    expect(Date.parse(a.expiresAt)).toBe(now + CODE_TTL_MS);
    expect(codes.redeem(a.code)).toBe('ok');
    expect(codes.redeem(a.code)).toBe('used');
    expect(codes.redeem('x'.repeat(43))).toBe('unknown');
    now += CODE_TTL_MS;
    expect(codes.redeem(b.code)).toBe('expired');
    expect(codes.redeem(b.code)).toBe('unknown');
  });

  it('keeps a bounded number of codes waiting, dropping the oldest', () => {
    const codes = new OneTimeCodes();
    const first = codes.issue().code;
    const rest = Array.from({ length: 16 }, () => codes.issue().code);
    expect(codes.redeem(first)).toBe('unknown');
    expect(rest.map((c) => codes.redeem(c))).toEqual(rest.map(() => 'ok'));
  });
});

describe('POST /token on the admin port', () => {
  const TOKEN = 'k'.repeat(43);
  const lines: Array<Record<string, unknown>> = [];
  let admin: RunningServer;
  const codes = new OneTimeCodes();

  beforeAll(async () => {
    const log = createLogger({ pretty: false, destination: new Writable({ write: (c: Buffer, _e, done) => { lines.push(JSON.parse(c.toString())); done(); } }) });
    const handlers = noHandlers({ 'dashboard.code': async () => codes.issue() });
    admin = await listen(createAdminApp({ token: TOKEN, handlers, log, dashboardCodes: codes }), { host: ADMIN_HOST, port: 0 });
  });
  afterAll(() => admin.close());

  const newCode = async (token?: string) => request(admin.url, { method: 'POST', path: '/admin/dashboard.code', headers: token ? { authorization: `Bearer ${token}` } : {} });
  const redeem = (code: unknown, headers: Record<string, string> = {}) => request(admin.url, { method: 'POST', path: '/token', body: { code }, headers });

  it('only a holder of the token gets a code', async () => {
    expect((await newCode()).status).toBe(401);
    const res = await newCode(TOKEN);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ result: { code: expect.any(String), expiresAt: expect.any(String) } });
  });

  it('trades a code for the token once; a second use is refused and logged as a warning', async () => {
    const { code } = ((await newCode(TOKEN)).json as { result: { code: string } }).result;
    const ok = await redeem(code, { 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ token: TOKEN });
    const again = await redeem(code);
    expect(again.status).toBe(401);
    expect(again.json).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('used already') });
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('presented again'))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(code);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('refuses other pages, other methods, and bodies without a code', async () => {
    const { code } = ((await newCode(TOKEN)).json as { result: { code: string } }).result;
    expect((await redeem(code, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await redeem(code, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await request(admin.url, { path: '/token' })).status).toBe(405);
    expect((await redeem(undefined)).status).toBe(400);
    expect((await redeem('')).status).toBe(400);
    // Refusals did not spend it.
    expect((await redeem(code)).status).toBe(200);
  });
});
