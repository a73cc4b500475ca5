// Change detection: the first scan is a baseline, and every kind of change gives exactly the
// callbacks core needs, delivered over real HTTP to the fake core.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { cb, contract, closeAfterEach, TableBilling, until, type Harness } from './harness.js';

const started = closeAfterEach();

/** Scans, then waits until the outbox is empty and returns what core received since `from`. */
async function scanAndDeliver(harness: Harness): Promise<string[]> {
  const before = harness.core.received.length;
  const report = await harness.sync.scanNow();
  expect(report.ok).toBe(true);
  await until(async () => (await harness.sync.status()).outbox.pending === 0, 10_000, 'an empty outbox');
  return harness.core.received.slice(before).map((r) => `${r.kind} ${JSON.stringify(r.body)}`).sort();
}

describe('change detection on the demo billing', () => {
  it('the first scan records a baseline and sends nothing', async () => {
    const harness = await started();
    const status = await harness.sync.status();
    expect(status.scan.last).toMatchObject({ kind: 'baseline', ok: true, subscribers: 9, callbacks: 0 });
    expect(status.outbox.pending).toBe(0);
    expect(await scanAndDeliver(harness)).toEqual([]);
    expect(harness.core.attempts).toEqual([]);
  });

  it('each demo mutation sends exactly the callbacks it should', async () => {
    const harness = await started();
    const demo = harness.billing as DemoBilling;

    demo.pay('12331231', 10_000);
    expect(await scanAndDeliver(harness)).toEqual([cb.contract('12331231')]);

    // A charge changes the balance (contract) and the user's charges.
    demo.charge('12331240', 5_000, 'Замена ключа');
    expect(await scanAndDeliver(harness)).toEqual([cb.charge('58208892'), cb.contract('12331240')]);

    // A new tariff changes the contract and the monthly fee in the charges.
    demo.setTariff('12331250', '52081501');
    expect(await scanAndDeliver(harness)).toEqual([cb.charge('58208893'), cb.contract('12331250')]);

    demo.setForcedBlock('12331260', false);
    expect(await scanAndDeliver(harness)).toEqual([cb.contract('12331260')]);

    // Two contracts of one user changed: one callback each, nothing for the third.
    demo.pay('12331240', 100);
    demo.pay('12331241', 100);
    expect(await scanAndDeliver(harness)).toEqual([cb.contract('12331240'), cb.contract('12331241')]);

    // No change, no callback; the callbacks went with the login and password of core.
    expect(await scanAndDeliver(harness)).toEqual([]);
    expect(harness.core.received.every((r) => r.login === 'isp')).toBe(true);
    const status = await harness.sync.status();
    expect(status.counters.contract.sent).toBe(6);
    expect(status.counters.charge.sent).toBe(2);
    expect(status.scan.last?.changes).toMatchObject({ total: 0 });
  });

  it('keeps only hashes and ids in the database: no names, passwords, phones or addresses', async () => {
    const harness = await started();
    (harness.billing as DemoBilling).charge('12331231', 100, 'Секретная услуга');
    await scanAndDeliver(harness);
    harness.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(path.join(harness.dir, 'state.db')).toString('utf8');
    for (const secret of ['Zh4nna-1595', 'Кузнецова', 'Жанна', '9090833414', 'Ленина', 'Секретная', '1595-И']) {
      expect(bytes).not.toContain(secret);
    }
    expect(bytes).toContain('12331231');
  });
});

