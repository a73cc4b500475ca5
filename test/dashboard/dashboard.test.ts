// The dashboard in headless Chromium against a real agent (demo billing) and a fake core: the
// first-run wizard, both languages, status, allowlist, sync, settings, logs and manual callbacks,
// including core being down. Screenshots of the main screens go to test-results/screenshots/.
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dataFiles } from '../../main/settings/paths.js';
import { request } from '../helpers/http.js';
import { exposeBridge, newContext, openDashboard, screenshot, setupBrowserSuite, type Stack } from './harness.js';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;

const settings = () => JSON.parse(readFileSync(dataFiles(stack.dataDir).settings, 'utf8')) as {
  server: { allowlist: string[] };
  sync: { enabled: boolean; intervalSeconds: number };
  phones: { format: string };
};

/** A section of a screen, found by its heading. */
const section = (page: Page, title: string): Locator =>
  page.locator('section').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

/** The allowlist editor's row whose input holds `value`. */
async function entryRow(page: Page, value: string): Promise<Locator> {
  const rows = page.locator('li.entry');
  for (let i = 0; i < (await rows.count()); i++) {
    if ((await rows.nth(i).locator('input').inputValue()) === value) return rows.nth(i);
  }
  throw new Error(`no allowlist row holds ${value}`);
}

setupBrowserSuite((suite) => {
  ({ stack, browser, context } = suite);
});

