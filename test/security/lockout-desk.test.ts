// The lockouts as the operator sees and lifts them, without any typed text kept: named by the
// subscriber and the login the billing has for them, unlocked by any spelling the billing accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { createLockoutDesk } from '../../main/security/lockout-desk.js';
import { createLoginKeys } from '../../main/security/login-keys.js';
import { PasswordGuard } from '../../main/security/password-guard.js';
import { openState, type State } from '../../main/state/index.js';

/** The demo billing where contract numbers sign in too, as Carbon's loginBy allows. */
class ContractLogins extends DemoBilling {
  down = false;
  async resolveLogin(typed: string): Promise<string | null> {
    if (typed === '2048-И') return '2048';
    return typed === '2048' || typed === '1595' ? typed : null;
  }
  override async getUser(userId: string) {
    if (this.down) throw new Error('billing down');
    return super.getUser(userId);
  }
}

const opened: Array<{ state: State; guard: PasswordGuard }> = [];
afterEach(() => {
  for (const { state, guard } of opened.splice(0)) {
    guard.close();
    state.close();
  }
});

function setup() {
  const state = openState(':memory:');
  const billing = new ContractLogins();
  const users: Record<string, string> = { 2048: '58208892', 1595: '58208891' };
  const keys = createLoginKeys(Buffer.alloc(32, 1), (login) => users[login] ?? null);
  const guard = new PasswordGuard(state.lockouts, () => ({ maxFailures: 3, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 1000 }), { keys });
  opened.push({ state, guard });
  const lock = (login: string) => {
    for (let i = 0; i < 3; i++) {
      guard.before(login);
      guard.after(login, 'invalid');
    }
  };
  return { billing, guard, desk: createLockoutDesk(guard, () => billing), lock };
}

describe('the lockout desk', () => {
  it('names a locked subscriber by the billing\'s login and a login nobody has by its ref only', async () => {
    const { billing, guard, desk, lock } = setup();
    lock('2048');
    lock('Zh4nna-1595');
    const status = await desk.status();
    expect(status.locked).toHaveLength(2);
    expect(status.locked).toEqual(expect.arrayContaining([
      expect.objectContaining({ ref: guard.refOf('2048'), userId: '58208892', login: '2048', failures: 3 }),
      expect.objectContaining({ ref: guard.refOf('Zh4nna-1595'), userId: null, login: null, failures: 3 }),
    ]));
    // The billing cannot say: the list still answers, by user id.
    billing.down = true;
    const offline = createLockoutDesk(guard, () => billing);
    expect((await offline.status()).locked.find((l) => l.userId === '58208892')).toMatchObject({ login: null });
  });

  it('unlocks by the login, by another spelling the billing accepts (a contract number), or by the ref', async () => {
    const { guard, desk, lock } = setup();
    lock('2048');
    expect(await desk.unlock('2048-И')).toBe(true);
    expect(guard.before('2048').go).toBe(true);
    guard.after('2048', 'valid');

    lock('1595');
    expect(await desk.unlock('1595')).toBe(true);
    lock('Zh4nna-1595');
    expect(await desk.unlock(guard.refOf('Zh4nna-1595'))).toBe(true);
    expect(await desk.unlock('nobody-locked')).toBe(false);
    expect((await desk.status()).locked).toEqual([]);
  });
});
