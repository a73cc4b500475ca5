// Small pieces: canonical JSON, the database file and its migrations, baselines that were cut
// short or belong to another billing, the fake core's own HTTP surface.
import http from 'node:http';
import path from 'node:path';
import { statSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/state/open.js';
import { schemaVersion, MIGRATIONS } from '../../main/state/migrations.js';
import { startFakeCore } from '../../main/fake-core/index.js';
import { canonicalJson } from '../../main/sync/fingerprint.js';
import { request } from '../helpers/http.js';
import { removeTempDirs, startHarness, TableBilling, tempDir, until, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(removeTempDirs);

describe('canonical JSON', () => {
  it('sorts keys at every level, keeps array order, drops undefined like JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ 'кл"юч': 'знач\n' })).toBe(JSON.stringify({ 'кл"юч': 'знач\n' }));
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
  });
});

describe('the state database', () => {
  it('is created owner-only, in WAL mode with full fsync, at the newest schema', () => {
    const file = path.join(tempDir(), 'state.db');
    const db = openDatabase(file);
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
    // Opening again migrates nothing and keeps the data.
    const again = openDatabase(file);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
  });

  it('applies new migrations in order and refuses a database from a newer version', () => {
    const file = path.join(tempDir(), 'state.db');
    openDatabase(file, { migrations: ['CREATE TABLE a (x)'] }).close();
    const db = openDatabase(file, { migrations: ['CREATE TABLE a (x)', 'CREATE TABLE b (y)'] });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['a', 'b']);
    db.close();
    expect(() => openDatabase(file, { migrations: ['CREATE TABLE a (x)'] })).toThrow('written by a newer Billing Bridge (schema 2; this one knows up to 1)');
  });
});

describe('baselines', () => {
  function table(): TableBilling {
    const b = new TableBilling();
    for (let i = 0; i < 30; i++) b.add(`u${i}`, [`c${i}`]);
    return b;
  }

  it('a baseline cut short (no marker) is done again, silently', async () => {
    const billing = table();
    h = await startHarness({ billing });
    expect((await h.sync.scanNow()).kind).toBe('baseline');
    // What a crash between two baseline pieces leaves: some fingerprints, no marker.
    h.db.prepare("DELETE FROM meta WHERE key = 'baseline'").run();
    h.db.prepare("DELETE FROM fp_user WHERE user_id > 'u2'").run();
    billing.get('u1').contracts[0]!.balance = 5;
    const report = await h.sync.scanNow();
    expect(report).toMatchObject({ kind: 'baseline', callbacks: 0, subscribers: 30 });
    expect((h.db.prepare('SELECT count(*) AS n FROM fp_user').get() as { n: number }).n).toBe(30);
    expect((await h.sync.scanNow())).toMatchObject({ kind: 'scan', callbacks: 0 });
  });

  it('another billing behind the same database starts a new baseline instead of flooding core', async () => {
    const dir = tempDir();
    const first = await startHarness({ dir, billing: table() });
    await first.sync.scanNow();
    await first.close();
    h = await startHarness({ dir }); // the demo billing now
    const report = await h.sync.scanNow();
    expect(report).toMatchObject({ kind: 'baseline', callbacks: 0, subscribers: 9 });
    expect((h.db.prepare('SELECT count(*) AS n FROM fp_user').get() as { n: number }).n).toBe(9);
  });

  it('stopping the agent in the middle of a scan leaves nothing half done', async () => {
    const billing = table();
    h = await startHarness({ billing });
    await h.sync.scanNow();
    const before = JSON.stringify(h.db.prepare('SELECT * FROM fp_user ORDER BY user_id').all());
    for (let i = 0; i < 30; i++) billing.get(`u${i}`).contracts[0]!.balance = 1;
    billing.delayMs = 10;
    const scan = h.sync.scanNow();
    await until(async () => ((await h!.sync.status()).scan.progress ?? 0) >= 10, 5_000, 'the scan to be under way');
    await h.sync.stop();
    await expect(scan).rejects.toThrow('the scan was stopped');
    expect((h.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
    expect(JSON.stringify(h.db.prepare('SELECT * FROM fp_user ORDER BY user_id').all())).toBe(before);
    expect((h.db.prepare('SELECT count(*) AS n FROM temp.scan_user').get() as { n: number }).n).toBe(0);
  });
});

describe('the fake core', () => {
  it('checks Basic auth, validates bodies, lists what arrived, and takes switches over HTTP', async () => {
    const core = await startFakeCore({ login: 'isp', password: 'pw' });
    try {
      const auth = `Basic ${Buffer.from('isp:pw').toString('base64')}`;
      const post = (body: object, headers: Record<string, string> = { Authorization: auth }) =>
        request(core.url, { method: 'POST', path: '/api/v1/mb/callback/contract', body, headers });
      expect((await post({ ext_id: '1' })).status).toBe(200);
      expect((await post({ ext_id: '1' }, {})).status).toBe(401);
      expect((await post({ ext_id: '1', extra: 1 })).status).toBe(400);
      expect((await request(core.url, { method: 'POST', path: '/control', body: { failWith: 503, retryAfter: '7' } })).status).toBe(200);
      const failing = await post({ user_ext_id: '2' });
      expect(failing.status).toBe(503);
      expect(failing.headers['retry-after']).toBe('7');
      const list = await request(core.url, { path: '/received' });
      expect(list.json).toMatchObject([{ kind: 'contract', body: { ext_id: '1' }, status: 200, login: 'isp' }]);
      expect(core.attempts).toHaveLength(4);
      expect(new URL(core.url).hostname).toBe('127.0.0.1');
    } finally {
      await core.close();
    }
  });

  it('does not count a callback whose sender hung up before the answer', async () => {
    const core = await startFakeCore({ delayMs: 300 });
    try {
      const { port } = new URL(core.url);
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/mb/callback/charge', headers: { 'Content-Type': 'application/json' } });
      req.on('error', () => undefined);
      req.end('{"user_ext_id":"1"}');
      await new Promise((r) => setTimeout(r, 100));
      req.destroy();
      await until(() => core.attempts.length === 1, 2_000, 'the attempt');
      expect(core.attempts[0]).toMatchObject({ status: 0, body: { user_ext_id: '1' } });
      expect(core.received).toEqual([]);
    } finally {
      await core.close();
    }
  });
});

describe('settings changed while running', () => {
  it('follows sync.enabled and a newly set core address', async () => {
    h = await startHarness({ settings: (s) => { s.core.baseUrl = ''; } });
    h.sync.start();
    await until(async () => (await h!.sync.status()).baselineAt);
    await h.sync.sendCallback('contract', '12331231', 200);
    h.settings.sync.enabled = false;
    h.sync.settingsChanged();
    expect((await h.sync.status()).delivery.state).toBe('paused');
    h.settings.sync.enabled = true;
    h.settings.core.baseUrl = h.core.url;
    h.sync.settingsChanged();
    await until(() => h!.core.received.length === 1, 3_000, 'the delivery');
  });
});
