// Admin operations of sync: status, pause/resume, scans, manual callbacks, dead letters, history.
import type { AdminHandlers } from '../../shared/admin.js';
import { SettingsError } from '../settings/store.js';
import { SyncPausedError, type SyncService } from '../sync/service.js';
import { AdminOpError } from './errors.js';

type SyncOps = 'sync.status' | 'sync.pause' | 'sync.resume' | 'sync.scanNow' | 'sync.resendAll'
  | 'callback.send' | 'outbox.deadLetters' | 'outbox.resend' | 'deliveries.recent';

/** Known refusals become a 409 with their message: a paused sync, a settings file that cannot be saved. */
async function explain<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SyncPausedError) throw new AdminOpError(409, err.message);
    if (err instanceof SettingsError) throw new AdminOpError(409, `the setting sync.enabled could not be saved: ${err.message}`);
    throw err;
  }
}

export function createSyncHandlers(sync: () => SyncService): Pick<AdminHandlers, SyncOps> {
  return {
    'sync.status': async () => sync().status(),
    'sync.pause': async () => {
      await explain(() => sync().pause());
      return sync().status();
    },
    'sync.resume': async () => {
      await explain(() => sync().resume());
      return sync().status();
    },
    'sync.scanNow': () => explain(() => sync().scanNow()),
    'sync.resendAll': () => explain(() => sync().resendAll()),
    'callback.send': async ({ target, id, waitSeconds }) => sync().sendCallback(target, id, waitSeconds * 1000),
    'outbox.deadLetters': async ({ limit }) => sync().deadLetters(limit),
    'outbox.resend': async ({ ids, all }) => sync().resendDead(all ? 'all' : ids ?? []),
    'deliveries.recent': async ({ limit }) => sync().recentDeliveries(limit),
  };
}
