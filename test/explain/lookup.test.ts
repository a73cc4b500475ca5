// Finding a subscriber: by login, by a phone written any way, by contract number, by ids; before
// the first scan; several matches; and the index's promises — keyed hashes only, a per-install
// key made once (0600), kept in step by each scan, unchanged by a failed one, rebuilt when needed.
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { LOOKUP_KEY_FILE } from '../../main/explain/lookup-key.js';
import { TableBilling } from '../sync/harness.js';
import { startExplainHarness, type ExplainHarness } from './harness.js';

let h: ExplainHarness;
const extra: ExplainHarness[] = [];

beforeAll(async () => {
  h = await startExplainHarness();
});

afterEach(async () => {
  for (const x of extra.splice(0)) await x.close();
});

afterAll(async () => {
  await h?.close();
});

async function own(options: Parameters<typeof startExplainHarness>[0]): Promise<ExplainHarness> {
  const x = await startExplainHarness(options);
  extra.push(x);
  return x;
}

const found = async (harness: ExplainHarness, query: string) => {
  const r = await harness.explain.lookup(query);
  return { state: r.state, users: r.matches.map((m) => m.userId), by: r.matches.flatMap((m) => m.by) };
};

describe('before the first scan', () => {
  it('says plainly that the lookup is not ready yet', async () => {
    const r = await h.explain.lookup('1595');
    expect(r).toMatchObject({ state: 'not-ready', indexedAt: null, explanation: null });
    expect(r.message).toMatch(/first scan of the billing has not finished yet/);
  });
});

describe('lookup by each key', () => {
  beforeAll(async () => {
    await h.scan();
  });

  it.each([
    ['login', '1595', '58208891'],
    ['login with spaces around', '  8420 ', '58208898'],
    ['phone as in the billing', '+7 (909) 083-34-14', '58208891'],
    ['phone with the 8 trunk prefix', '89090833414', '58208891'],
    ['phone, national digits', '9090833414', '58208891'],
    ['phone with spaces and dashes', '8 909 083-34-14', '58208891'],
    ['the second phone of a field with two', '+7 351 222 33 44', '58208893'],
    ['contract number', '1595-И', '58208891'],
    ['contract number, small letter and no dash', '1595 и', '58208891'],
    ['contract number typed with a Latin C', '2048-C', '58208892'],
    ['user id', '58208894', '58208894'],
    ['contract id', '12331300', '58208898'],
  ])('%s: %j', async (_what, query, userId) => {
    const r = await h.explain.lookup(query);
    expect(r.state).toBe('found');
    expect(r.explanation!.userId).toBe(userId);
  });

  it('names what matched and the contract a contract number points to', async () => {
    const r = await h.explain.lookup('2048-Д');
    expect(r.matches).toEqual([{ userId: '58208892', by: ['account'], contracts: ['12331241'] }]);
    expect((await h.explain.lookup('89090833414')).matches[0]!.by).toEqual(['phone']);
  });

  it('finds nobody for what is not there', async () => {
    const r = await h.explain.lookup('9999999999');
    expect(r.state).toBe('none');
    expect(r.indexedAt).not.toBeNull();
    expect(r.message).toMatch(/No subscriber has this login, phone or contract number/);
  });

  it('shows a user asked for by id when several match', async () => {
    const r = await h.explain.lookup('anything', '58208895');
    expect(r).toMatchObject({ state: 'found', matches: [{ userId: '58208895', by: ['user-id'] }] });
    expect(r.explanation!.core.user.login).toBe('5230');
    expect((await h.explain.lookup('anything', '12345')).state).toBe('none');
  });

  it('finds phones whichever format core is served', async () => {
    // A billing serving 79090833414 (phones.format "international").
    const intl = await own({ billing: new DemoBilling({ phone: { format: 'international', defaultCountry: 'RU' } }), settings: (s) => { s.phones.format = 'international'; } });
    await intl.scan();
    expect((await found(intl, '8 (909) 083-34-14')).users).toEqual(['58208891']);
    expect((await found(intl, '9090833414')).users).toEqual(['58208891']);
  });
});

describe('several subscribers', () => {
  it('a shared phone and a shared login list every match instead of guessing', async () => {
    const billing = new TableBilling();
    billing.add('u1', ['c1'], { login: 'Shared', phones: [{ number: '9121234567', confirmed: false }] });
    billing.add('u2', ['c2'], { login: 'shared', phones: [{ number: '9121234567', confirmed: false }] });
    const x = await own({ billing });
    await x.scan();
    const r = await x.explain.lookup('8 912 123-45-67');
    expect(r.state).toBe('several');
    expect(r.matches.map((m) => m.userId).sort()).toEqual(['u1', 'u2']);
    expect((await found(x, 'SHARED')).users.sort()).toEqual(['u1', 'u2']);
  });
});

