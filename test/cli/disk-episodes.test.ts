// A real `serve` whose state database takes no writes for a while: locked by another program's
// connection (BEGIN IMMEDIATE), and full (the kernel's file-size limit set on the running process
// with prlimit, so every write past a few bytes fails as on a full disk). The agent keeps
// answering and never exits, a locked login stays locked, /readyz fails, status says why, and all
// of it recovers without a restart; the lockout survives the restart that follows.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_WAIT_MS } from '../../main/state/write.js';
import { runCli, startServe, type ServeProcess } from '../../tools/cli-process/cli.js';
import { request } from '../helpers/http.js';
import { until } from '../helpers/wait.js';

const hasPrlimit = existsSync('/usr/bin/prlimit');

describe('serve while its database takes no writes', () => {
  let dir: string;
  let serve: ServeProcess;
  let api: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bb-disk-'));
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, server: { host: '127.0.0.1' } }));
    serve = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
    api = serve.apiUrl;
    await until(async () => JSON.parse((await cli('status', '--json')).stdout).baselineAt, 15_000, 'the baseline scan');
  }, 30_000);
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args, '--admin-port', new URL(serve.adminUrl).port]);
  const auth = (login: string, pswd: string) => request(api, { method: 'POST', path: '/api/auth', body: { login, pswd } });
  const readyz = () => request(serve.adminUrl, { path: '/readyz' });
  // What `billing-bridge status` shows, asked of the admin API directly (a CLI process per look is slow).
  const problems = async () => {
    const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    const answer = await request(serve.adminUrl, { method: 'POST', path: '/admin/sync.status', body: {}, headers: { Authorization: `Bearer ${token}` } });
    return (answer.json as { result: { problems: string[] } }).result.problems;
  };
  const lockoutRows = () => {
    const db = new Database(path.join(dir, 'state.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM auth_lockout WHERE locked_until IS NOT NULL').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  /** Five wrong passwords lock the login; then even the right one gets the same 401; the rest of the API answers. */
  async function lockOut(login: string, password: string): Promise<number[]> {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await auth(login, `wrong-${i}`)).status).toBe(401);
      ms.push(performance.now() - started);
    }
    expect((await auth(login, password)).status).toBe(401);
    const started = performance.now();
    expect((await request(api, { path: '/api/users?user_id=58208891' })).status).toBe(200);
    ms.push(performance.now() - started);
    return ms;
  }

  async function expectEpisode(trouble: RegExp) {
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ ready: false, checks: expect.arrayContaining([expect.objectContaining({ name: 'database', ok: false })]) });
    expect(JSON.stringify(ready.json)).toMatch(trouble);
    expect((await problems()).find((p) => p.startsWith('the state database has taken no writes'))).toMatch(trouble);
  }

  async function expectRecovered(lockedRows: number) {
    // No restart: the agent's probe notices, the lockouts' next batch writes what waited.
    await until(async () => (await readyz()).status === 200, 15_000, '/readyz to pass again');
    await until(() => lockoutRows() === lockedRows, 15_000, 'the lockout rows');
    expect((await problems()).some((p) => p.startsWith('the state database'))).toBe(false);
    expect(serve.child.exitCode).toBeNull();
  }

  it('locked by another connection', async () => {
    const other = new Database(path.join(dir, 'state.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const ms = await lockOut('1595', 'Zh4nna-1595');
      // A request never waits for the lock (busy_timeout is a stall of the whole event loop): the
      // old agent spent 2 s on each of these. Only a background write may hold the loop, once, for
      // at most BACKGROUND_WAIT_MS, so one of the requests may have waited behind it.
      expect(ms.filter((m) => m >= 150).length).toBeLessThanOrEqual(1);
      expect(Math.max(...ms)).toBeLessThan(BACKGROUND_WAIT_MS + 800);
      await expectEpisode(/another program holds a write lock on the state database/);
      expect(lockoutRows()).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await expectRecovered(1);
    expect((await auth('1595', 'Zh4nna-1595')).status).toBe(401);
  }, 60_000);

  it.skipIf(!hasPrlimit)('full (no file may grow)', async () => {
    const pid = String(serve.child.pid);
    execFileSync('prlimit', ['--pid', pid, '--fsize=1024:']);
    try {
      await lockOut('2048', 'ivanov2048');
      await expectEpisode(/the disk (holding the state database is full|reports errors writing the state database)/);
      expect(serve.logs.some((l) => l.msg === 'the state database takes no writes; the agent keeps answering and writes what waits once it does')).toBe(true);
    } finally {
      execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:']);
    }
    await expectRecovered(2);
    expect(serve.logs.some((l) => l.msg === 'the state database takes writes again')).toBe(true);
  }, 60_000);

  it('the lockouts written after the episodes survive a restart', async () => {
    expect(await serve.stop()).toBe(0);
    serve = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
    api = serve.apiUrl;
    expect((await auth('1595', 'Zh4nna-1595')).status).toBe(401);
    if (hasPrlimit) expect((await auth('2048', 'ivanov2048')).status).toBe(401);
    expect((await auth('3112', 'Anna.3112')).status).toBe(200);
  }, 30_000);
});
