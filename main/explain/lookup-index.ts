// The lookup index: keyed hashes of each subscriber's normalised login, phones and contract
// numbers → the user id (and the contract). HMAC-SHA256 with the per-install key, so the table
// holds nothing readable and a copy of the database cannot be searched with a list of phones.
// The scan observer keeps it in step with the billing; lookups only read it.
import { createHmac } from 'node:crypto';
import type { SubscriberSnapshot } from '../billing/source.js';
import type { Db } from '../db/open.js';
import { createMeta } from '../sync/meta.js';
import { normalizeAccount, normalizeLogin } from './normalize.js';

export type IndexKind = 'login' | 'phone' | 'account';

export interface IndexEntry {
  kind: IndexKind;
  key: string;
  userId: string;
  /** The contract, for contract numbers; '' otherwise. */
  extId: string;
}

/** meta key of the marker: the index is complete as of `at`, built with the key `keyId`. */
export const INDEX_MARKER = 'lookup_index';

export interface IndexMarker {
  keyId: string;
  at: number;
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

export function createLookupStore(db: Db, keyer: Keyer) {
  const meta = createMeta(db);
  const find = db.prepare<[string, string], { user_id: string; ext_id: string }>('SELECT user_id, ext_id FROM lookup_index WHERE kind = ? AND key = ? LIMIT 50');
  return {
    /** Ready when a scan completed the index with the current key; null `at` otherwise. */
    state(): { ready: boolean; at: number | null } {
      const marker = meta.get<IndexMarker>(INDEX_MARKER);
      const ready = marker !== null && marker.keyId === keyer.id;
      return { ready, at: ready ? marker.at : null };
    },
    find(kind: IndexKind, normalised: string): IndexHit[] {
      return find.all(kind, keyer.hash(kind, normalised)).map((r) => ({ kind, userId: r.user_id, extId: r.ext_id }));
    },
  };
}

export type LookupStore = ReturnType<typeof createLookupStore>;
