// Subscribers the agent cannot serve well, found while a scan reads them: the sync report lists
// them by kind with ids only, so the admin can fix the billing's data.
import { UNPARSEABLE_PHONE, type SubscriberSnapshot } from '../billing/source.js';

export const PROBLEM_KINDS = {
  /** No phone at all: the subscriber cannot sign in by phone. */
  noPhone: 'no-phone',
  /** The phone field holds text that is not a number (from the adapter). */
  unparseablePhone: UNPARSEABLE_PHONE,
  /** A contract without any tariff: no permissions in the app. */
  noTariff: 'no-tariff',
  /** A contract's tariff is missing from /api/tariffs: core cannot see its services. */
  unknownTariff: 'unknown-tariff',
  /** Several users share one login (ignoring case): a password check can find the wrong one. */
  duplicateLogin: 'duplicate-login',
} as const;

export interface Problem {
  kind: string;
  userId: string;
  contractId?: string;
}

/** The problems of one subscriber; `tariffIds` is the catalogue (null when it could not be read). */
export function problemsOf(snap: SubscriberSnapshot, tariffIds: ReadonlySet<string> | null): Problem[] {
  const userId = snap.user.ext_user_id;
  const out: Problem[] = [];
  for (const kind of snap.problems ?? []) out.push({ kind, userId });
  if (snap.user.phones.length === 0 && !(snap.problems ?? []).includes(UNPARSEABLE_PHONE)) out.push({ kind: PROBLEM_KINDS.noPhone, userId });
  for (const c of snap.contracts) {
    if (c.tariffs.length === 0) out.push({ kind: PROBLEM_KINDS.noTariff, userId, contractId: c.ext_id });
    else if (tariffIds !== null && tariffIds.size > 0 && c.tariffs.some((t) => !tariffIds.has(t.id))) {
      out.push({ kind: PROBLEM_KINDS.unknownTariff, userId, contractId: c.ext_id });
    }
  }
  return out;
}

/** Per kind: the exact count and the first `cap` ids. */
export class ProblemTally {
  readonly counts = new Map<string, number>();
  readonly items: Problem[] = [];

  constructor(private readonly cap: number) {}

  add(p: Problem): void {
    const n = (this.counts.get(p.kind) ?? 0) + 1;
    this.counts.set(p.kind, n);
    if (n <= this.cap) this.items.push(p);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  toJson(): string {
    return JSON.stringify({
      counts: Object.fromEntries(this.counts),
      items: this.items.map((p) => (p.contractId === undefined ? { kind: p.kind, user: p.userId } : { kind: p.kind, user: p.userId, contract: p.contractId })),
    });
  }
}
