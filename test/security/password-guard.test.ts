import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../main/state/open.js';
import { createState } from '../../main/state/index.js';
import { silentLogger } from '../../main/logging/logger.js';
import { PasswordGuard, type GuardSettings } from '../../main/security/password-guard.js';
import { createLoginKeys } from '../../main/security/login-keys.js';
import { AccessControl } from '../../main/server/access.js';
import { createApiApp } from '../../main/server/app.js';
import { listen } from '../../main/server/listen.js';
import { CountingBilling } from '../helpers/counting-billing.js';

const SETTINGS: GuardSettings = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 120 };
const MIN = 60_000;
const opened: Array<{ db: Db; guard: PasswordGuard }> = [];
/** The install's key, the same across a restart. */
const keys = createLoginKeys(Buffer.alloc(32, 7));

function setup(file = ':memory:', settings = SETTINGS) {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const db = openDatabase(file);
  const guard = new PasswordGuard(createState(db).lockouts, () => settings, { now: () => now, keys });
  opened.push({ db, guard });
  return { db, guard, tick: (ms: number) => (now += ms) };
}

afterEach(() => {
  for (const { db, guard } of opened.splice(0)) {
    guard.close();
    db.close();
  }
});

/** Simulates one attempt: the guard's verdict, then the billing's answer if it was asked. */
function attempt(guard: PasswordGuard, login: string, valid: boolean) {
  const verdict = guard.before(login);
  if (verdict.go) guard.after(login, valid ? 'valid' : 'invalid');
  return verdict;
}

describe('PasswordGuard', () => {
  it('locks a login after 5 failures for 15 minutes, then counts afresh', () => {
    const { guard, tick } = setup();
    for (let i = 0; i < 5; i++) expect(attempt(guard, '1595', false).go).toBe(true);
    expect(attempt(guard, '1595', true)).toEqual({ go: false, reason: 'locked', retryAfterSeconds: 900 });
    expect(attempt(guard, 'other', false).go).toBe(true);
    tick(14 * MIN);
    expect(attempt(guard, '1595', true).go).toBe(false);
    tick(MIN + 1);
    expect(attempt(guard, '1595', false).go).toBe(true);
    expect(guard.status().locked).toEqual([]);
  });

  it('a success clears the failures', () => {
    const { guard } = setup();
    for (let i = 0; i < 4; i++) attempt(guard, '1595', false);
    attempt(guard, '1595', true);
    for (let i = 0; i < 4; i++) expect(attempt(guard, '1595', false).go).toBe(true);
  });

  it('failures older than the window do not count', () => {
    const { guard, tick } = setup();
    for (let i = 0; i < 4; i++) attempt(guard, '1595', false);
    tick(16 * MIN);
    for (let i = 0; i < 4; i++) expect(attempt(guard, '1595', false).go).toBe(true);
  });

  it('a billing outage is not the subscriber\'s failure', () => {
    const { guard } = setup();
    for (let i = 0; i < 10; i++) {
      expect(guard.before('1595').go).toBe(true);
      guard.after('1595', 'error');
    }
  });

  it('checks at the billing in flight count, so a burst cannot overshoot the limit', () => {
    const { guard } = setup();
    const verdicts = Array.from({ length: 50 }, () => guard.before('1595'));
    expect(verdicts.filter((v) => v.go)).toHaveLength(5);
  });

  it('caps password checks per minute for all logins together', () => {
    const { guard, tick } = setup(':memory:', { ...SETTINGS, checksPerMinute: 10 });
    for (let i = 0; i < 10; i++) expect(attempt(guard, `login${i}`, true).go).toBe(true);
    const refused = attempt(guard, 'login-x', true);
    expect(refused).toEqual({ go: false, reason: 'busy', retryAfterSeconds: 60 });
    tick(MIN + 1);
    expect(attempt(guard, 'login-x', true).go).toBe(true);
  });

  it('survives a restart, and shows locked logins with refused attempts', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bb-guard-')), 'state.db');
    const first = setup(file);
    for (let i = 0; i < 5; i++) attempt(first.guard, '1595', false);
    for (let i = 0; i < 7; i++) attempt(first.guard, '1595', false);
    expect(first.guard.status()).toMatchObject({ locked: [{ ref: first.guard.refOf('1595'), failures: 5, blockedAttempts: 7 }], blockedAttempts: 7 });
    first.guard.close();
    first.db.close();
    opened.splice(0);

    const second = setup(file);
    expect(second.guard.before('1595')).toMatchObject({ go: false, reason: 'locked' });
    expect(second.guard.status().locked[0]).toMatchObject({ ref: second.guard.refOf('1595'), blockedAttempts: 8 });
    expect(second.guard.unlock('1595')).toBe(true);
    expect(second.guard.before('1595').go).toBe(true);
  });
});

describe('10,000 wrong passwords for one login over HTTP', () => {
  it('the login locks after the limit, the billing sees at most the limit plus the cap, and locked answers stay fast', async () => {
    const billing = new CountingBilling();
    const { guard } = setup();
    const app = createApiApp({
      billing: () => billing,
      access: new AccessControl({ allowlist: ['127.0.0.1'], allowAll: false, trustedProxies: [] }),
      log: silentLogger(),
      passwordGuard: guard,
      maxConcurrent: () => 1000,
    });
    const server = await listen(app, { host: '127.0.0.1', port: 0 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const post = (pswd: string) => new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
      const started = performance.now();
      const body = JSON.stringify({ login: '1595', pswd });
      const req = http.request(`${server.url}/api/auth`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }));
      });
      req.on('error', reject);
      req.end(body);
    });
    try {
      const wrongAnswer = await post('definitely-wrong');
      const results: Array<{ status: number; body: string; ms: number }> = [];
      for (let batch = 0; batch < 10_000 / 50; batch++) {
        results.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => post(`guess-${batch}-${i}`)))));
      }
      expect(results.every((r) => r.status === 401 && r.body === wrongAnswer.body)).toBe(true);
      expect(billing.checks).toBeLessThanOrEqual(SETTINGS.maxFailures + SETTINGS.checksPerMinute);
      expect(billing.checks).toBe(SETTINGS.maxFailures);
      // Even the right password is refused while locked, without a billing check.
      expect((await post('Zh4nna-1595')).status).toBe(401);
      expect(billing.checks).toBe(SETTINGS.maxFailures);
      const last = results.slice(-1000).map((r) => r.ms).sort((a, b) => a - b);
      expect(last[Math.floor(last.length / 2)]!).toBeLessThan(50);
      expect(guard.status()).toMatchObject({ locked: [{ ref: guard.refOf('1595'), failures: 5 }] });
      // The first attempt and 4 of the 10,000 reached the billing; the rest and the right password did not.
      expect(guard.status().blockedAttempts).toBe(10_000 - (SETTINGS.maxFailures - 1) + 1);
    } finally {
      agent.destroy();
      await server.close();
    }
  }, 60_000);
});
