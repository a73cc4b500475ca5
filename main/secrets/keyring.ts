// Secrets in the OS keychain: Secret Service on Linux (GNOME Keyring, KWallet), Credential
// Manager on Windows, Keychain on macOS. One entry per secret: service "billing-bridge",
// account = the secret's name.
import type { SecretBackend, SecretName } from './store.js';

export const KEYRING_SERVICE = 'billing-bridge';

/** The part of @napi-rs/keyring's AsyncEntry we use; tests may pass a fake. */
export interface KeyringEntry {
  getPassword(signal?: AbortSignal | null): Promise<string | null | undefined>;
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  deletePassword(signal?: AbortSignal | null): Promise<boolean>;
}

export interface Availability {
  available: boolean;
  /** Why not, in words an admin can act on; null when available. */
  reason: string | null;
}

export class SecretBackendError extends Error {
  override name = 'SecretBackendError';
}

export interface KeyringOptions {
  /** Tests use their own service name so they never touch a person's real entries. */
  service?: string;
  /** A keychain that does not answer within this time counts as absent. */
  probeTimeoutMs?: number;
  /** After a failed probe, try again this much later (someone may log in or start the daemon). */
  retryAfterMs?: number;
  entry?: (service: string, account: string) => KeyringEntry;
  now?: () => number;
}

// Loaded on first use, so a platform without the native binary still runs the agent (the keychain
// is then reported as unavailable, with the loader's error as the reason).
let keyringModule: Promise<typeof import('@napi-rs/keyring')> | null = null;

// Linux: only the Secret Service. Left to its defaults the library falls back to the kernel
// keyring (keyutils), which forgets everything at logout or reboot — a silent loss of secrets.
function osEntry(service: string, account: string): KeyringEntry {
  const entry = async () => {
    keyringModule ??= import('@napi-rs/keyring');
    const { AsyncEntry } = await keyringModule;
    return new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  };
  return {
    getPassword: async (signal) => (await entry()).getPassword(signal),
    setPassword: async (password, signal) => (await entry()).setPassword(password, signal),
    deletePassword: async (signal) => (await entry()).deletePassword(signal),
  };
}

const PROBE_ACCOUNT = 'availability-probe';

export class KeyringSecrets implements SecretBackend {
  readonly name = 'keyring';
  readonly service: string;
  private readonly entry: (service: string, account: string) => KeyringEntry;
  private probed: { at: number; result: Availability } | null = null;
  private probing: Promise<Availability> | null = null;

  constructor(private readonly options: KeyringOptions = {}) {
    this.service = options.service ?? KEYRING_SERVICE;
    this.entry = options.entry ?? osEntry;
  }

  /** Whether a keychain answers here. Reading an entry that does not exist is the cheapest
   *  question that needs the whole path (D-Bus, the daemon) and never shows an unlock prompt. */
  async available(): Promise<Availability> {
    const now = (this.options.now ?? Date.now)();
    if (this.probed && (this.probed.result.available || now - this.probed.at < (this.options.retryAfterMs ?? 60_000))) {
      return this.probed.result;
    }
    this.probing ??= this.probe().then((result) => {
      this.probed = { at: now, result };
      this.probing = null;
      return result;
    });
    return this.probing;
  }

  private async probe(): Promise<Availability> {
    const timeoutMs = this.options.probeTimeoutMs ?? 3_000;
    try {
      await this.entry(this.service, PROBE_ACCOUNT).getPassword(AbortSignal.timeout(timeoutMs));
      return { available: true, reason: null };
    } catch (err) {
      return { available: false, reason: unavailableReason(err, timeoutMs) };
    }
  }

  async get(name: SecretName): Promise<string | null> {
    try {
      const value = await this.entry(this.service, name).getPassword();
      return value ? value : null;
    } catch (err) {
      throw new SecretBackendError(`the OS keychain could not be read (${name}): ${message(err)}; unlock the keychain or set the secret in an environment variable`);
    }
  }

  async set(name: SecretName, value: string): Promise<void> {
    try {
      await this.entry(this.service, name).setPassword(value);
    } catch (err) {
      throw new SecretBackendError(`the OS keychain refused to store ${name}: ${message(err)}`);
    }
  }

  async delete(name: SecretName): Promise<void> {
    try {
      await this.entry(this.service, name).deletePassword();
    } catch (err) {
      throw new SecretBackendError(`the OS keychain refused to delete ${name}: ${message(err)}`);
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function unavailableReason(err: unknown, timeoutMs: number): string {
  const text = message(err);
  if ((err as { name?: string }).name === 'TimeoutError' || (err as { name?: string }).name === 'AbortError') {
    return `the OS keychain did not answer within ${timeoutMs} ms`;
  }
  if (process.platform === 'linux') {
    return `no Secret Service (GNOME Keyring, KWallet) answers on this machine's session bus: ${text}`;
  }
  return `the OS keychain cannot be used: ${text}`;
}
