// Secrets (core's callback password, the billing's password) never live in the settings file.
// They are looked up in order: environment variables (headless services, containers), the OS
// keychain (when one is available, e.g. the tray app's desktop), and a file in the data directory
// that only its owner can read — used only when the admin put it there on purpose.
import { existsSync, readFileSync, statSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { SECRET_NAMES, type SecretName } from '../../shared/admin.js';
import { ExposedError } from '../../shared/wire.js';
import type { Logger } from '../logging/logger.js';
import { KeyringSecrets, type Availability } from './keyring.js';

export { SECRET_NAMES, type SecretName };

/** The environment variable for each secret (documented in the README). */
export const SECRET_ENV: Record<SecretName, string> = {
  'core-password': 'BILLING_BRIDGE_CORE_PASSWORD',
  'billing-password': 'BILLING_BRIDGE_BILLING_PASSWORD',
  'api-token': 'BILLING_BRIDGE_API_TOKEN',
};

export interface SecretBackend {
  readonly name: string;
  /** Absent: always usable. A backend that is not (no keychain here) is skipped, with the reason. */
  available?(): Promise<Availability>;
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

/** secrets.backend in the settings. */
export type SecretsBackendSetting = 'auto' | 'keyring' | 'file';

/** Saving a secret here is refused (no keychain, no file chosen): the message says what to do (409). */
export class SecretWriteRefused extends ExposedError {
  override name = 'SecretWriteRefused';
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export interface BackendStatus {
  name: string;
  available: boolean;
  reason: string | null;
}

export interface SecretStoreStatus {
  setting: SecretsBackendSetting;
  /** Where set() writes; null when writes are refused (see writeRefusal). */
  writesTo: string | null;
  writeRefusal: string | null;
  backends: BackendStatus[];
}

export interface WriteResult {
  /** The backend written to. */
  backend: string;
  /** A backend earlier in the order that still supplies a value (an environment variable wins
   *  over the keychain): what the agent will use instead. */
  overriddenBy: string | null;
}

export interface SecretStoreOptions {
  setting?: SecretsBackendSetting;
  /** The backend set() and delete() write to; null: writes are refused with `refusal`. */
  writer: SecretBackend | null;
  refusal?: (name: SecretName) => Promise<string>;
  log?: Logger;
}

export class SecretStore {
  private readonly skipped = new Map<string, string>();

  constructor(
    private readonly backends: SecretBackend[],
    private readonly options: SecretStoreOptions = { writer: null },
  ) {}

  /** A backend that cannot be used here is skipped — logged once with the reason, never silently. */
  private async usable(backend: SecretBackend): Promise<boolean> {
    if (!backend.available) return true;
    const { available, reason } = await backend.available();
    const before = this.skipped.get(backend.name);
    if (available) {
      if (before !== undefined) this.options.log?.info({ backend: backend.name }, 'secret backend is available again');
      this.skipped.delete(backend.name);
      return true;
    }
    const why = reason ?? 'unavailable';
    if (before !== why) {
      // Expected on servers with backend auto (no desktop session); a fault when the keychain was asked for.
      const level = this.options.setting === 'keyring' ? 'error' : 'info';
      this.options.log?.[level]({ backend: backend.name, reason: why }, 'secret backend skipped');
      this.skipped.set(backend.name, why);
    }
    return false;
  }

  /** The first usable backend that has the secret wins; null when none has it. */
  async get(name: SecretName): Promise<string | null> {
    for (const backend of this.backends) {
      if (!(await this.usable(backend))) continue;
      const value = await backend.get(name);
      if (value !== null) return value;
    }
    return null;
  }

  /** Where each secret comes from, for status screens: never the value. */
  async describe(): Promise<Record<SecretName, string | null>> {
    const out = {} as Record<SecretName, string | null>;
    for (const name of SECRET_NAMES) out[name] = await this.source(name);
    return out;
  }

  private async source(name: SecretName): Promise<string | null> {
    for (const backend of this.backends) {
      if (!(await this.usable(backend))) continue;
      if ((await backend.get(name)) !== null) return backend.name;
    }
    return null;
  }

  /** Which backends are used, which are skipped and why, and where writes go. */
  async status(): Promise<SecretStoreStatus> {
    const backends: BackendStatus[] = [];
    for (const backend of this.backends) {
      const { available, reason } = backend.available ? await backend.available() : { available: true, reason: null };
      backends.push({ name: backend.name, available, reason });
    }
    const writer = await this.writer('core-password').then(() => null, (err: Error) => err.message);
    return {
      setting: this.options.setting ?? 'auto',
      writesTo: writer === null ? this.options.writer?.name ?? null : null,
      writeRefusal: writer,
      backends,
    };
  }

  private async writer(name: SecretName): Promise<SecretBackend & Required<Pick<SecretBackend, 'set' | 'delete'>>> {
    const writer = this.options.writer;
    if (writer?.set && writer.delete && (await this.usable(writer))) {
      return writer as SecretBackend & Required<Pick<SecretBackend, 'set' | 'delete'>>;
    }
    throw new SecretWriteRefused(this.options.refusal ? await this.options.refusal(name) : `${name} cannot be stored here`);
  }

  /** Stores a secret where the settings say (the keychain unless the admin chose the file). */
  async set(name: SecretName, value: string): Promise<WriteResult> {
    if (value === '') throw new SecretWriteRefused(`an empty ${name} cannot be stored; delete it instead`);
    const writer = await this.writer(name);
    await writer.set(name, value);
    this.options.log?.info({ name, backend: writer.name }, 'secret stored');
    return { backend: writer.name, overriddenBy: await this.earlierSource(name, writer) };
  }

  /** Removes a secret from the backend set() writes to. Another backend may still supply it. */
  async delete(name: SecretName): Promise<WriteResult> {
    const writer = await this.writer(name);
    await writer.delete(name);
    this.options.log?.info({ name, backend: writer.name }, 'secret deleted');
    return { backend: writer.name, overriddenBy: await this.source(name) };
  }

  private async earlierSource(name: SecretName, writer: SecretBackend): Promise<string | null> {
    for (const backend of this.backends) {
      if (backend === writer) return null;
      if ((await this.usable(backend)) && (await backend.get(name)) !== null) return backend.name;
    }
    return null;
  }
}

export interface CreateSecretStoreOptions {
  secretsFile: string;
  env?: NodeJS.ProcessEnv;
  /** secrets.backend from the settings; auto when absent. */
  backend?: SecretsBackendSetting;
  /** The keychain; tests pass their own. Default: the OS keychain, service "billing-bridge". */
  keyring?: SecretBackend;
  log?: Logger;
}

/**
 * Reads: environment variables, then the OS keychain (not with backend "file"), then the 0600
 * file if the admin created it. Writes: the keychain, or the file only when backend is "file";
 * without a keychain they are refused with the ways that work instead — never a silent file.
 */
export function createSecretStore(options: CreateSecretStoreOptions): SecretStore {
  const setting = options.backend ?? 'auto';
  const env = new EnvSecrets(options.env);
  const file = new FileSecrets(options.secretsFile);
  if (setting === 'file') {
    return new SecretStore([env, file], { setting, writer: file, log: options.log });
  }
  const keyring = options.keyring ?? new KeyringSecrets();
  const refusal = async (name: SecretName): Promise<string> => {
    const reason = (await keyring.available?.())?.reason ?? 'it is not available';
    const lead = setting === 'keyring'
      ? `secrets.backend is "keyring", but the OS keychain cannot be used: ${reason}.`
      : `${name} was not stored: there is no OS keychain here (${reason}), and secrets are not written to a plaintext file unless you choose that.`;
    return `${lead} Either set the environment variable ${SECRET_ENV[name]} for the agent (for a service: in its EnvironmentFile), `
      + `or set "secrets": {"backend": "file"} in settings.json to keep secrets in ${options.secretsFile} (readable by this user only, mode 0600).`;
  };
  return new SecretStore([env, keyring, file], { setting, writer: keyring, refusal, log: options.log });
}
