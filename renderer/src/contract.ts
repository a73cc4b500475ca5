// The contract's types the screens use, in one import.
import type { z } from 'zod';
import type { CheckItem as CheckItemSchema, LogEntry, SecretNameSchema } from '../../shared/admin.ts';

export type {
  AdminOutput, AllowlistView, CallbackResult, DeadLetter, DeliveryAttempt, LogEntry, ScanReport, SecretsStatus, SetupState, SyncStatus,
} from '../../shared/admin.ts';

export type CheckItem = z.infer<typeof CheckItemSchema>;
export type SecretName = z.infer<typeof SecretNameSchema>;
export type LogLevel = LogEntry['level'];
