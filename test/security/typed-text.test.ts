// Nothing a subscriber typed is stored as typed. Failed logins are keyed by a keyed hash of the
// login, deleted rows are overwritten (secure_delete), and a database from before that has its
// clear-text rows dropped and is rewritten. The test reads the files' bytes: the database, its
// WAL and its shared memory, before and after a checkpoint.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../main/agent.js';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { USERS } from '../../main/billing/demo/fixtures.js';
import { startFakeCore } from '../../main/fake-core/index.js';
import { createLoginKeys } from '../../main/security/login-keys.js';
import { PasswordGuard } from '../../main/security/password-guard.js';
import { createState } from '../../main/state/index.js';
import { MIGRATIONS, schemaVersion } from '../../main/state/migrations.js';
import { openDatabase } from '../../main/state/open.js';
import { request } from '../helpers/http.js';
import { until } from '../helpers/wait.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-typed-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Which of `strings` the database file, its WAL or its shared memory holds, as bytes (UTF-8 and UTF-16). */
function foundIn(file: string, strings: string[]): string[] {
  const bytes = [file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f));
  return strings.filter((s) => bytes.some((b) => b.includes(Buffer.from(s, 'utf8')) || b.includes(Buffer.from(s, 'utf16le'))));
}

function checkpoint(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(PASSIVE)');
  db.close();
}

/** Passwords and secrets typed into the login field, each unique to this run. */
const typedAsLogins = () => {
  const tag = Math.random().toString(36).slice(2, 10);
  return [`Zh4nna-1595-${tag}`, `пароль-Секрет-${tag}`, `hunter2+${tag}@example.net`, `${tag}-Anna.3112`];
};

const GUARD = { maxFailures: 3, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 1000 };
const MIN = 60_000;

describe('failed logins in the lockout table', () => {
  it('are kept under keyed hashes: no typed string in the files, whether locked, expired and deleted, or checkpointed', () => {
    const file = path.join(tempDir(), 'state.db');
    let now = Date.parse('2026-11-23T10:00:00Z');
    const db = openDatabase(file);
    const keys = createLoginKeys(Buffer.alloc(32, 5));
    const guard = new PasswordGuard(createState(db).lockouts, () => GUARD, { now: () => now, keys });
    const [expiring, ...locking] = typedAsLogins();
    // One typed before its lockout expired and its row was deleted, the others still locked.
    for (let i = 0; i < 3; i++) {
      guard.before(expiring!);
      guard.after(expiring!, 'invalid');
    }
    guard.flush();
    now += 31 * MIN;
    guard.flush();
    for (const login of locking) {
      for (let i = 0; i < 3; i++) {
        guard.before(login);
        guard.after(login, 'invalid');
      }
      expect(guard.before(login)).toMatchObject({ go: false, reason: 'locked' });
    }
    guard.flush();
    const rows = db.prepare('SELECT key, user_id FROM auth_lockout ORDER BY key').all();
    expect(rows).toEqual(locking.map((l) => ({ key: keys.keyOf(l), user_id: null })).sort((a, b) => a.key.localeCompare(b.key)));
    expect(foundIn(file, [expiring!, ...locking])).toEqual([]);
    guard.close();
    db.close();
    checkpoint(file);
    expect(foundIn(file, [expiring!, ...locking])).toEqual([]);
  });

  it('a database from before: its clear-text rows are dropped and no freed page or journal frame keeps them', () => {
    const file = path.join(tempDir(), 'state.db');
    const typed = typedAsLogins();
    // Schema 3, as the previous version wrote it: logins as typed, some deleted since.
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 3) });
    old.pragma('secure_delete = OFF');
    const insert = old.prepare('INSERT INTO auth_lockout (login, failures, window_start, locked_until, blocked) VALUES (?, 5, 1, 2, 0)');
    // A guessing spree over many pages, expired and deleted since: its pages were freed as they were.
    const spree = Array.from({ length: 3000 }, (_, i) => `${typed[3]}-${i}`);
    for (const login of spree) insert.run(login);
    old.prepare('DELETE FROM auth_lockout').run();
    old.pragma('wal_checkpoint(PASSIVE)');
    // Other tables took some of the freed pages since.
    const enqueue = old.prepare("INSERT INTO outbox (kind, path, body, origin, created_at, next_at) VALUES ('contract', '/api/callbacks/contract', ?, 'scan', 1, 1)");
    for (let i = 0; i < 50; i++) enqueue.run(`{"ext_id":"${i}"}`);
    for (const login of typed) insert.run(login);
    old.prepare('DELETE FROM auth_lockout WHERE login = ?').run(typed[0]!);
    old.pragma('wal_checkpoint(PASSIVE)');
    old.prepare('DELETE FROM auth_lockout WHERE login = ?').run(typed[1]!);
    old.close();
    // The test can fail: the old files do hold them, the deleted ones included.
    expect(foundIn(file, [...typed, spree[0]!, spree[2999]!])).toEqual([...typed, spree[0]!, spree[2999]!]);

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT count(*) AS n FROM auth_lockout').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'scrub_pending'").get()).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 50 });
    expect(foundIn(file, [...typed, ...spree])).toEqual([]);
    db.close();
    checkpoint(file);
    expect(foundIn(file, [...typed, ...spree])).toEqual([]);
  });
});