describe('the index', () => {
  it('holds keyed hashes only: no login, phone or contract number in clear', async () => {
    await h.scan();
    const rows = h.db.prepare('SELECT * FROM lookup_index').all() as Array<Record<string, string>>;
    const owners = h.db.prepare('SELECT * FROM lookup_owner').all() as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(25);
    expect(owners.length).toBe(rows.length);
    const text = JSON.stringify([rows, owners]);
    for (const secret of ['1595', '9090833414', '79090833414', '1595-И', '1595и', 'Кузнецова']) expect(text).not.toContain(`"${secret}"`);
    for (const r of rows) expect(r.key).toMatch(/^[\w-]{22}$/);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['login', 'phone', 'account']));
  });

  it('uses a per-install key made once, owner-only; another key makes other hashes', async () => {
    const file = path.join(h.dir, LOOKUP_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8');
    const other = await own({});
    await other.scan();
    expect(readFileSync(path.join(other.dir, LOOKUP_KEY_FILE), 'utf8')).not.toBe(key);
    const keysOf = (x: ExplainHarness) => new Set((x.db.prepare("SELECT key FROM lookup_index WHERE kind = 'login'").all() as Array<{ key: string }>).map((r) => r.key));
    const mine = keysOf(h);
    for (const k of keysOf(other)) expect(mine.has(k)).toBe(false);
  });

  it('a restart keeps the key and the index; a lost key means a rebuild by the next scan', async () => {
    const billing = new TableBilling();
    billing.add('u1', ['c1'], { login: 'anna' });
    const first = await own({ billing });
    await first.scan();
    const dir = first.dir;
    const key = readFileSync(path.join(dir, LOOKUP_KEY_FILE), 'utf8');
    await first.sync.stop();
    first.db.close();

    const again = await startExplainHarness({ billing, dir });
    try {
      expect(readFileSync(path.join(dir, LOOKUP_KEY_FILE), 'utf8')).toBe(key);
      expect((await found(again, 'anna')).users).toEqual(['u1']);
    } finally {
      await again.sync.stop();
      again.db.close();
    }

    rmSync(path.join(dir, LOOKUP_KEY_FILE));
    const rekeyed = await startExplainHarness({ billing, dir });
    try {
      expect((await rekeyed.explain.lookup('anna')).state).toBe('rebuilding');
      await rekeyed.scan();
      expect((await found(rekeyed, 'anna')).users).toEqual(['u1']);
    } finally {
      await rekeyed.sync.stop();
      rekeyed.db.close();
    }
  });

  it('follows the billing: a changed login, a new phone, a removed subscriber', async () => {
    const billing = new TableBilling();
    billing.add('u1', ['c1'], { login: 'anna', phones: [{ number: '9120000001', confirmed: false }] });
    billing.add('u2', ['c2'], { login: 'boris' });
    const x = await own({ billing });
    await x.scan();
    expect((await found(x, 'anna')).users).toEqual(['u1']);

    billing.get('u1').user.login = 'anna.k';
    billing.get('u1').user.phones.push({ number: '9120000002', confirmed: false });
    billing.subscribers.delete('u2');
    await x.scan();
    expect((await found(x, 'anna')).state).toBe('none');
    expect((await found(x, 'Anna.K')).users).toEqual(['u1']);
    expect((await found(x, '89120000002')).users).toEqual(['u1']);
    expect((await found(x, '89120000001')).users).toEqual(['u1']);
    expect((await found(x, 'boris')).state).toBe('none');
    const owners = x.db.prepare("SELECT count(*) AS n FROM lookup_owner WHERE user_id = 'u2'").get() as { n: number };
    expect(owners.n).toBe(0);
  });

  it('a failed scan changes neither the index nor the report', async () => {
    const billing = new TableBilling();
    for (let i = 0; i < 20; i++) billing.add(`u${i}`, [`c${i}`], { login: `l${i}` });
    const x = await own({ billing });
    await x.scan();
    const snapshot = () => JSON.stringify([
      x.db.prepare('SELECT * FROM lookup_index ORDER BY 1, 2, 3, 4').all(),
      x.db.prepare('SELECT * FROM lookup_owner ORDER BY 1, 2, 3, 4').all(),
      x.db.prepare('SELECT * FROM scan_summary').all(),
      x.db.prepare("SELECT value FROM meta WHERE key = 'lookup_index'").get(),
    ]);
    const before = snapshot();
    billing.get('u3').user.login = 'renamed';
    billing.add('u99', ['c99'], { login: 'newcomer' });
    billing.failAfter = 10;
    expect((await x.sync.scanNow()).ok).toBe(false);
    expect(snapshot()).toBe(before);
    expect((await found(x, 'l3')).users).toEqual(['u3']);
    billing.failAfter = null;
    await x.scan();
    expect((await found(x, 'renamed')).users).toEqual(['u3']);
    expect((await found(x, 'newcomer')).users).toEqual(['u99']);
  });

  it('a rebuild of thousands of subscribers, copied in pieces, finds every one', async () => {
    const x = await own({ billing: new DemoBilling({ synthetic: 4_000 }) });
    await x.scan();
    const count = (table: string) => (x.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('lookup_owner')).toBe(count('lookup_index'));
    expect(count('lookup_index')).toBeGreaterThan(10_000);
    for (const n of [1, 1234, 2500, 4000]) expect((await found(x, `s${n}`)).users).toEqual([String(70_000_000 + n)]);
    expect((await found(x, `${4000}-И`)).users).toEqual(['70004000']);
  });

  it('a change too large for one commit marks the index stale; the next scan rebuilds it', async () => {
    const billing = new TableBilling();
    for (let i = 0; i < 30; i++) billing.add(`u${i}`, [`c${i}`], { login: `l${i}` });
    const x = await own({ billing, inlineRows: 20 });
    await x.scan();
    for (let i = 0; i < 30; i++) billing.get(`u${i}`).user.login = `m${i}`;
    await x.scan();
    const stale = await x.explain.lookup('m5');
    expect(stale.state).toBe('rebuilding');
    expect(stale.message).toMatch(/^The lookup index is being rebuilt/);
    expect((await found(x, 'u5')).users).toEqual(['u5']);
    await x.scan();
    expect((await found(x, 'm5')).users).toEqual(['u5']);
    expect((await found(x, 'l5')).state).toBe('none');
  });
});
