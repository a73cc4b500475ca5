// The fingerprint tables: what core was last told, per user and per contract (hashes only).
// Scans read them here and change them through the stage (stage.ts).
import type { Db } from '../db/open.js';

export interface StoredUser {
  user_hash: string;
  contracts_hash: string;
  charges_hash: string;
}

export function createFingerprintStore(db: Db) {
  const getUser = db.prepare<[string], StoredUser>('SELECT user_hash, contracts_hash, charges_hash FROM fp_user WHERE user_id = ?');
  const contractsOf = db.prepare<[string], { ext_id: string; hash: string }>('SELECT ext_id, hash FROM fp_contract WHERE user_id = ?');
  const countUsers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM fp_user');
  const userIds = db.prepare<[], { user_id: string }>('SELECT user_id FROM fp_user').pluck();
  return {
    getUser: (userId: string): StoredUser | undefined => getUser.get(userId),
    contractsOf(userId: string): Map<string, string> {
      return new Map(contractsOf.all(userId).map((r) => [r.ext_id, r.hash]));
    },
    countUsers: (): number => countUsers.get()!.n,
    userIds: (): string[] => userIds.all() as unknown as string[],
  };
}

export type FingerprintStore = ReturnType<typeof createFingerprintStore>;
