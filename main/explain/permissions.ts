// Which services grant which app permissions: the platform keeps that map ("Tariffs" →
// "Permissions"); the agent needs a copy only to explain a verdict.
import { DEMO_SERVICE_PERMISSIONS } from '../billing/demo/fixtures.js';
import type { Settings } from '../../shared/settings.js';

/** The permission that opens the door (seed 001 §3). */
export const DOOR_PERMISSION = 'open_relay';

export type PermissionMap = Readonly<Record<string, readonly string[]>>;

/** The map in force: the setting, else the demo billing's own; null when nobody said. */
export function servicePermissions(settings: Settings, billingKind: string): PermissionMap | null {
  return settings.permissions.services ?? (billingKind === 'demo' ? DEMO_SERVICE_PERMISSIONS : null);
}
