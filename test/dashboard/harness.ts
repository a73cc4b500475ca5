// What the browser tests stand on: the renderer built (once, when missing or older than its
// sources), a real headless agent with the demo billing, a fake core, and Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { startFakeCore, type FakeCore } from '../../main/fake-core/index.js';
import { LogRing, createLogger } from '../../main/logging/logger.js';
import { dataFiles } from '../../main/settings/paths.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'renderer', 'dist');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

function newestMtime(entry: string): number {
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Builds renderer/dist unless it is newer than everything it is built from (a clean CI clone builds). */
export function ensureRendererBuilt(): void {
  const index = path.join(DIST, 'index.html');
  const sources = ['renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'shared'].map((p) => path.join(ROOT, p));
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** `extraArgs`: more Chromium switches, e.g. --host-resolver-rules for a name that points here. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...extraArgs],
  });
}

export interface Stack {
  agent: Agent;
  core: FakeCore;
  dataDir: string;
  token: string;
  /** Where the dashboard is opened: the agent's admin port, or a stand-in serving dist next to it. */
  dashboardUrl: string;
  /** An admin operation over the agent's HTTP API, for setting the scene. */
  admin(op: string, input?: object): Promise<unknown>;
  /** The fake core again on its port (after a test stopped it). */
  restartCore(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  let core = await startFakeCore();
  const port = core.port;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bb-dashboard-'));
  // Core is configured, the allowlist is still the loopback default (so setup is "needed"), and
  // secrets set from the dashboard go to the 0600 file (there is no keychain on a CI box).
  writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({
    version: 1,
    server: { host: '127.0.0.1' },
    core: { baseUrl: core.url, login: 'isp' },
    secrets: { backend: 'file' },
  }));
  // Log lines go to the dashboard's ring only, not to the test output.
  const ring = new LogRing();
  const log = createLogger({ level: 'debug', pretty: false, ring, destination: new Writable({ write: (_chunk, _enc, done) => done() }) });
  const agent = await startAgent({ dataDir, port: 0, adminPort: 0, env: {}, log, ring });
  const token = readFileSync(dataFiles(dataDir).adminToken, 'utf8').trim();
  // The agent itself serves the dashboard on its admin port.
  const page = await fetch(`${agent.admin.url}/`);
  if (!page.ok || !(page.headers.get('content-type') ?? '').startsWith('text/html')) throw new Error(`the agent does not serve the dashboard: HTTP ${page.status}`);
  return {
    agent,
    get core() {
      return core;
    },
    dataDir,
    token,
    dashboardUrl: agent.admin.url,
    async admin(op, input = {}) {
      const res = await fetch(`${agent.admin.url}/admin/${op}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { result?: unknown; message?: string };
      if (!res.ok) throw new Error(`${op}: HTTP ${res.status} ${body.message ?? ''}`);
      return body.result;
    },
    async restartCore() {
      core = await startFakeCore({ port });
    },
    async close() {
      await agent.stop();
      await core.close();
    },
  };
}

let lastPage: Page | null = null;

/** A page of the dashboard with the admin token handed over the way the agent's link does it. */
export async function openDashboard(context: BrowserContext, stack: Stack, page: string): Promise<Page> {
  const tab = await context.newPage();
  lastPage = tab;
  await tab.goto(`${stack.dashboardUrl}/#/${page}&token=${encodeURIComponent(stack.token)}`);
  return tab;
}

/** A browser context at a desktop size; `wizardDismissed` as after a first run already done. */
export async function newContext(browser: Browser, options: { wizardDismissed: boolean; locale?: string }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: options.locale ?? 'ru-RU' });
  // Well inside vitest's per-test limit, so a missing element fails with its own message.
  context.setDefaultTimeout(8_000);
  if (options.wizardDismissed) await context.addInitScript("try { localStorage.setItem('billing-bridge.wizard-dismissed', '1') } catch {}");
  return context;
}

/** After a failed test: what the page showed, in test-results/failures/. */
export async function screenshotFailure(name: string): Promise<void> {
  if (!lastPage || lastPage.isClosed()) return;
  const dir = path.join(ROOT, 'test-results', 'failures');
  mkdirSync(dir, { recursive: true });
  await lastPage.screenshot({ path: path.join(dir, `${name.replace(/[^\w-]+/g, '-').slice(0, 80)}.png`), fullPage: true }).catch(() => undefined);
}

/** The whole page from the top (`fullPage: false`: the first screenful only, for long lists). */
/**
 * What Electron's preload gives the page: window.billingBridge.call(op, input) answering
 * { ok, result } or { ok: false, error }. Here it reaches the agent's admin API from Node.
 */
export async function exposeBridge(context: BrowserContext, stack: Stack, calls: string[]): Promise<void> {
  await context.exposeFunction('testBridgeCall', async (op: string, input: unknown) => {
    calls.push(op);
    const res = await fetch(`${stack.agent.admin.url}/admin/${op}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
    const body = (await res.json()) as { result?: unknown; error?: string; message?: string };
    return res.ok ? { ok: true, result: body.result } : { ok: false, error: { error: body.error ?? 'error', message: body.message ?? '' } };
  });
  await context.addInitScript('window.billingBridge = { call: (op, input) => window.testBridgeCall(op, input) };');
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Clicks scroll the page; from the top, the sticky header is where it belongs.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

export interface BrowserSuite {
  stack: Stack;
  browser: Browser;
  context: BrowserContext;
}

/**
 * The hooks every browser test file needs: the renderer built, an agent with a fake core, Chromium
 * and a context whose first-run wizard is already dismissed; a screenshot of a failed test; all
 * closed at the end. `ready` hands the parts to the file.
 */
export function setupBrowserSuite(ready: (suite: BrowserSuite) => void | Promise<void>): void {
  let suite: BrowserSuite | undefined;
  beforeAll(async () => {
    ensureRendererBuilt();
    const [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    suite = { stack, browser, context: await newContext(browser, { wizardDismissed: true }) };
    await ready(suite);
  }, 120_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshotFailure(ctx.task.name);
  });
  afterAll(async () => {
    await suite?.context.close();
    await suite?.browser.close();
    await suite?.stack.close();
  });
}
