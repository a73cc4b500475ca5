// The outbox and its delivery to a real fake core: outages, coalescing, Retry-After, refusals,
// the retry horizon, dead letters, pause/resume, and manual callbacks.
import { describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { backoffDelay, parseRetryAfter } from '../../main/sync/backoff.js';
import { contractCallback } from '../../main/sync/targets.js';
import { cb, closeAfterEach, until, sleep, type Harness } from './harness.js';

const started = closeAfterEach();

const pending = async (harness: Harness) => (await harness.sync.status()).outbox.pending;

describe('backoff and Retry-After', () => {
  it('grows exponentially with jitter between half and the whole step, capped', () => {
    const opts = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(1, () => 0, opts)).toBe(500);
    expect(backoffDelay(1, () => 0.999999, opts)).toBe(1000);
    expect(backoffDelay(4, () => 0.5, opts)).toBe(6000);
    expect(backoffDelay(30, () => 1, opts)).toBe(60_000);
  });

  it('reads seconds and HTTP dates, ignores nonsense, caps at an hour', () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('999999', now)).toBe(3_600_000);
  });
});

describe('delivery', () => {
  it('core down for a while: nothing is lost, duplicates are folded, all arrive once it is back', async () => {
    const harness = await started({ core: { failWith: 503 } });
    const demo = harness.billing as DemoBilling;
    demo.pay('12331231', 100);
    demo.charge('12331240', 100, 'x');
    await harness.sync.scanNow();
    // The same targets change again while core is down: still one row each.
    demo.pay('12331231', 100);
    demo.pay('12331240', 100);
    await harness.sync.scanNow();
    await harness.sync.scanNow();
    await until(() => harness.core.attempts.length >= 2, 5_000, 'failed attempts');
    let status = await harness.sync.status();
    expect(status.outbox.pending).toBe(3);
    expect(status.delivery.state).toBe('retrying');
    expect(status.delivery.lastError).toMatchObject({ httpStatus: 503, reason: 'core is temporarily unavailable (HTTP 503)' });
    expect(harness.core.received).toEqual([]);

    harness.core.set({ failWith: null });
    // The injected clock stands still: move it past the backoff.
    for (let i = 0; i < 50 && (await pending(harness)) > 0; i++) {
      harness.clock.advance(1_000);
      harness.sync.kickDeliveries();
      await sleep(20);
    }
    expect(harness.received()).toEqual([cb.charge('58208892'), cb.contract('12331231'), cb.contract('12331240')]);
    status = await harness.sync.status();
    expect(status.outbox.pending).toBe(0);
    expect(status.counters.contract.failed + status.counters.charge.failed).toBeGreaterThanOrEqual(2);
    expect(status.delivery.state).toBe('idle');
  });

  it('while core is failing, the queue waits behind one probe instead of hammering core', async () => {
    const harness = await started({ core: { failWith: 500 } });
    await harness.sync.resendAll(); // 18 callbacks
    await until(() => harness.core.attempts.length >= 1);
    await sleep(300);
    // At most the first burst (concurrency) failed; then it waits for the (frozen) clock.
    expect(harness.core.attempts.length).toBeLessThanOrEqual(8);
    expect(await pending(harness)).toBe(18);
  });

  it('a callback that changes again while it is in flight is sent again afterwards', async () => {
    const harness = await started({ core: { delayMs: 400 } });
    (harness.billing as DemoBilling).pay('12331231', 100);
    await harness.sync.scanNow();
    await until(() => harness.core.attempts.length === 0 && harness.sync.status().then((s) => s.delivery.inFlight === 1));
    (harness.billing as DemoBilling).pay('12331231', 100);
    await harness.sync.scanNow();
    await until(() => harness.core.received.length === 2, 5_000, 'the second delivery');
    expect(harness.received()).toEqual([cb.contract('12331231'), cb.contract('12331231')]);
  });

  it('honours Retry-After on 429 (injected clock)', async () => {
    const harness = await started({ core: { failWith: 429, failTimes: 1, retryAfter: '120' } });
    const result = await harness.sync.sendCallback('contract', '12331231', 3_000);
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 429, deadLettered: false });
    expect(result.message).toContain('queued for retry');
    expect(Date.parse(result.nextAttemptAt!) - harness.clock.now()).toBe(120_000);
    const status = await harness.sync.status();
    expect(Date.parse(status.delivery.retryAt!) - harness.clock.now()).toBe(120_000);

    harness.clock.advance(119_000);
    harness.sync.kickDeliveries();
    await sleep(150);
    expect(harness.core.attempts).toHaveLength(1);

    harness.clock.advance(1_000);
    harness.sync.kickDeliveries();
    await until(() => harness.core.received.length === 1, 3_000, 'the retry');
    expect(harness.received()).toEqual([cb.contract('12331231')]);
  });

  it('honours Retry-After as an HTTP date on 503 (real time)', async () => {
    const harness = await started({ service: { clock: { now: () => Date.now() } }, core: { failWith: 503, failTimes: 1 } });
    // A whole second at least 2 s ahead: toUTCString() drops milliseconds, which would otherwise
    // take up to a second off the wait at random.
    harness.core.set({ retryAfter: new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000).toUTCString() });
    const t0 = Date.now();
    const first = await harness.sync.sendCallback('charge', '58208891', 3_000);
    expect(first).toMatchObject({ outcome: 'failed', httpStatus: 503 });
    await until(() => harness.core.received.length === 1, 5_000, 'the retry');
    const waited = Date.parse(harness.core.received[0]!.at) - Date.parse(harness.core.attempts[0]!.at);
    // HTTP dates have whole seconds: at least ~1 s, and it did wait.
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('401 is a configuration problem: dead-lettered at once with a reason, shown in status; re-sent once fixed', async () => {
    const harness = await started({ core: { login: 'isp', password: 'the-right-one' } });
    const result = await harness.sync.sendCallback('user', '58208891', 3_000);
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: 401, deadLettered: true });
    expect(result.reason).toBe('core refused with HTTP 401: check core.login and the core password');
    const status = await harness.sync.status();
    expect(status.outbox).toMatchObject({ pending: 0, deadLetters: 1 });
    expect(status.delivery.configProblem).toBe('core refused with HTTP 401: check core.login and the core password');
    expect(status.delivery.state).toBe('refused');
    expect(status.problems).toContain('core refused with HTTP 401: check core.login and the core password');
    const dead = harness.sync.deadLetters(10);
    expect(dead.total).toBe(1);
    expect(dead.items[0]).toMatchObject({ kind: 'contract', target: 'all contracts of user 58208891', body: { user_ext_id: '58208891' }, lastHttpStatus: 401 });

    // The admin fixes the password; re-sending the dead letter delivers it.
    harness.core.set({ password: 'core-secret' });
    const resent = harness.sync.resendDead([dead.items[0]!.id]);
    expect(resent.requeued).toBe(1);
    await until(() => harness.core.received.length === 1, 3_000, 'the re-sent callback');
    expect(harness.received()).toEqual([cb.user('58208891')]);
    await until(async () => (await harness.sync.status()).outbox.pending === 0, 3_000, 'the delivery to be recorded');
    expect((await harness.sync.status()).outbox).toMatchObject({ pending: 0, deadLetters: 0 });
    expect((await harness.sync.status()).delivery.configProblem).toBeNull();
  });

  it('404 points at core.baseUrl; a 400 is refused for that callback only', async () => {
    const harness = await started();
    harness.core.set({ failWith: 400, failTimes: 1 });
    const bad = await harness.sync.sendCallback('contract', '1', 3_000);
    expect(bad).toMatchObject({ outcome: 'failed', httpStatus: 400, deadLettered: true });
    expect((await harness.sync.status()).delivery.configProblem).toBeNull();
    harness.settings.core.baseUrl = `${harness.core.url}/wrong-prefix`;
    const missing = await harness.sync.sendCallback('contract', '2', 3_000);
    expect(missing.reason).toContain('core answered HTTP 404 for /api/v1/mb/callback/contract: check core.baseUrl');
  });

  it('after the retry horizon a callback goes to the dead letters, and can be re-sent', async () => {
    const harness = await started({ core: { failWith: 503 } });
    (harness.billing as DemoBilling).pay('12331231', 100);
    await harness.sync.scanNow();
    await until(() => harness.core.attempts.length >= 1);
    expect(harness.sync.deadLetters(10).total).toBe(0);

    harness.clock.advance(72 * 3_600_000 + 1_000);
    harness.sync.kickDeliveries();
    await until(() => harness.sync.deadLetters(10).total === 1, 3_000, 'the dead letter');
    const dead = harness.sync.deadLetters(10).items[0]!;
    expect(dead.reason).toBe('core did not accept it within 72 hours (last error: core is temporarily unavailable (HTTP 503))');
    expect(dead.target).toBe('contract 12331231');
    const status = await harness.sync.status();
    expect(status.outbox).toMatchObject({ pending: 0, deadLetters: 1 });
    expect(status.counters.contract.deadLettered).toBe(1);
    expect(status.problems.join('\n')).toContain('1 callback could not be delivered');

    harness.core.set({ failWith: null });
    expect(harness.sync.resendDead('all')).toMatchObject({ requeued: 1 });
    await until(() => harness.core.received.length === 1, 3_000, 'the re-sent callback');
    expect(harness.received()).toEqual([cb.contract('12331231')]);
    expect(harness.sync.deadLetters(10).total).toBe(0);
  });

  it('a core that does not answer in time is a failure to retry (total timeout)', async () => {
    const harness = await started({ core: { delayMs: 1_500 }, settings: (s) => { s.core.timeoutMs = 500; } });
    const result = await harness.sync.sendCallback('contract', '12331231', 3_000);
    expect(result).toMatchObject({ outcome: 'failed', httpStatus: null, deadLettered: false, reason: 'core did not answer within 500 ms' });
    expect(result.message).toContain('queued for retry');
  });

  it('a core that refuses connections is a failure to retry, with a plain reason', async () => {
    const harness = await started();
    const url = harness.core.url;
    await harness.core.close();
    const result = await harness.sync.sendCallback('contract', '12331231', 3_000);
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe(`core refused the connection: nothing listens at ${new URL(url).host}`);
    expect((await harness.sync.status()).outbox.pending).toBe(1);
  });

  it('core not configured: deliveries wait, status says so, nothing is lost', async () => {
    const harness = await started({ settings: (s) => { s.core.baseUrl = ''; } });
    (harness.billing as DemoBilling).pay('12331231', 100);
    await harness.sync.scanNow();
    const manual = await harness.sync.sendCallback('charge', '58208891', 1_000);
    expect(manual.outcome).toBe('queued');
    expect(manual.message).toContain('core is not configured');
    const status = await harness.sync.status();
    expect(status.delivery.state).toBe('not-configured');
    expect(status.delivery.message).toContain('core is not configured');
    expect(status.outbox.pending).toBe(2);
    expect(status.problems.join('\n')).toContain('core is not configured');

    harness.settings.core.baseUrl = harness.core.url;
    harness.sync.kickDeliveries();
    await until(() => harness.core.received.length === 2, 3_000);
    expect(harness.received()).toEqual([cb.charge('58208891'), cb.contract('12331231')]);
  });

  it('keeps a short delivery history with ids only', async () => {
    const harness = await started();
    await harness.sync.sendCallback('contract', '12331231', 3_000);
    const history = harness.sync.recentDeliveries(10);
    expect(history[0]).toMatchObject({ ok: true, httpStatus: 200, target: 'contract 12331231', kind: 'contract', attempt: 1 });
    const many = Array.from({ length: 230 }, (_, i) => String(i + 1));
    harness.state.outbox.enqueueMany(many.map((id) => contractCallback(id)), 'scan', harness.clock.now());
    harness.sync.kickDeliveries();
    await until(async () => (await pending(harness)) === 0, 10_000);
    const count = harness.db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number };
    expect(count.n).toBeLessThanOrEqual(200);
    expect(harness.sync.recentDeliveries(500)).toHaveLength(200);
  });
});

describe('pause and resume', () => {
  it('paused: no scans, no deliveries, the queue is kept; resume scans at once and delivers', async () => {
    const harness = await started({ core: { delayMs: 0 } });
    const demo = harness.billing as DemoBilling;
    harness.sync.pause();
    expect(harness.settings.sync.enabled).toBe(false);
    demo.pay('12331231', 100);
    await expect(harness.sync.scanNow()).rejects.toThrow('sync is paused, so it cannot scan');
    await expect(harness.sync.resendAll()).rejects.toThrow('sync is paused');
    const manual = await harness.sync.sendCallback('charge', '58208891', 500);
    expect(manual.outcome).toBe('queued');
    expect(manual.message).toContain('sync is paused');
    await sleep(200);
    expect(harness.core.attempts).toEqual([]);
    const status = await harness.sync.status();
    expect(status).toMatchObject({ enabled: false, delivery: { state: 'paused' }, outbox: { pending: 1 }, scan: { nextAt: null } });

    harness.sync.resume();
    expect(harness.settings.sync.enabled).toBe(true);
    await until(() => harness.core.received.length === 2, 5_000, 'deliveries after resume');
    expect(harness.received()).toEqual([cb.charge('58208891'), cb.contract('12331231')]);
  });
});
