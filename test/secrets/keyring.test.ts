// KeyringSecrets against the real OS keychain (on Linux: the Secret Service of gnome-keyring).
// Run under a private session bus:
//   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/secrets'
// Without a Secret Service these tests are skipped — unless BILLING_BRIDGE_REQUIRE_KEYRING=1
// (CI), where its absence is a failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYRING_SERVICE, KeyringSecrets } from '../../main/secrets/keyring.js';
import { SECRET_NAMES, createSecretStore } from '../../main/secrets/store.js';

// A service name of our own: the tests never see or touch a person's real billing-bridge entries.
const service = `${KEYRING_SERVICE}-test-${process.pid}-${Date.now()}`;
const keyring = new KeyringSecrets({ service });
const probe = await keyring.available();
const required = process.env.BILLING_BRIDGE_REQUIRE_KEYRING === '1';

describe('the OS keychain', () => {
  it('answers here (required when BILLING_BRIDGE_REQUIRE_KEYRING=1)', (ctx) => {
    if (!probe.available && required) {
      expect.fail(`BILLING_BRIDGE_REQUIRE_KEYRING=1 but no OS keychain answers: ${probe.reason}. `
        + 'Run the tests under dbus-run-session with gnome-keyring-daemon --unlock --components=secrets '
        + '(packages gnome-keyring, dbus).');
    }
    if (!probe.available) ctx.skip(`no OS keychain here (${probe.reason}); set BILLING_BRIDGE_REQUIRE_KEYRING=1 to make this a failure`);
    expect(probe).toEqual({ available: true, reason: null });
  });
});

describe.skipIf(!probe.available)('KeyringSecrets with a real keychain', () => {
  afterAll(async () => {
    for (const name of SECRET_NAMES) await keyring.delete(name).catch(() => undefined);
  });

  it('stores, reads, replaces and deletes a secret', async () => {
    expect(await keyring.get('core-password')).toBeNull();
    await keyring.set('core-password', 'Пароль с пробелом & "кавычками"');
    expect(await keyring.get('core-password')).toBe('Пароль с пробелом & "кавычками"');
    await keyring.set('core-password', 'second');
    expect(await keyring.get('core-password')).toBe('second');
    // Another instance (another process would be the same) sees it: it is in the keychain.
    expect(await new KeyringSecrets({ service }).get('core-password')).toBe('second');
    await keyring.delete('core-password');
    expect(await keyring.get('core-password')).toBeNull();
    await keyring.delete('core-password'); // deleting what is not there is fine
  });

  it('keeps each secret in its own entry', async () => {
    await keyring.set('billing-password', 'b');
    await keyring.set('api-token', 't');
    expect(await keyring.get('billing-password')).toBe('b');
    expect(await keyring.get('api-token')).toBe('t');
    expect(await new KeyringSecrets({ service: `${service}-other` }).get('billing-password')).toBeNull();
  });

  it('is where the store writes by default, behind the environment and ahead of the file', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bb-keyring-')), 'secrets.json');
    const store = createSecretStore({ secretsFile: file, env: { BILLING_BRIDGE_API_TOKEN: 'env-token' }, keyring });
    expect((await store.status()).writesTo).toBe('keyring');
    expect(await store.set('core-password', 'via-store')).toEqual({ backend: 'keyring', overriddenBy: null });
    expect(await store.set('api-token', 'stored')).toEqual({ backend: 'keyring', overriddenBy: 'environment' });
    expect(await store.get('core-password')).toBe('via-store');
    expect(await store.get('api-token')).toBe('env-token');
    expect(await store.describe()).toMatchObject({ 'core-password': 'keyring', 'api-token': 'environment' });
    expect(existsSync(file)).toBe(false);
    await store.delete('core-password');
    expect(await store.get('core-password')).toBeNull();
  });
});

describe('a session without a Secret Service', () => {
  // A child process: the native library keeps its D-Bus connection, so this process cannot lose it.
  it('makes the keychain unavailable with a reason, and writes refused (no fallback to keyutils or a file)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-keyring-'));
    const script = `
      import { KeyringSecrets } from './main/secrets/keyring.ts';
      import { createSecretStore } from './main/secrets/store.ts';
      const keyring = new KeyringSecrets({ service: ${JSON.stringify(service)} });
      const store = createSecretStore({ secretsFile: ${JSON.stringify(path.join(dir, 'secrets.json'))}, env: {}, keyring });
      const availability = await keyring.available();
      const value = await store.get('core-password');
      const refused = await store.set('core-password', 'pw').then(() => null, (err) => err.name + ': ' + err.message);
      console.log(JSON.stringify({ availability, value, refused }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-such-bus')}` },
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { availability: { available: boolean; reason: string }; value: unknown; refused: string };
    expect(result.availability.available).toBe(false);
    if (process.platform === 'linux') expect(result.availability.reason).toMatch(/no Secret Service/);
    expect(result.value).toBeNull();
    expect(result.refused).toMatch(/^SecretWriteRefused: core-password was not stored: there is no OS keychain here/);
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
  });
});
