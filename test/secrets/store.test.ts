// The secret store's order and write rules, with a stand-in keychain (the real one is tested in
// keyring.test.ts): environment first, the keychain, then a 0600 file only the admin creates.
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Availability } from '../../main/secrets/keyring.js';
import { createLogger } from '../../main/logging/logger.js';
import {
  FileSecrets, SecretFileError, SecretWriteRefused, createSecretStore, type SecretBackend, type SecretName,
} from '../../main/secrets/store.js';

class FakeKeyring implements SecretBackend {
  readonly name = 'keyring';
  readonly values = new Map<SecretName, string>();
  constructor(public availability: Availability = { available: true, reason: null }) {}
  async available(): Promise<Availability> {
    return this.availability;
  }
  async get(name: SecretName): Promise<string | null> {
    if (!this.availability.available) throw new Error('an unavailable keychain must not be read');
    return this.values.get(name) ?? null;
  }
  async set(name: SecretName, value: string): Promise<void> {
    this.values.set(name, value);
  }
  async delete(name: SecretName): Promise<void> {
    this.values.delete(name);
  }
}

const NO_KEYRING: Availability = { available: false, reason: 'no Secret Service answers on the session bus' };

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ pretty: false, destination, level: 'info' }) };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bb-secrets-'));
  file = path.join(dir, 'secrets.json');
});

function writeSecrets(doc: object, mode: number): void {
  writeFileSync(file, JSON.stringify(doc));
  chmodSync(file, mode);
}

describe('reading secrets', () => {
  it('takes the environment first, then the keychain, then the file', async () => {
    const keyring = new FakeKeyring();
    writeSecrets({ 'core-password': 'from-file', 'billing-password': 'file-billing', 'api-token': 'file-token' }, 0o600);
    keyring.values.set('core-password', 'from-keyring');
    keyring.values.set('billing-password', 'keyring-billing');
    const store = createSecretStore({ secretsFile: file, env: { BILLING_BRIDGE_CORE_PASSWORD: 'from-env' }, keyring });
    expect(await store.get('core-password')).toBe('from-env');
    expect(await store.get('billing-password')).toBe('keyring-billing');
    expect(await store.get('api-token')).toBe('file-token');
    expect(await store.describe()).toEqual({ 'core-password': 'environment', 'billing-password': 'keyring', 'api-token': 'file' });
  });

  it('treats an empty environment variable as not set', async () => {
    const store = createSecretStore({ secretsFile: file, env: { BILLING_BRIDGE_CORE_PASSWORD: '' }, keyring: new FakeKeyring() });
    expect(await store.get('core-password')).toBeNull();
  });

  it('skips a keychain that is not there and says why in the log and the status', async () => {
    const { lines, log } = captureLog();
    writeSecrets({ 'core-password': 'from-file' }, 0o600);
    const store = createSecretStore({ secretsFile: file, env: {}, keyring: new FakeKeyring(NO_KEYRING), log });
    expect(await store.get('core-password')).toBe('from-file');
    expect(await store.get('billing-password')).toBeNull();
    const skipped = lines.filter((l) => l.msg === 'secret backend skipped');
    expect(skipped).toHaveLength(1); // once, not on every read
    expect(skipped[0]).toMatchObject({ backend: 'keyring', reason: NO_KEYRING.reason, level: 30 });
    const status = await store.status();
    expect(status.backends).toEqual([
      { name: 'environment', available: true, reason: null },
      { name: 'keyring', available: false, reason: NO_KEYRING.reason },
      { name: 'file', available: true, reason: null },
    ]);
    expect(status.writesTo).toBeNull();
    expect(status.writeRefusal).toMatch(/no OS keychain here/);
  });

  it('logs a missing keychain as an error when the settings ask for the keychain', async () => {
    const { lines, log } = captureLog();
    const store = createSecretStore({ secretsFile: file, env: {}, backend: 'keyring', keyring: new FakeKeyring(NO_KEYRING), log });
    await store.get('core-password');
    expect(lines.find((l) => l.msg === 'secret backend skipped')).toMatchObject({ level: 50 });
  });

  it('does not ask the keychain at all with backend "file"', async () => {
    const keyring = new FakeKeyring();
    keyring.values.set('core-password', 'stale-in-keyring');
    writeSecrets({ 'core-password': 'from-file' }, 0o600);
    const store = createSecretStore({ secretsFile: file, env: {}, backend: 'file', keyring });
    expect(await store.get('core-password')).toBe('from-file');
    expect((await store.status()).backends.map((b) => b.name)).toEqual(['environment', 'file']);
  });
});

