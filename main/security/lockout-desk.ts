// The lockouts as the operator sees and lifts them (`billing-bridge lockouts`, the dashboard).
// Nothing typed is kept, so a locked row is shown by what is known without it: the subscriber the
// last scan knew by that login and the login the billing has for them (read now, never stored),
// or, for a login nobody has, just its ref. Unlocking takes what the subscriber says they type.
import type { SecurityStatus } from '../../shared/admin.js';
import type { BillingSource } from '../billing/source.js';
import type { PasswordGuard } from './password-guard.js';

/** The billing is asked for a subscriber's login at most this often (the dashboard polls). */
const LOGIN_KEPT_MS = 60_000;
/** Locked rows named by their billing login per look; the rest show the user id. */
const NAMED_AT_MOST = 20;

export interface LockoutDesk {
  status(): Promise<SecurityStatus>;
  /** `text`: the login as the subscriber types it (any spelling the billing accepts), or a ref. */
  unlock(text: string): Promise<boolean>;
}

export function createLockoutDesk(guard: PasswordGuard, billing: () => BillingSource, now: () => number = Date.now): LockoutDesk {
  const logins = new Map<string, { login: string | null; at: number }>();

  const loginOf = async (userId: string): Promise<string | null> => {
    const known = logins.get(userId);
    if (known && now() - known.at < LOGIN_KEPT_MS) return known.login;
    const login = await billing().getUser(userId).then((u) => u?.login ?? null, () => null);
    if (logins.size >= 1_000) logins.clear();
    logins.set(userId, { login, at: now() });
    return login;
  };

  return {
    async status() {
      const s = guard.status();
      const locked = await Promise.all(s.locked.map(async (l, i) => ({
        ...l,
        login: l.userId !== null && i < NAMED_AT_MOST ? await loginOf(l.userId) : null,
      })));
      return { ...s, locked };
    },

    async unlock(text) {
      if (guard.unlock(text)) return true;
      // Lockouts count per account, under the billing's name for it (a contract number signs in as a login).
      const source = billing();
      const identity = source.resolveLogin ? await source.resolveLogin(text).catch(() => null) : null;
      return identity !== null && identity !== text && guard.unlock(identity);
    },
  };
}
