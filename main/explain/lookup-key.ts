// The per-install secret of the lookup index. With it, a login or phone can be checked against
// the index; without it (a copied database), the index's hashes say nothing. Created once.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export const LOOKUP_KEY_FILE = 'lookup-key';

export function loadOrCreateLookupKey(dataDir: string): Buffer {
  const file = path.join(dataDir, LOOKUP_KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length >= 32) {
      if (process.platform !== 'win32') chmodSync(file, 0o600);
      return key;
    }
  }
  // A missing or damaged key: a new one. The index notices (its key id changes) and is rebuilt
  // by the next scan.
  const key = randomBytes(32);
  writeFileAtomic.sync(file, `${key.toString('base64url')}\n`, { mode: 0o600 });
  return key;
}