describe('the secrets file', () => {
  it.skipIf(process.platform === 'win32')('is refused, with the chmod to run, when other users can read it', async () => {
    writeSecrets({ 'core-password': 'x' }, 0o644);
    const files = new FileSecrets(file);
    await expect(files.get('core-password')).rejects.toThrow(SecretFileError);
    await expect(files.get('core-password')).rejects.toThrow(`run: chmod 600 ${file}`);
    // Through the store too: a loose file is an error, not "no password".
    const store = createSecretStore({ secretsFile: file, env: {}, keyring: new FakeKeyring(NO_KEYRING) });
    await expect(store.get('core-password')).rejects.toThrow(/can be read by other users/);
    chmodSync(file, 0o640);
    await expect(files.get('core-password')).rejects.toThrow(SecretFileError);
    chmodSync(file, 0o600);
    expect(await files.get('core-password')).toBe('x');
  });

  it('is reported when it is not a JSON object', async () => {
    writeFileSync(file, '["x"', { mode: 0o600 });
    await expect(new FileSecrets(file).get('core-password')).rejects.toThrow(/is not a JSON object of secrets/);
  });

  it('is written 0600 and keeps the other secrets when the admin chose it', async () => {
    writeSecrets({ 'api-token': 'keep-me' }, 0o600);
    const store = createSecretStore({ secretsFile: file, env: {}, backend: 'file', keyring: new FakeKeyring() });
    expect(await store.set('core-password', 's3cret')).toEqual({ backend: 'file', overriddenBy: null });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'api-token': 'keep-me', 'core-password': 's3cret' });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.delete('core-password')).toEqual({ backend: 'file', overriddenBy: null });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'api-token': 'keep-me' });
  });

  it('is created 0600 by the first write', async () => {
    const store = createSecretStore({ secretsFile: file, env: {}, backend: 'file' });
    await store.set('billing-password', 'pw');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('billing-password')).toBe('pw');
  });
});

describe('writing secrets', () => {
  it('goes to the keychain by default, never to the file', async () => {
    const keyring = new FakeKeyring();
    const store = createSecretStore({ secretsFile: file, env: {}, keyring });
    expect(await store.set('core-password', 'pw')).toEqual({ backend: 'keyring', overriddenBy: null });
    expect(keyring.values.get('core-password')).toBe('pw');
    expect(existsSync(file)).toBe(false);
    expect(await store.get('core-password')).toBe('pw');
    expect((await store.status()).writesTo).toBe('keyring');
  });

  it('says when an environment variable still wins over what was stored', async () => {
    const store = createSecretStore({ secretsFile: file, env: { BILLING_BRIDGE_CORE_PASSWORD: 'env' }, keyring: new FakeKeyring() });
    expect(await store.set('core-password', 'pw')).toEqual({ backend: 'keyring', overriddenBy: 'environment' });
    expect(await store.get('core-password')).toBe('env');
  });

  it('says when the file still supplies a secret deleted from the keychain', async () => {
    writeSecrets({ 'core-password': 'from-file' }, 0o600);
    const keyring = new FakeKeyring();
    keyring.values.set('core-password', 'k');
    const store = createSecretStore({ secretsFile: file, env: {}, keyring });
    expect(await store.delete('core-password')).toEqual({ backend: 'keyring', overriddenBy: 'file' });
  });

  it('is refused without a keychain, explaining the environment variable and the file setting', async () => {
    const store = createSecretStore({ secretsFile: file, env: {}, keyring: new FakeKeyring(NO_KEYRING) });
    const refused = store.set('core-password', 'pw');
    await expect(refused).rejects.toThrow(SecretWriteRefused);
    await expect(store.set('core-password', 'pw')).rejects.toThrow(
      new RegExp(`no OS keychain here \\(${NO_KEYRING.reason}\\).*BILLING_BRIDGE_CORE_PASSWORD.*"backend": "file".*${file.replace(/[.\\]/g, '\\$&')}.*0600`),
    );
    await expect(store.delete('core-password')).rejects.toThrow(SecretWriteRefused);
    expect(existsSync(file)).toBe(false);
  });

  it('names the setting when the keychain was asked for explicitly', async () => {
    const store = createSecretStore({ secretsFile: file, env: {}, backend: 'keyring', keyring: new FakeKeyring(NO_KEYRING) });
    await expect(store.set('billing-password', 'pw')).rejects.toThrow(/secrets.backend is "keyring", but the OS keychain cannot be used.*BILLING_BRIDGE_BILLING_PASSWORD/);
  });

  it('refuses an empty value', async () => {
    const store = createSecretStore({ secretsFile: file, env: {}, keyring: new FakeKeyring() });
    await expect(store.set('api-token', '')).rejects.toThrow(/empty/);
  });
});
