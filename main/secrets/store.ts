// Secrets (core's callback password, the billing's password) never live in the settings file.
// They are looked up in order: environment variables (headless services, containers), the OS
// keychain (when one is available, e.g. the tray app's desktop), and a file in the data directory
// that only its owner can read — used only when the admin put it there on purpose.
import { existsSync, readFileSync, statSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export const SECRET_NAMES = ['core-password', 'billing-password', 'api-token'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** The environment variable for each secret (documented in the README). */
export const SECRET_ENV: Record<SecretName, string> = {
  'core-password': 'BILLING_BRIDGE_CORE_PASSWORD',
  'billing-password': 'BILLING_BRIDGE_BILLING_PASSWORD',
  'api-token': 'BILLING_BRIDGE_API_TOKEN',
};

export interface SecretBackend {
  readonly name: string;
  get(name: SecretName): Promise<string | null>;
  set?(name: SecretName, value: string): Promise<void>;
  delete?(name: SecretName): Promise<void>;
}

export class EnvSecrets implements SecretBackend {
  readonly name = 'environment';
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}
  async get(name: SecretName): Promise<string | null> {
    const value = this.env[SECRET_ENV[name]];
    return value ? value : null;
  }
}

export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

/** A JSON file of secrets readable only by its owner; anything looser is refused, not read. */
export class FileSecrets implements SecretBackend {
  readonly name = 'file';
  constructor(readonly file: string) {}

  private read(): Partial<Record<SecretName, string>> {
    if (!existsSync(this.file)) return {};
    if (process.platform !== 'win32' && (statSync(this.file).mode & 0o077) !== 0) {
      throw new SecretFileError(`${this.file} can be read by other users; run: chmod 600 ${this.file}`);
    }
    try {
      const doc = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (typeof doc !== 'object' || doc === null) throw new Error('not an object');
      return doc as Partial<Record<SecretName, string>>;
    } catch (err) {
      throw new SecretFileError(`${this.file} is not a JSON object of secrets: ${(err as Error).message}`);
    }
  }

  async get(name: SecretName): Promise<string | null> {
    const value = this.read()[name];
    return typeof value === 'string' && value !== '' ? value : null;
  }

  async set(name: SecretName, value: string): Promise<void> {
    writeFileAtomic.sync(this.file, `${JSON.stringify({ ...this.read(), [name]: value }, null, 2)}\n`, { mode: 0o600 });
  }

  async delete(name: SecretName): Promise<void> {
    const doc = this.read();
    delete doc[name];
    writeFileAtomic.sync(this.file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  }
}

export class SecretStore {
  constructor(private readonly backends: SecretBackend[]) {}

  /** The first backend that has the secret wins; null when none has it. */
  async get(name: SecretName): Promise<string | null> {
    for (const backend of this.backends) {
      const value = await backend.get(name);
      if (value !== null) return value;
    }
    return null;
  }

  /** Where each secret comes from, for status screens: never the value. */
  async describe(): Promise<Record<SecretName, string | null>> {
    const out = {} as Record<SecretName, string | null>;
    for (const name of SECRET_NAMES) {
      out[name] = null;
      for (const backend of this.backends) {
        if ((await backend.get(name)) !== null) {
          out[name] = backend.name;
          break;
        }
      }
    }
    return out;
  }
}

export function createSecretStore(options: { secretsFile: string; env?: NodeJS.ProcessEnv }): SecretStore {
  return new SecretStore([new EnvSecrets(options.env), new FileSecrets(options.secretsFile)]);
}
