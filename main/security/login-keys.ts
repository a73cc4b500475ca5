// How a login is kept in the lockout table: a keyed hash, never the text. What is typed into the
// login field is sometimes a password, and a lockout row outlives the request. HMAC-SHA256 with the
// install's key (<dataDir>/lookup-key, the lookup index's), under a label of its own so a
// lockout key never equals an index key. Without the key file a copied database says nothing.
import { createHmac, randomBytes } from 'node:crypto';
import { createKeyer, createLookupStore } from '../explain/lookup-index.js';
import { loadOrCreateLookupKey } from '../explain/lookup-key.js';
import { normalizeLogin } from '../explain/normalize.js';
import type { State } from '../state/index.js';

export interface LoginKeys {
  /** The row key of a login (hex, 128 bits). */
  keyOf(login: string): string;
  /** The subscriber the last scan knew by this login (the lookup index); null when none or unknown. */
  userOf(login: string): string | null;
}

/** How much of a key the operator is shown to name a row (`lockouts unlock <ref>`). */
export const REF_LENGTH = 8;

export const refOf = (key: string): string => key.slice(0, REF_LENGTH);

export function createLoginKeys(secret: Buffer, userOf: (login: string) => string | null = () => null): LoginKeys {
  return {
    keyOf: (login) => createHmac('sha256', secret).update(`lockout:${login}`).digest('hex').slice(0, 32),
    userOf,
  };
}

/** The agent's keys: the install's key, and the lookup index to tell whose login it is. */
export function installLoginKeys(dataDir: string, state: Pick<State, 'meta' | 'lookup'>): LoginKeys {
  const secret = loadOrCreateLookupKey(dataDir);
  const index = createLookupStore(state, createKeyer(secret));
  return createLoginKeys(secret, (login) => {
    const users = new Set(index.find('login', normalizeLogin(login)).map((h) => h.userId));
    return users.size === 1 ? [...users][0]! : null;
  });
}

/** A key of its own for a guard without the install's (tests, benchmarks): its rows mean nothing after a restart. */
export function ephemeralLoginKeys(): LoginKeys {
  return createLoginKeys(randomBytes(32));
}
