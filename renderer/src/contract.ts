// The contract's types the screens use, in one import.
import type { z } from 'zod';
import type { LogEntry, SecretNameSchema } from '../../shared/admin.ts';

export type {
  AdminOutput, AllowlistView, CallbackResult, CheckItem, DeadLetter, DeliveryAttempt, LogEntry, ScanReport, SecretsStatus, SetupState, SyncStatus,
} from '../../shared/admin.ts';
export type { Settings, SettingsPatch } from '../../shared/settings.ts';

export type SecretName = z.infer<typeof SecretNameSchema>;
export type LogLevel = LogEntry['level'];
