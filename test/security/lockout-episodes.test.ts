// Lockouts while the state database takes no writes (full, or locked by another program): the API
// keeps answering, counts hold in memory, /readyz fails, and the rows are written once it can.
// The same against a real `serve` child: test/cli/disk-episodes.test.ts.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/logging/logger.js';
import { createLoginKeys } from '../../main/security/login-keys.js';
import { PasswordGuard } from '../../main/security/password-guard.js';
import { AccessControl } from '../../main/server/access.js';
import { createApiApp } from '../../main/server/app.js';
import { listen } from '../../main/server/listen.js';
import { setupReadiness } from '../../main/setup/readiness.js';
import type { State } from '../../main/state/index.js';
import type { Db } from '../../main/state/open.js';
import { afterTest, episodeCleanup, fill, holdWriteLock, tempDb, unfill } from '../helpers/episodes.js';
import { CountingBilling } from '../helpers/counting-billing.js';
import { request } from '../helpers/http.js';
import { until } from '../helpers/wait.js';

episodeCleanup();

/** The API with its lockouts on a database of its own; the billing counts password checks. */
async function apiOn(state: State) {
  const billing = new CountingBilling();
  const keys = createLoginKeys(Buffer.alloc(32, 9));
  const guard = new PasswordGuard(state.lockouts, () => ({ maxFailures: 5, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 1000 }), { keys });
  const server = await listen(createApiApp({
    billing: () => billing,
    access: new AccessControl({ allowlist: ['127.0.0.1'], allowAll: false, trustedProxies: [] }),
    log: silentLogger(),
    passwordGuard: guard,
  }), { host: '127.0.0.1', port: 0 });
  afterTest(() => guard.close());
  afterTest(() => server.close());
  const auth = (login: string, pswd: string) => request(server.url, { method: 'POST', path: '/api/auth', body: { login, pswd } });
  const readiness = setupReadiness({ billing, state });
  return { billing, guard, server, auth, readiness, keys };
}

const lockoutRows = (db: Db) => db.prepare('SELECT key, failures, locked_until FROM auth_lockout').all() as Array<{ key: string; failures: number; locked_until: number | null }>;

describe.each([
  { episode: 'full', start: ({ db }: { db: Db; file: string }) => {
    fill(db);
    return { end: () => unfill(db) };
  } },
  { episode: 'locked by another connection', start: ({ file }: { db: Db; file: string }) => {
    const lock = holdWriteLock(file);
    return { end: () => lock.release() };
  } },
])('a database $episode', ({ start }) => {
  it('the API keeps answering 401, lockout counts hold in memory, /readyz fails; then the rows are written and survive a restart', async () => {
    const { file, db, state } = tempDb();
    const api = await apiOn(state);
    expect((await api.readiness()).ready).toBe(true);
    const episode = start({ db, file });
    expect(await api.readiness()).toMatchObject({ ready: false, checks: expect.arrayContaining([expect.objectContaining({ name: 'database', ok: false, detail: expect.stringMatching(/^the state database has taken no writes/) })]) });

    for (let i = 0; i < 5; i++) expect((await api.auth('1595', `wrong-${i}`)).status).toBe(401);
    // Locked from memory: the right password is refused without a billing check, as a wrong one.
    expect((await api.auth('1595', 'Zh4nna-1595')).status).toBe(401);
    expect(api.billing.checks).toBe(5);
    expect(api.guard.status().locked).toMatchObject([{ ref: api.guard.refOf('1595'), failures: 5, blockedAttempts: 1 }]);
    expect((await request(api.server.url, { path: '/api/users?user_id=58208891' })).status).toBe(200);
    expect(lockoutRows(db)).toEqual([]);
    expect(api.guard.unwritten()).toBe(1);

    episode.end();
    // By itself: the probe notices, the guard's next batch writes the row.
    await until(() => lockoutRows(db).length === 1, 15_000, 'the lockout row');
    expect(lockoutRows(db)[0]).toMatchObject({ key: api.keys.keyOf('1595'), failures: 5 });
    expect(api.guard.unwritten()).toBe(0);
    expect((await api.readiness()).ready).toBe(true);

    // A restart on the same database: still locked.
    const after = new PasswordGuard(state.lockouts, () => ({ maxFailures: 5, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 1000 }), { keys: api.keys });
    afterTest(() => after.close());
    expect(after.before('1595')).toMatchObject({ go: false, reason: 'locked' });
  }, 30_000);
});
