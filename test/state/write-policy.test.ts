// The write policy of the state database (state/write.ts): what a refused write becomes, how long
// a write may wait for another program's lock, and how an episode ends by itself.
import { describe, expect, it } from 'vitest';
import { StateWriteError } from '../../main/state/index.js';
import { BACKGROUND_WAIT_MS, classify, createWriter, PROBE_EVERY_MS } from '../../main/state/write.js';
import { episodeCleanup, fill, holdWriteLock, holdWriteLockBriefly, tempDb, unfill } from '../helpers/episodes.js';
import { until } from '../helpers/wait.js';

episodeCleanup();

describe('the write policy', () => {
  it('names SQLite\'s codes for trouble that passes by itself, and nothing else', () => {
    expect(['SQLITE_FULL', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_READONLY_DBMOVED']
      .map((code) => classify({ code }))).toEqual(['full', 'busy', 'busy', 'busy', 'io', 'io', 'readonly']);
    expect(classify({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBeNull();
    expect(classify(new TypeError('x'))).toBeNull();
  });

  it('a full database: a new row fails though an update in place works, the probe says so, and it recovers by itself', async () => {
    const { db, state } = tempDb();
    state.meta.lastDeliveredAt.set(1);
    fill(db);
    // An update in place fits: proof of nothing, which is why the probe asks for a new page.
    state.meta.lastDeliveredAt.set(2);
    expect(state.writeHealth()).toEqual({ ok: true });
    const probed = state.probeWrites();
    expect(probed).toMatchObject({ ok: false, trouble: 'full' });
    expect(!probed.ok && probed.message).toMatch(/^the state database has taken no writes since \d{4}-.*: the disk holding the state database is full/);
    // Writers get an error they can tell apart, answered 503 with plain words.
    const callbacks = Array.from({ length: 200 }, (_, i) => ({ kind: 'contract' as const, path: '/api/callbacks/contract', body: `{"ext_id":"${i}"}` }));
    let err: unknown;
    try {
      state.outbox.enqueueMany(callbacks, 'scan', Date.now());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateWriteError);
    expect(err).toMatchObject({ status: 503, code: 'state_unavailable', trouble: 'full' });
    expect((err as StateWriteError).publicMessage).toMatch(/^The agent cannot save to its state database right now: the disk holding .* is full/);

    unfill(db);
    // Nobody asks: the episode's own probe notices.
    await until(() => state.writeHealth().ok, PROBE_EVERY_MS * 3, 'the recovery');
    expect(state.outbox.enqueueMany(callbacks, 'scan', Date.now())).toBe(200);
  });

  it('a write lock held elsewhere: a request\'s write fails at once, a background one waits a moment, then none waits until it is released', async () => {
    const { file, db } = tempDb();
    const write = createWriter(db);
    const put = (value: string) => () => db.prepare("INSERT INTO meta (key, value) VALUES ('test', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(value);
    const lock = holdWriteLock(file);
    let started = performance.now();
    expect(() => write.run(put('a'), { wait: false })).toThrow(StateWriteError);
    const requestMs = performance.now() - started;
    expect(write.health()).toMatchObject({ ok: false, trouble: 'busy' });
    // In the episode even a background write gives up at once (it would stall the event loop).
    started = performance.now();
    expect(() => write.run(put('b'))).toThrow(StateWriteError);
    const duringMs = performance.now() - started;
    expect(requestMs).toBeLessThan(BACKGROUND_WAIT_MS / 2);
    expect(duringMs).toBeLessThan(BACKGROUND_WAIT_MS / 2);
    lock.release();
    await until(() => write.health().ok, PROBE_EVERY_MS * 3, 'the recovery');

    // Healthy again: a background write waits for a lock before it gives up; a brief one passes.
    const again = holdWriteLock(file);
    started = performance.now();
    expect(() => write.run(put('c'))).toThrow(StateWriteError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(BACKGROUND_WAIT_MS * 0.9);
    again.release();
    await until(() => write.health().ok, PROBE_EVERY_MS * 3, 'the recovery');
    await holdWriteLockBriefly(file, BACKGROUND_WAIT_MS / 4);
    started = performance.now();
    expect(() => write.run(put('d'))).not.toThrow();
    expect(performance.now() - started).toBeGreaterThan(BACKGROUND_WAIT_MS / 8);
    expect(write.health().ok).toBe(true);
    write.close();
  });
});
