// Fingerprints of what core would receive: short salted hashes of canonical JSON. Only these are
// stored, never the payloads. The per-database salt means a stolen database cannot be checked
// against guessed records (e.g. to confirm a password) with a precomputed table.
import crypto, { createHash, randomBytes } from 'node:crypto';
import type { Charge, Contract, User } from '../../shared/data-provider.js';
import type { SubscriberSnapshot } from '../billing/source.js';

/** How many of a user's newest charges are watched (core shows the latest ones). */
export const WATCHED_CHARGES = 13;

/** Sorted key orders by object shape: subscribers share a handful of shapes, so sorting is rare. */
const shapes = new Map<string, { keys: string[]; prefixes: string[] }>();
const MAX_SHAPES = 1000;

/**
 * JSON with object keys sorted at every level, so a billing that builds objects in another key
 * order does not look changed. Arrays keep their order: it is part of what core receives.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const own = Object.keys(record);
  const signature = own.join('\u0000');
  let shape = shapes.get(signature);
  if (!shape) {
    const keys = [...own].sort();
    shape = { keys, prefixes: keys.map((k) => `${JSON.stringify(k)}:`) };
    if (shapes.size < MAX_SHAPES) shapes.set(signature, shape);
  }
  let out = '{';
  let first = true;
  for (let i = 0; i < shape.keys.length; i++) {
    const v = record[shape.keys[i]!];
    if (v === undefined) continue;
    out += (first ? '' : ',') + shape.prefixes[i] + canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}

export function newSalt(): string {
  return randomBytes(16).toString('base64url');
}

export interface SubscriberFingerprint {
  userId: string;
  userHash: string;
  /** One hash over every (contract id, contract hash) pair: equal means no contract changed. */
  contractsHash: string;
  chargesHash: string;
  contracts: Map<string, string>;
}

/** crypto.hash (one call, faster) where the runtime has it: Node 20.12+, not older Electrons. */
const sha256 = typeof crypto.hash === 'function'
  ? (text: string) => crypto.hash('sha256', text, 'base64url')
  : (text: string) => createHash('sha256').update(text).digest('base64url');

export function createFingerprinter(salt: string) {
  // 128 bits of SHA-256 are plenty to notice a change and keep the table small.
  const digest = (text: string) => sha256(`${salt}\n${text}`).slice(0, 22);
  return {
    user: (user: User) => digest(canonicalJson(user)),
    contract: (contract: Contract) => digest(canonicalJson(contract)),
    charges: (charges: Charge[]) => digest(canonicalJson(charges)),
    subscriber(snap: SubscriberSnapshot): SubscriberFingerprint {
      const contracts = new Map<string, string>();
      for (const c of snap.contracts) contracts.set(c.ext_id, digest(canonicalJson(c)));
      const pairs = [...contracts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return {
        userId: snap.user.ext_user_id,
        userHash: digest(canonicalJson(snap.user)),
        contractsHash: digest(JSON.stringify(pairs)),
        chargesHash: digest(canonicalJson(snap.charges.slice(0, WATCHED_CHARGES))),
        contracts,
      };
    },
  };
}

export type Fingerprinter = ReturnType<typeof createFingerprinter>;
