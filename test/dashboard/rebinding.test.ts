// A web page in a browser on the billing host, in real Chromium. Its own name (evil.test) is made
// to point at 127.0.0.1, as DNS rebinding would: such a page is same-origin with the agent's
// ports and could read their answers, so the agent must refuse it on both ports. A page of any
// other origin may still fire requests blind (no-cors); the API must refuse those before the
// billing is asked. And `dashboard --open`'s one-time code opens the real dashboard.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { silentLogger } from '../../main/logging/logger.js';
import { dataFiles } from '../../main/settings/paths.js';
import { request } from '../helpers/http.js';
import { ensureRendererBuilt, launchChromium, newContext } from './harness.js';

class CountingBilling extends DemoBilling {
  passwordChecks = 0;
  override async authenticate(login: string, password: string) {
    this.passwordChecks++;
    return super.authenticate(login, password);
  }
}

const PASSWORD = 'Anna.3112';
let agent: Agent;
let billing: CountingBilling;
let token: string;
let browser: Browser;
let context: BrowserContext;
let apiPort: string;
let adminPort: string;

beforeAll(async () => {
  ensureRendererBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bb-rebind-'));
  writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, server: { host: '127.0.0.1' }, sync: { enabled: false } }));
  billing = new CountingBilling();
  [agent, browser] = await Promise.all([
    startAgent({ dataDir, port: 0, adminPort: 0, env: {}, log: silentLogger(), billing }),
    launchChromium(['--host-resolver-rules=MAP evil.test 127.0.0.1']),
  ]);
  token = readFileSync(dataFiles(dataDir).adminToken, 'utf8').trim();
  apiPort = new URL(agent.api.url).port;
  adminPort = new URL(agent.admin.url).port;
  context = await newContext(browser, { wizardDismissed: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await agent?.stop();
});

interface Read {
  path: string;
  status: number;
  text: string;
}

/** What a script of the page can read: each path fetched from the page's own origin. */
async function readFromPage(page: Page, reads: Array<{ path: string; method?: string; body?: string }>): Promise<Read[]> {
  return page.evaluate(async (list) => Promise.all(list.map(async ({ path: p, method, body }) => {
    try {
      const res = await fetch(p, { method: method ?? 'GET', body, headers: body ? { 'Content-Type': 'application/json' } : {} });
      return { path: p, status: res.status, text: await res.text() };
    } catch (err) {
      return { path: p, status: 0, text: String(err) };
    }
  })), reads);
}

/** A page at http://evil.test:<port>/, the name resolving to 127.0.0.1. */
async function evilPage(port: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`http://evil.test:${port}/`);
  expect(new URL(page.url()).host).toBe(`evil.test:${port}`);
  return page;
}

describe('a page under a foreign name that points at 127.0.0.1', () => {
  it('reads nothing from the Data Provider API', async () => {
    const page = await evilPage(apiPort);
    const reads = await readFromPage(page, [
      { path: '/api/users?user_id=58208893' },
      { path: '/api/contracts?user_id=58208893' },
      { path: '/api/tariffs' },
      { path: '/api/auth', method: 'POST', body: JSON.stringify({ login: '3112', pswd: PASSWORD }) },
    ]);
    for (const read of reads) {
      expect(read.status, read.path).toBe(421);
      expect(read.text, read.path).not.toContain(PASSWORD);
      expect(read.text, read.path).not.toContain('58208893');
      expect(JSON.parse(read.text), read.path).toMatchObject({ error: 'misdirected_request' });
    }
    await page.close();
  });

  it('reads nothing from the admin port: not the probes, the metrics, the dashboard or the operations', async () => {
    const { code } = await agent.handlers['dashboard.code']({});
    const page = await evilPage(adminPort);
    const reads = await readFromPage(page, [
      { path: '/readyz' },
      { path: '/metrics' },
      { path: '/healthz' },
      { path: '/' },
      { path: '/admin/agent.info', method: 'POST', body: '{}' },
      // Even a valid one-time code is not redeemed for a page under this name.
      { path: '/token', method: 'POST', body: JSON.stringify({ code }) },
    ]);
    for (const read of reads) {
      expect(read.status, read.path).toBe(421);
      for (const secret of [token, '"ready"', 'billing_bridge_', 'id="root"', '"status":"ok"', agent.dataDir]) expect(read.text, read.path).not.toContain(secret);
    }
    // The code was not spent: the real dashboard can still use it.
    expect((await request(agent.admin.url, { method: 'POST', path: '/token', body: { code } })).json).toEqual({ token });
    await page.close();
  });
});

describe('a page of another origin firing requests blind', () => {
  it('a no-cors POST to /api/auth with a typeless Blob costs the billing no check and locks nobody out', async () => {
    const page = await evilPage(adminPort);
    const before = billing.passwordChecks;
    const sent = await page.evaluate(async (url) => {
      let opaque = 0;
      for (let i = 0; i < 8; i++) {
        // A Blob without a type: no Content-Type header, so no CORS preflight.
        const res = await fetch(url, { method: 'POST', mode: 'no-cors', body: new Blob([JSON.stringify({ login: '1595', pswd: `guess-${i}` })]) });
        if (res.type === 'opaque') opaque++;
      }
      return opaque;
    }, `http://127.0.0.1:${apiPort}/api/auth`);
    expect(sent).toBe(8);
    expect(billing.passwordChecks).toBe(before);
    // The subscriber still gets in (eight wrong passwords would have locked the login).
    const real = await request(agent.api.url, { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'Zh4nna-1595' } });
    expect(real.status).toBe(200);
    expect(billing.passwordChecks).toBe(before + 1);
    await page.close();
  });
});

describe('the one-time code of dashboard --open', () => {
  it('opens the dashboard at its own address, and leaves no code in the address bar', async () => {
    const { code } = await agent.handlers['dashboard.code']({});
    const page = await context.newPage();
    await page.goto(`${agent.admin.url}/#code=${code}`);
    await page.getByTestId('billing-card').waitFor();
    expect(page.url()).not.toContain(code);
    expect(await page.evaluate(() => sessionStorage.getItem('billing-bridge.admin-token'))).toBe(token);
    await page.close();
  });
});