describe('change detection of users and contracts', () => {
  function table(): TableBilling {
    const b = new TableBilling();
    b.add('u1', ['c1']);
    b.add('u2', ['c2', 'c3']);
    b.add('u3', ['c4']);
    return b;
  }

  it('a change of the user record → one "all contracts of the user" callback', async () => {
    const billing = table();
    const harness = await started({ billing });
    billing.get('u1').user.phones = [{ number: '9123456789', confirmed: true }];
    billing.get('u2').user.is_blocked = true;
    expect(await scanAndDeliver(harness)).toEqual([cb.user('u1'), cb.user('u2')]);
  });

  it('a contract added to or removed from a user → the user callback (covering its changed contracts)', async () => {
    const billing = table();
    const harness = await started({ billing });
    billing.get('u1').contracts.push(contract('c9'));
    billing.get('u2').contracts = billing.get('u2').contracts.filter((c) => c.ext_id !== 'c3');
    billing.get('u2').contracts[0]!.balance = -500;
    expect(await scanAndDeliver(harness)).toEqual([cb.user('u1'), cb.user('u2')]);
  });

  it('a contract moving to another user → both users are told', async () => {
    const billing = table();
    const harness = await started({ billing });
    const moved = billing.get('u2').contracts.pop()!;
    billing.get('u3').contracts.push(moved);
    expect(await scanAndDeliver(harness)).toEqual([cb.user('u2'), cb.user('u3')]);
    // And the fingerprints followed: nothing more on the next scan; a change of the moved contract is a contract callback.
    expect(await scanAndDeliver(harness)).toEqual([]);
    billing.get('u3').contracts[1]!.balance = 1;
    expect(await scanAndDeliver(harness)).toEqual([cb.contract('c3')]);
  });

  it('a user who vanished → the user callback; a new user → contracts and charges callbacks', async () => {
    const billing = table();
    const harness = await started({ billing });
    billing.subscribers.delete('u3');
    billing.add('u4', ['c10']);
    expect(await scanAndDeliver(harness)).toEqual([cb.charge('u4'), cb.user('u3'), cb.user('u4')]);
    expect(await scanAndDeliver(harness)).toEqual([]);
    const last = (await harness.sync.status()).scan.last;
    expect(last).toMatchObject({ ok: true, changes: { total: 0 } });
  });

  it('changed charges → a charge callback only; charges beyond the newest 13 are not watched', async () => {
    const billing = table();
    const many = Array.from({ length: 20 }, (_, i) => ({ account: 'u1-И', cost: 100 + i, period: '01-26', description: `m${i}` }));
    billing.get('u1').charges = many;
    const harness = await started({ billing });
    billing.get('u1').charges = [{ account: 'u1-И', cost: 50, period: '11-26', description: 'new' }, ...many];
    expect(await scanAndDeliver(harness)).toEqual([cb.charge('u1')]);
    // An old charge (position 15) changing does not reach the newest 13.
    billing.get('u1').charges[15]!.cost = 1;
    expect(await scanAndDeliver(harness)).toEqual([]);
  });

  it('key order of the billing\'s objects does not matter, array order does', async () => {
    const billing = table();
    const harness = await started({ billing });
    const u = billing.get('u1').user;
    billing.get('u1').user = { phones: u.phones, full_name: u.full_name, is_blocked: u.is_blocked, password: u.password, login: u.login, ext_user_id: u.ext_user_id };
    expect(await scanAndDeliver(harness)).toEqual([]);
  });
});

describe('a scan that fails half way', () => {
  it('changes no fingerprint, sends nothing, is reported, and is retried sooner than the interval', async () => {
    const billing = new TableBilling();
    for (let i = 0; i < 50; i++) billing.add(`u${i}`, [`c${i}`]);
    const harness = await started({ billing });
    const dump = () => JSON.stringify([
      harness.db.prepare('SELECT * FROM fp_user ORDER BY user_id').all(),
      harness.db.prepare('SELECT * FROM fp_contract ORDER BY ext_id').all(),
    ]);
    const before = dump();
    billing.get('u1').contracts[0]!.balance = 1;
    billing.get('u40').contracts[0]!.balance = 1;
    billing.failAfter = 30;

    const report = await harness.sync.scanNow();
    expect(report.ok).toBe(false);
    expect(report.subscribers).toBe(30);
    expect(report.error).toContain('the billing could not be read (table billing: connection lost)');
    expect(report.error).toContain('nothing was changed or sent');
    expect(dump()).toBe(before);
    const status = await harness.sync.status();
    expect(status.outbox.pending).toBe(0);
    expect(status.scan.consecutiveFailures).toBe(1);
    expect(status.problems.join('\n')).toContain('the last scan failed');
    // Retried in 5 s, not in 60.
    const retryIn = Date.parse(status.scan.nextAt!) - harness.clock.now();
    expect(retryIn).toBeGreaterThan(0);
    expect(retryIn).toBeLessThanOrEqual(5_000);
    expect(harness.core.attempts).toEqual([]);

    billing.failAfter = null;
    expect(await scanAndDeliver(harness)).toEqual([cb.contract('c1'), cb.contract('c40')]);
    expect((await harness.sync.status()).scan.consecutiveFailures).toBe(0);
  });
});

describe('re-send everything', () => {
  it('queues a contract and a charge callback for every user and delivers them', async () => {
    const billing = new TableBilling();
    for (let i = 0; i < 5; i++) billing.add(`u${i}`, [`c${i}`]);
    const harness = await started({ billing });
    const report = await harness.sync.resendAll();
    expect(report).toMatchObject({ kind: 'resend-all', ok: true, subscribers: 5, callbacks: 10 });
    await until(async () => (await harness.sync.status()).outbox.pending === 0);
    expect(harness.received()).toEqual([0, 1, 2, 3, 4].flatMap((i) => [cb.charge(`u${i}`), cb.user(`u${i}`)]).sort());
  });
});
