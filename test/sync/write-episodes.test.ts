// Sync while the state database takes no writes: a scan whose commit is refused, a delivery whose
// result cannot be written, a manual callback the outbox cannot take.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoBilling } from '../../main/billing/demo/index.js';
import { PROBE_EVERY_MS } from '../../main/state/write.js';
import { episodeCleanup, holdWriteLock } from '../helpers/episodes.js';
import { cb, closeAfterEach, sleep, until, type Harness } from './harness.js';

episodeCleanup();

describe('sync while the database takes no writes', () => {
  const started = closeAfterEach();

  it('a scan whose commit is refused changes nothing and says why; the next one after recovery sends the change once', async () => {
    const h: Harness = await started();
    const lock = holdWriteLock(path.join(h.dir, 'state.db'));
    (h.billing as DemoBilling).pay('12331231', 100);
    const report = await h.sync.scanNow();
    expect(report).toMatchObject({ ok: false });
    expect(report.error).toMatch(/^the state database did not take the scan's changes \(another program holds a write lock .*\); nothing was changed or sent$/);
    const status = await h.sync.status();
    expect(status.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^the state database has taken no writes since .*another program holds a write lock/)]));
    expect(h.core.received).toEqual([]);

    lock.release();
    await until(() => h.state.writeHealth().ok, PROBE_EVERY_MS * 3, 'the recovery');
    expect((await h.sync.status()).problems.some((p) => p.startsWith('the state database'))).toBe(false);
    expect(await h.sync.scanNow()).toMatchObject({ ok: true, callbacks: 1 });
    await until(() => h.core.received.length === 1, 5_000, 'the callback');
    expect(h.received()).toEqual([cb.contract('12331231')]);
  });

  it('core accepted a callback but its result cannot be written: it is not sent again, and is written once the database takes it', async () => {
    let lock: { release(): void } | null = null;
    let dir = '';
    const h: Harness = await started({
      core: { onCallback: () => (lock ??= holdWriteLock(path.join(dir, 'state.db'))) },
    });
    dir = h.dir;
    const demo = h.billing as DemoBilling;
    demo.pay('12331231', 100);
    expect(await h.sync.scanNow()).toMatchObject({ ok: true, callbacks: 1 });
    await until(() => h.state.writeHealth().ok === false, 5_000, 'the refused result');
    // Another change cannot be queued (the scan's commit is refused too); the accepted one is not sent again.
    demo.pay('12331240', 100);
    expect((await h.sync.scanNow()).ok).toBe(false);
    await sleep(500);
    expect(h.core.attempts).toHaveLength(1);
    expect(h.state.outbox.stats(h.clock.now()).pending).toBe(1);

    lock!.release();
    await until(() => h.state.outbox.stats(h.clock.now()).pending === 0, 10_000, 'the written result');
    expect(h.state.outbox.counters()).toEqual([{ kind: 'contract', sent: 1, failed: 0, dead: 0 }]);
    expect(await h.sync.scanNow()).toMatchObject({ ok: true, callbacks: 1 });
    await until(() => h.core.received.length === 2, 5_000, 'the second change');
    expect(h.received()).toEqual([cb.contract('12331231'), cb.contract('12331240')].sort());
  });

  it('a manual callback the outbox cannot take is refused with 503 in plain words, not queued half-way', async () => {
    const h: Harness = await started();
    const lock = holdWriteLock(path.join(h.dir, 'state.db'));
    await expect(h.sync.sendCallback('contract', '12331231', 1_000)).rejects.toMatchObject({ status: 503, code: 'state_unavailable' });
    lock.release();
    await until(() => h.state.writeHealth().ok, PROBE_EVERY_MS * 3, 'the recovery');
    expect(await h.sync.sendCallback('contract', '12331231', 5_000)).toMatchObject({ outcome: 'delivered' });
  });
});
