// The dashboard's Carbon fields section in headless Chromium, against a real agent on a Carbon
// (the simulator) whose street field has another name: the missing field and its replacement are
// shown, and one button writes a map that fits.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { LogRing, createLogger } from '../../main/logging/logger.js';
import { dataFiles } from '../../main/settings/paths.js';
import { createCarbonSim, type CarbonSim } from '../../tools/carbon-sim/index.js';
import { ensureRendererBuilt, launchChromium, newContext, openDashboard, screenshot, type Stack } from '../dashboard/harness.js';

let sim: CarbonSim;
let agent: Agent;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  ensureRendererBuilt();
  sim = createCarbonSim({ renameFields: { 'Homes.street': 'street_name' } });
  const { url } = await sim.listen(0, '127.0.0.1');
  dataDir = mkdtempSync(path.join(tmpdir(), 'bb-carbon-dashboard-'));
  writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, secrets: { backend: 'file' }, sync: { enabled: false }, billing: { kind: 'carbon', carbon: { url } } }));
  const ring = new LogRing();
  const log = createLogger({ level: 'info', pretty: false, ring, destination: new Writable({ write: (_chunk, _enc, done) => done() }) });
  [agent, browser] = await Promise.all([startAgent({ dataDir, port: 0, adminPort: 0, env: {}, log, ring }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await sim?.close();
});

describe('the Carbon fields section', () => {
  it('shows the missing field with its replacement and writes a map that fits with one button', async () => {
    const context = await newContext(browser, { wizardDismissed: true, locale: 'en-US' });
    try {
      const stack = { dashboardUrl: agent.admin.url, token: readFileSync(dataFiles(dataDir).adminToken, 'utf8').trim() } as Stack;
      const page = await openDashboard(context, stack, 'settings');
      await page.getByRole('button', { name: 'English' }).click().catch(() => undefined);
      const map = page.getByTestId('carbon-field-map');
      await map.getByRole('button').first().click();
      const table = page.getByTestId('field-map-table');
      const row = table.locator('tr').filter({ hasText: 'Abonents.home__street' });
      await row.waitFor();
      expect(await row.textContent()).toContain('home__street_name');
      await screenshot(page, 'carbon-field-map');
      await map.getByRole('button').nth(1).click();
      await page.getByTestId('field-map-fixed').waitFor();
      expect(await page.getByTestId('field-map-fixed').textContent()).toContain('billing.carbon.address.parts.street: home__street → home__street_name');
      const file = JSON.parse(readFileSync(dataFiles(dataDir).settings, 'utf8')) as { billing: { carbon: { address: { parts: Record<string, string> } } } };
      expect(file.billing.carbon.address.parts.street).toBe('home__street_name');
      await page.close();
    } finally {
      await context.close();
    }
  }, 60_000);
});
