// One-time codes that open the browser dashboard without the admin token on a command line:
// `dashboard --open` hands the browser a code (a program's arguments are visible to every user
// of the machine), and the page trades it for the token once. Kept in memory only, random,
// single use, valid for a minute; stored by their hash, so lookups reveal nothing about them.
import { createHash, randomBytes } from 'node:crypto';

export const CODE_TTL_MS = 60_000;
/** Codes waiting at once; the oldest is dropped beyond this. */
const KEPT = 16;

export type Redeemed = 'ok' | 'used' | 'expired' | 'unknown';

const hash = (code: string) => createHash('sha256').update(code).digest('base64url');

export class OneTimeCodes {
  /** Hash → when it expires, for codes not used yet. */
  private readonly open = new Map<string, number>();
  /** Hash → when it was used, for a minute: a second use may mean someone else had it. */
  private readonly used = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): { code: string; expiresAt: string } {
    this.forgetOld();
    const code = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + CODE_TTL_MS;
    this.open.set(hash(code), expiresAt);
    if (this.open.size > KEPT) this.open.delete(this.open.keys().next().value!);
    return { code, expiresAt: new Date(expiresAt).toISOString() };
  }

  redeem(code: string): Redeemed {
    this.forgetOld();
    const key = hash(code);
    if (this.used.has(key)) return 'used';
    const expiresAt = this.open.get(key);
    if (expiresAt === undefined) return 'unknown';
    this.open.delete(key);
    if (expiresAt <= this.now()) return 'expired';
    this.used.set(key, this.now());
    return 'ok';
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [key, at] of this.used) if (at + CODE_TTL_MS <= now) this.used.delete(key);
    for (const [key, expiresAt] of this.open) if (expiresAt + CODE_TTL_MS <= now) this.open.delete(key);
  }
}
