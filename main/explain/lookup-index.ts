// The lookup index: keyed hashes of each subscriber's normalised login, phones and contract
// numbers → the user id (and the contract). HMAC-SHA256 with the per-install key, so the table
// holds nothing readable and a copy of the database cannot be searched with a list of phones.
// The scan observer keeps it in step with the billing; lookups only read it.
import { createHmac } from 'node:crypto';
import type { SubscriberSnapshot } from '../billing/source.js';
import type { IndexKind, State } from '../state/index.js';
import { normalizeAccount, normalizeLogin } from './normalize.js';

export type { IndexKind } from '../state/index.js';

export interface IndexEntry {
  kind: IndexKind;
  key: string;
  userId: string;
  /** The contract, for contract numbers; '' otherwise. */
  extId: string;
}

export function createKeyer(key: Buffer) {
  // 128 bits are plenty to tell values apart; the table stays small.
  const hash = (kind: string, value: string) => createHmac('sha256', key).update(`${kind}:${value}`).digest().toString('base64url', 0, 16);
  return {
    /** Names the key without revealing it: a new key means the index must be rebuilt. */
    id: hash('key-id', ''),
    hash,
  };
}

export type Keyer = ReturnType<typeof createKeyer>;

/**
 * Everything a subscriber can be found by, as (kind, key, extId) passed to `add` (a scan runs this
 * for every subscriber, so nothing is built that is not needed). Phones are indexed as served:
 * already normalised, and distinct.
 */
export function eachEntry(snap: SubscriberSnapshot, keyer: Keyer, add: (kind: IndexKind, key: string, extId: string) => void): void {
  const login = normalizeLogin(snap.user.login);
  if (login !== '') add('login', keyer.hash('login', login), '');
  for (const phone of snap.user.phones) add('phone', keyer.hash('phone', phone.number), '');
  for (const c of snap.contracts) {
    const account = normalizeAccount(c.account);
    if (account !== '') add('account', keyer.hash('account', account), c.ext_id);
    const contract = normalizeAccount(c.contract);
    if (contract !== '' && contract !== account) add('account', keyer.hash('account', contract), c.ext_id);
  }
}

export function entriesOf(snap: SubscriberSnapshot, keyer: Keyer): IndexEntry[] {
  const out: IndexEntry[] = [];
  eachEntry(snap, keyer, (kind, key, extId) => out.push({ kind, key, userId: snap.user.ext_user_id, extId }));
  return out;
}

export interface IndexHit {
  kind: IndexKind;
  userId: string;
  extId: string;
}

export function createLookupStore(state: Pick<State, 'meta' | 'lookup'>, keyer: Keyer) {
  return {
    /** Ready when a scan completed the index with the current key; null `at` otherwise. */
    state(): { ready: boolean; at: number | null } {
      const marker = state.meta.lookupIndex.get();
      const ready = marker !== null && marker.keyId === keyer.id;
      return { ready, at: ready ? marker.at : null };
    },
    find(kind: IndexKind, normalised: string): IndexHit[] {
      return state.lookup.find(kind, keyer.hash(kind, normalised)).map((r) => ({ kind, ...r }));
    },
  };
}

export type LookupStore = ReturnType<typeof createLookupStore>;
