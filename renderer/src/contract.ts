// The contract's types the screens use, in one import.
import type { LogEntry } from '../../shared/admin.ts';

export type {
  AdminOutput, AllowlistView, CallbackResult, CheckItem, DeadLetter, DeliveryAttempt, LogEntry, ScanReport, SecretName, SecretsStatus, SetupState, SyncStatus,
} from '../../shared/admin.ts';
export type { Settings, SettingsPatch } from '../../shared/settings.ts';

export type LogLevel = LogEntry['level'];
