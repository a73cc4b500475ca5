// The fingerprint tables: what core was last told, per user and per contract (hashes only; ids
// are not personal data and are kept in clear). Scans read them here and change them through the
// scan stage (scan-stage.ts).
import type { Db } from './open.js';

export interface StoredUser {
  user_hash: string;
  contracts_hash: string;
  charges_hash: string;
}

export function createFingerprints(db: Db) {
  const getUser = db.prepare<[string], StoredUser>('SELECT user_hash, contracts_hash, charges_hash FROM fp_user WHERE user_id = ?');
  const contractsOf = db.prepare<[string], { ext_id: string; hash: string }>('SELECT ext_id, hash FROM fp_contract WHERE user_id = ?');
  const countUsers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM fp_user');
  const userIds = db.prepare<[], { user_id: string }>('SELECT user_id FROM fp_user').pluck();
  const hasUser = db.prepare<[string], { user_id: string }>('SELECT user_id FROM fp_user WHERE user_id = ?');
  const ownerOf = db.prepare<[string], { user_id: string }>('SELECT user_id FROM fp_contract WHERE ext_id = ?');
  const sample = db.prepare<[number], { user_id: string }>('SELECT user_id FROM fp_user ORDER BY random() LIMIT ?');
  return {
    getUser: (userId: string): StoredUser | undefined => getUser.get(userId),
    contractsOf(userId: string): Map<string, string> {
      return new Map(contractsOf.all(userId).map((r) => [r.ext_id, r.hash]));
    },
    countUsers: (): number => countUsers.get()!.n,
    userIds: (): string[] => userIds.all() as unknown as string[],
    hasUser: (userId: string): boolean => hasUser.get(userId) !== undefined,
    /** The user a contract belonged to at the last scan. */
    ownerOf: (extId: string): string | null => ownerOf.get(extId)?.user_id ?? null,
    /** A random few of the users the last scan recorded. */
    sampleUserIds: (size: number): string[] => sample.all(size).map((r) => r.user_id),
  };
}

export type Fingerprints = ReturnType<typeof createFingerprints>;
