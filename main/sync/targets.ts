// The three callbacks of spec §3 as outbox rows: a path and a canonical JSON body. The body holds
// only an id, and the same target always serialises to the same text, which the outbox's unique
// index relies on to coalesce duplicates.
import { CALLBACK_PATHS, ChargeCallback, ContractCallback } from '../../shared/data-provider.js';

export type CallbackKind = keyof typeof CALLBACK_PATHS;

/** What a person asks for: one contract, all contracts of a user, or a user's charges. */
export type TargetKind = 'contract' | 'user' | 'charge';

export interface Callback {
  kind: CallbackKind;
  path: string;
  body: string;
}

export function contractCallback(extId: string): Callback {
  return { kind: 'contract', path: CALLBACK_PATHS.contract, body: JSON.stringify(ContractCallback.parse({ ext_id: extId })) };
}

export function userContractsCallback(userId: string): Callback {
  return { kind: 'contract', path: CALLBACK_PATHS.contract, body: JSON.stringify(ContractCallback.parse({ user_ext_id: userId })) };
}

export function chargeCallback(userId: string): Callback {
  return { kind: 'charge', path: CALLBACK_PATHS.charge, body: JSON.stringify(ChargeCallback.parse({ user_ext_id: userId })) };
}

export function callbackFor(kind: TargetKind, id: string): Callback {
  switch (kind) {
    case 'contract': return contractCallback(id);
    case 'user': return userContractsCallback(id);
    case 'charge': return chargeCallback(id);
  }
}

/** "contract 12331231", "all contracts of user 58208891", "charges of user 58208891". */
export function describeCallback(kind: string, body: string): string {
  let doc: { ext_id?: string; user_ext_id?: string } = {};
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch {
    return `${kind} callback`;
  }
  if (kind === 'charge') return `charges of user ${doc.user_ext_id}`;
  if (doc.ext_id !== undefined) return `contract ${doc.ext_id}`;
  return `all contracts of user ${doc.user_ext_id}`;
}
