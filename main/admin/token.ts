// The admin API's bearer token: random, kept in the data directory readable only by its owner, so
// anyone who can read it could already read the agent's files.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export function loadOrCreateToken(file: string): string {
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return token;
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic.sync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export function readToken(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
