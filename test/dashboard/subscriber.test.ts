// The Subscriber page in headless Chromium against a real agent (demo billing): search by login
// and by a phone written another way, the verdict with each rule's reason in Russian and English,
// the self-test button and the sync report. Screenshot: test-results/screenshots/subscriber.png.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDashboard, screenshot, setupBrowserSuite, type Stack } from './harness.js';

let stack: Stack;
let context: BrowserContext;

setupBrowserSuite(async (suite) => {
  ({ stack, context } = suite);
  // The lookup index is built by the first scan, which starts with the agent.
  for (let i = 0; i < 200 && (await stack.agent.sync.status()).baselineAt === null; i++) await new Promise((r) => setTimeout(r, 50));
});

describe('the Subscriber page', () => {
  it('finds a subscriber, shows the verdict with a reason for every rule, runs the self-test and shows the sync report', async () => {
    const page = await openDashboard(context, stack, 'subscriber');
    await page.getByRole('heading', { level: 1, name: 'Абонент' }).waitFor();
    expect(await page.getByRole('link', { name: 'Абонент' }).getAttribute('aria-current')).toBe('page');

    // A debtor, by login: the balance rule fails and says why.
    const box = page.getByLabel('Логин, телефон или номер договора');
    await box.fill('3112');
    await page.getByRole('button', { name: 'Найти' }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.getByTestId('door').getByText('Не может открыть дверь').waitFor();
    expect(await verdict.getByTestId('headline').textContent()).toMatch(/Баланс [−-]450,50\s₽ — меньше нуля/);
    const balance = verdict.locator('li[data-rule="balance"]');
    expect(await balance.getAttribute('data-status')).toBe('fail');
    expect(await balance.textContent()).toContain('не пройдено');
    expect(await verdict.locator('li[data-rule="tariff"]').textContent()).toContain('«Домофония», которая открывает дверь');
    expect(await verdict.locator('li[data-rule]').count()).toBe(8);
    // What core gets, as tables; the password is never on the page.
    await page.getByTestId('contracts').getByText('3112-И').waitFor();
    expect(await page.getByTestId('charges').locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await page.content()).not.toContain('Anna.3112');

    // The healthy subscriber, by a phone written differently from the billing's "+7 (909) 083-34-14".
    await box.fill('89090833414');
    await page.getByRole('button', { name: 'Найти' }).click();
    await verdict.getByTestId('door').getByText('Может открыть дверь').waitFor();
    expect(await verdict.locator('li[data-status="fail"]').count()).toBe(0);
    await page.getByTestId('contracts').getByText('1595-И').waitFor();

    // The self-test calls the API from 127.0.0.1 and passes on the demo billing.
    await page.getByRole('button', { name: 'Запустить самопроверку' }).click();
    const selftest = page.getByTestId('selftest-result');
    await selftest.getByText('Все проверки пройдены').waitFor({ timeout: 15_000 });
    await selftest.getByText('списания: сначала новые').waitFor();

    // The sync report names the subscribers to fix, by id.
    const report = page.getByTestId('sync-report');
    const unparseable = report.locator('tr').filter({ hasText: 'в поле телефона не номер' });
    expect(await unparseable.textContent()).toContain('58208899');
    expect(await report.locator('tr').filter({ hasText: 'нет телефона' }).textContent()).toContain('58208897');

    // The forced block, searched by contract number, with the verdict first on the screenshot.
    await box.fill('4077-и');
    await page.getByRole('button', { name: 'Найти' }).click();
    await verdict.getByTestId('headline').getByText('принудительная блокировка').waitFor();
    await screenshot(page, 'subscriber');

    // The same in English.
    await page.getByRole('button', { name: 'English' }).click();
    await verdict.getByTestId('door').getByText('Cannot open the door').waitFor();
    expect(await verdict.locator('li[data-rule="forced-block"]').textContent()).toContain('forced block');
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.close();
  });

  it('says plainly when nobody matches', async () => {
    const page = await openDashboard(context, stack, 'subscriber');
    await page.getByLabel('Логин, телефон или номер договора').fill('нет-такого');
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.getByTestId('lookup-message').getByText('Нет абонента с таким логином').waitFor();
    expect(await page.getByTestId('verdict').count()).toBe(0);
    await page.close();
  });
});
