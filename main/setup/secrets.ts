// The secret store: environment, OS keychain, 0600 file (secrets.backend applies after a restart).
import type { Logger } from '../logging/logger.js';
import { createSecretStore, type SecretStore } from '../secrets/store.js';
import type { SettingsStore } from '../settings/settings-store.js';

export function setupSecrets(d: { secretsFile: string; store: SettingsStore; env?: NodeJS.ProcessEnv; log: Logger }): SecretStore {
  return createSecretStore({ secretsFile: d.secretsFile, env: d.env, backend: d.store.current().secrets.backend, log: d.log.child({ component: 'secrets' }) });
}