describe('a running agent', () => {
  it('keeps ids and hashes only in every table: no login, password, name or phone of a subscriber, nothing typed', async () => {
    const core = await startFakeCore();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
      version: 1, server: { host: '127.0.0.1' }, secrets: { backend: 'file' }, core: { baseUrl: core.url, login: 'isp' },
      security: { lockoutFailures: 3 },
    }));
    const billing = new DemoBilling();
    const agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: { BILLING_BRIDGE_CORE_PASSWORD: 'core-secret' }, billing });
    const typed = typedAsLogins();
    try {
      await until(async () => (await agent.handlers['sync.status']({})).baselineAt, 15_000, 'the baseline');
      const auth = (login: string, pswd: string) => request(agent.api.url, { method: 'POST', path: '/api/auth', body: { login, pswd } });
      // Passwords typed as logins, a real login locked by wrong passwords, and a success.
      for (const login of typed) for (let i = 0; i < 3; i++) expect((await auth(login, 'x')).status).toBe(401);
      for (let i = 0; i < 3; i++) expect((await auth('2048', `${typed[0]}-as-password`)).status).toBe(401);
      expect((await auth('1595', 'Zh4nna-1595')).status).toBe(200);
      // A change reaches core: the outbox, the delivery history and the counters have rows.
      await agent.handlers['demo.pay']({ contractId: '12331231', rubles: 100 });
      await agent.handlers['sync.scanNow']({});
      await until(() => core.received.length > 0, 10_000, 'a callback');

      // The operator still sees whose login is locked, read from the billing, and lifts it by login or by ref.
      const status = await agent.handlers['security.status']({});
      const ivanov = status.locked.find((l) => l.userId === '58208892');
      expect(ivanov).toMatchObject({ login: '2048', failures: 3 });
      const nobody = status.locked.filter((l) => l.userId === null);
      expect(nobody).toHaveLength(typed.length);
      expect(nobody.every((l) => l.login === null && /^[0-9a-f]{8}$/.test(l.ref))).toBe(true);
      expect((await agent.handlers['security.unlock']({ login: nobody[0]!.ref })).unlocked).toBe(true);
      expect((await agent.handlers['security.unlock']({ login: '2048' })).unlocked).toBe(true);
      expect((await agent.handlers['security.status']({})).locked).toHaveLength(typed.length - 1);
    } finally {
      await agent.stop();
      await core.close();
    }

    const file = path.join(dir, 'state.db');
    const db = new Database(file, { readonly: true });
    const cells: string[] = [];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]) {
        for (const v of row) if (typeof v === 'string' || Buffer.isBuffer(v)) cells.push(String(v));
      }
    }
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['auth_lockout', 'outbox', 'deliveries', 'lookup_index', 'fp_user']));
    expect(cells.length).toBeGreaterThan(100);
    const phones = (await Promise.all(USERS.map((u) => billing.getUser(u.id)))).flatMap((u) => u!.phones.map((p) => p.number));
    const contained = [...USERS.flatMap((u) => [u.password, u.fullName, u.fullName.split(' ')[0]!]), ...phones, ...typed];
    expect(contained.filter((s) => cells.some((c) => c.includes(s)))).toEqual([]);
    // Logins are short (digits that a hash may contain by chance): no cell is one.
    expect(cells.filter((c) => USERS.some((u) => u.login === c))).toEqual([]);
    expect(foundIn(file, [...typed, ...USERS.map((u) => u.password)])).toEqual([]);
  }, 60_000);
});