describe('the dashboard', () => {
  it('opens the first-run wizard on a fresh agent and saves every step', async () => {
    const first = await newContext(browser, { wizardDismissed: false });
    try {
      const page = await openDashboard(first, stack, 'status');
      const wizard = page.getByTestId('wizard');
      await wizard.getByRole('heading', { name: 'Первоначальная настройка' }).waitFor();
      expect(page.url()).not.toContain('token');

      // Billing: keep the demo.
      await wizard.getByRole('button', { name: 'Сохранить' }).click();
      await wizard.getByTestId('saved').waitFor();
      await wizard.getByRole('button', { name: 'Дальше →' }).click();

      // Core: the address is there; add the password and test.
      await wizard.getByLabel('Пароль платформы').fill('core-secret');
      await wizard.getByRole('button', { name: 'Сохранить' }).click();
      await wizard.getByText('Пароль сохранён.').waitFor();
      await wizard.getByRole('button', { name: 'Проверить связь с платформой' }).click();
      await wizard.locator('[data-testid="core.test-result"] .check-ok').first().waitFor();
      await screenshot(page, 'wizard');
      await wizard.getByRole('button', { name: 'Дальше →' }).click();

      // Allowlist: add core's address.
      await wizard.getByRole('button', { name: '+ Добавить адрес' }).click();
      await wizard.getByLabel('Адрес 3').fill('127.0.0.2');
      await wizard.getByRole('button', { name: 'Сохранить' }).click();
      await wizard.getByText('Список сохранён и уже действует.').waitFor();
      await wizard.getByRole('button', { name: 'Дальше →' }).click();

      // Phones.
      await wizard.getByLabel('С кодом страны').check();
      await wizard.getByRole('button', { name: 'Сохранить' }).click();
      await wizard.getByTestId('saved').waitFor();
      await wizard.getByRole('button', { name: 'Дальше →' }).click();

      await page.getByTestId('wizard-done').waitFor();
      await page.getByRole('button', { name: 'Открыть панель' }).click();
      await page.getByTestId('status-screen').waitFor();

      expect(settings().server.allowlist).toEqual(['127.0.0.1', '::1', '127.0.0.2']);
      expect(settings().phones.format).toBe('international');
      expect(JSON.parse(readFileSync(dataFiles(stack.dataDir).secrets, 'utf8'))).toEqual({ 'core-password': 'core-secret' });
      await stack.admin('settings.update', { patch: { phones: { format: 'national' } } });

      // Dismissed: it does not open by itself again.
      await page.reload();
      await page.getByTestId('status-screen').waitFor();
      expect(await page.getByTestId('wizard').count()).toBe(0);
    } finally {
      await first.close();
    }
  });

  it('speaks Russian by default (even to an English browser) and English on request, and remembers the choice', async () => {
    const own = await newContext(browser, { wizardDismissed: true, locale: 'en-US' });
    try {
      const page = await openDashboard(own, stack, 'status');
      await page.getByRole('heading', { level: 1, name: 'Состояние' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('ru');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.getByRole('link', { name: 'Callbacks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Callbacks to core' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Callbacks to core' }).waitFor();
    } finally {
      await own.close();
    }
  });

  it('asks for the access link without a token, and says so when the token is wrong', async () => {
    const own = await newContext(browser, { wizardDismissed: true });
    try {
      const page = await own.newPage();
      await page.goto(`${stack.dashboardUrl}/`);
      await page.getByTestId('need-token').getByText('Нужна ссылка с ключом доступа').waitFor();
      await page.goto(`${stack.dashboardUrl}/#token=wrong`);
      await page.reload();
      await page.getByText('Ключ доступа не подошёл').first().waitFor();
    } finally {
      await own.close();
    }
  });

  it('talks through the Electron bridge when there is one, without a token or HTTP calls of its own', async () => {
    const own = await newContext(browser, { wizardDismissed: true });
    try {
      const calls: string[] = [];
      await exposeBridge(own, stack, calls);
      const page = await own.newPage();
      const fetched: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/admin/')) fetched.push(r.url());
      });
      await page.goto(`${stack.dashboardUrl}/#/sync`);
      await page.getByTestId('sync-state').getByText('Включена').waitFor();
      expect(calls).toContain('sync.status');
      expect(fetched).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('shows the status at a glance, with dead letters to send again', async () => {
    // One callback core refuses for good: it lands in the dead letters.
    stack.core.set({ failWith: 422, failTimes: 1 });
    await stack.admin('callback.send', { target: 'contract', id: '12331250' });

    const page = await openDashboard(context, stack, 'status');
    await page.getByTestId('billing-card').getByText('да').waitFor();
    await page.getByTestId('scan-card').getByText('Абонентов', { exact: true }).waitFor();
    await page.getByTestId('problems').getByText('Требует внимания').waitFor();
    const dead = page.getByTestId('dead-letters');
    await dead.getByText('contract 12331250').waitFor();
    await page.getByRole('button', { name: 'Проверить связь с платформой' }).click();
    await page.locator('[data-testid="core-test"] .check-ok').first().waitFor();
    await screenshot(page, 'status');

    await dead.getByRole('button', { name: 'Отправить снова' }).click();
    await page.getByTestId('requeued').getByText('Снова в очереди: 1.').waitFor();
    await stack.core.waitFor((r) => r.some((c) => c.body.ext_id === '12331250'), 10_000);
    await page.getByTestId('problems').getByText('Всё работает').waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('shows a login locked after wrong passwords and unlocks it', async () => {
    const api = stack.agent.api.url.replace('[::1]', '127.0.0.1');
    for (let i = 0; i < 6; i++) await request(api, { method: 'POST', path: '/api/auth', body: { login: '2048', pswd: `guess-${i}` } });
    const page = await openDashboard(context, stack, 'status');
    const table = page.getByTestId('lockouts');
    await table.getByText('2048', { exact: true }).waitFor();
    await page.getByTestId('lockout-summary').getByText(/Отклонено попыток с запуска: 1\./).waitFor();
    await table.getByRole('button', { name: 'Разблокировать' }).click();
    await table.waitFor({ state: 'detached' });
    expect((await request(api, { method: 'POST', path: '/api/auth', body: { login: '2048', pswd: 'ivanov2048' } })).status).toBe(200);
    await page.close();
  });

  it('edits the allowlist: checks entries as typed, adds a refused address, warns before a lock-out', async () => {
    // 127.0.0.1 is a recent client (core, as far as the agent knows); 127.0.0.5 gets refused.
    expect((await request(stack.agent.api.url, { path: '/api/services', localAddress: '127.0.0.1' })).status).toBe(200);
    expect((await request(stack.agent.api.url, { path: '/api/services', localAddress: '127.0.0.5' })).status).toBe(403);

    const page = await openDashboard(context, stack, 'allowlist');
    await page.getByTestId('recent-clients').getByText('127.0.0.1').waitFor();
    await page.getByTestId('recent-refused').getByRole('button', { name: 'Добавить' }).click();
    expect(await (await entryRow(page, '127.0.0.5')).count()).toBe(1);
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByTestId('allowlist-saved').waitFor();
    expect(settings().server.allowlist).toContain('127.0.0.5');

    // A typo is named next to its entry while typing.
    await page.getByRole('button', { name: '+ Добавить адрес' }).click();
    const rows = page.locator('li.entry');
    const typo = rows.last();
    await typo.locator('input').fill('core.example');
    await typo.getByTestId('entry-problem').getByText('is not an IP address').waitFor();

    // Dropping 127.0.0.1 would shut out a recent client: warned as typed, refused on save.
    await (await entryRow(page, '127.0.0.1')).getByRole('button', { name: 'Убрать' }).click();
    await page.getByTestId('lockout-warning').getByText('127.0.0.1').waitFor();
    await screenshot(page, 'allowlist');
    await typo.locator('input').fill('10.0.0.0/8');
    await typo.getByTestId('entry-problem').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    const conflict = page.getByTestId('lockout-conflict');
    await conflict.getByText('would refuse 127.0.0.1').waitFor();
    expect(settings().server.allowlist).toContain('127.0.0.1');
    await conflict.getByRole('button', { name: 'Всё равно сохранить' }).click();
    await page.getByTestId('allowlist-saved').waitFor();
    await conflict.waitFor({ state: 'detached' });
    expect(settings().server.allowlist).toEqual(['::1', '127.0.0.2', '127.0.0.5', '10.0.0.0/8']);

    await stack.admin('allowlist.set', { entries: ['127.0.0.1', '::1'], confirmLockout: true });
    await page.close();
  });

  it('pauses and resumes sync, scans now and re-sends everything after a confirmation', async () => {
    const page = await openDashboard(context, stack, 'sync');
    const state = page.getByTestId('sync-state');
    await state.getByText('Включена').waitFor();
    await page.getByRole('button', { name: 'Поставить на паузу' }).click();
    await state.getByText('На паузе').waitFor();
    expect(settings().sync.enabled).toBe(false);
    expect(await page.getByRole('button', { name: 'Проверить сейчас' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Включить' }).click();
    await state.getByText('Включена').waitFor();
    expect(settings().sync.enabled).toBe(true);

    await page.getByRole('button', { name: 'Проверить сейчас' }).click();
    await page.getByTestId('scan-result').getByText('проверено абонентов: 9').waitFor();

    await page.getByRole('button', { name: 'Отправить всё заново' }).click();
    await page.getByText('Платформа перечитает всех абонентов. Продолжить?').waitFor();
    await page.getByRole('button', { name: 'Да, отправить всё' }).click();
    await page.getByText('Платформа перечитает всё.').waitFor();
    await screenshot(page, 'sync');
    await page.close();
  });

  it('saves settings, shows the agent\'s refusal beside the form, tests billing and core, sets secrets', async () => {
    const page = await openDashboard(context, stack, 'settings');
    const sync = section(page, 'Синхронизация');
    await sync.getByLabel('Проверять биллинг каждые, секунд').fill('3');
    await sync.getByRole('button', { name: 'Сохранить' }).click();
    await sync.getByRole('alert').getByText('intervalSeconds').waitFor();
    await sync.getByLabel('Проверять биллинг каждые, секунд').fill('30');
    await sync.getByRole('button', { name: 'Сохранить' }).click();
    await sync.getByTestId('saved').waitFor();
    expect(settings().sync.intervalSeconds).toBe(30);

    await page.getByRole('button', { name: 'Проверить биллинг' }).click();
    await page.locator('[data-testid="billing.check-result"] .check-ok').first().waitFor();
    await section(page, 'Платформа (core)').getByRole('button', { name: 'Проверить связь с платформой' }).click();
    await page.locator('[data-testid="core.test-result"] .check-ok').first().waitFor();

    await page.getByTestId('secret-core-password').getByText('задан').waitFor();
    const token = page.getByTestId('secret-api-token');
    await token.getByText('не задан').waitFor();
    await token.locator('input[type="password"]').fill('inbound-token-1');
    await token.getByRole('button', { name: 'Сохранить' }).click();
    await token.getByText('задан — файл secrets.json (только для владельца)').waitFor();
    expect(await page.content()).not.toContain('inbound-token-1');
    await screenshot(page, 'settings');
    await token.getByRole('button', { name: 'Удалить' }).click();
    await token.getByText('не задан').waitFor();
    await page.close();
  });

  it('shows recent log lines with a level filter and creates the diagnostics file', async () => {
    const page = await openDashboard(context, stack, 'logs');
    await page.getByTestId('log-lines').locator('li').first().waitFor();
    await page.getByRole('button', { name: 'Создать файл диагностики' }).click();
    const file = (await page.getByTestId('diagnostics-file').locator('code').textContent()) ?? '';
    expect(file).toMatch(/\.zip$/);
    expect(existsSync(file)).toBe(true);
    await screenshot(page, 'logs', { fullPage: false });
    // The dead letter and the refused settings earlier were warnings.
    await page.getByLabel('Показывать').selectOption('warn');
    await page.locator('.log-info').first().waitFor({ state: 'detached' });
    await page.locator('.log-warn').first().waitFor();
    await page.close();
  });

  it('sends manual callbacks that the fake core receives, and shows the failure when core is down', async () => {
    stack.core.clear();
    const page = await openDashboard(context, stack, 'callbacks');
    await page.getByLabel('Номер договора (ext_id)').fill('12331231');
    await page.getByRole('button', { name: 'Отправить', exact: true }).click();
    const newest = page.getByTestId('callback-result').first();
    await newest.getByText('Доставлено').waitFor();
    await newest.getByText('200', { exact: true }).waitFor();
    await stack.core.waitFor((r) => r.some((c) => c.kind === 'contract' && c.body.ext_id === '12331231'), 5_000);

    await page.getByLabel('Что обновить').selectOption('charge');
    await page.getByLabel('Номер абонента (ext_user_id)').fill('58208891');
    await page.getByRole('button', { name: 'Отправить', exact: true }).click();
    await page.getByTestId('callback-results').getByText('charges of user 58208891').waitFor();
    await stack.core.waitFor((r) => r.some((c) => c.kind === 'charge' && c.body.user_ext_id === '58208891'), 5_000);
    await page.getByTestId('recent-deliveries').getByText('charges of user 58208891').first().waitFor();

    // Core goes away: the result says it was not delivered, and why.
    await stack.core.close();
    await page.getByLabel('Что обновить').selectOption('contract');
    await page.getByLabel('Номер договора (ext_id)').fill('12331240');
    await page.getByRole('button', { name: 'Отправить', exact: true }).click();
    const failed = page.getByTestId('callback-result').first();
    await failed.getByText('Не доставлено').waitFor();
    const reason = (await failed.getByTestId('callback-reason').textContent()) ?? '';
    expect(reason).toMatch(/refused|reach|connect/i);
    await screenshot(page, 'callbacks');

    await page.getByRole('link', { name: 'Состояние' }).click();
    await page.getByTestId('problems').getByText(reason).waitFor();
    await stack.restartCore();
    await page.close();
  });
});
