// Admin operations of sync: status, pause/resume, scans, manual callbacks, dead letters, history.
import type { AdminHandlers } from '../../shared/admin.js';
import type { SyncService } from '../sync/service.js';

type SyncOps = 'sync.status' | 'sync.pause' | 'sync.resume' | 'sync.scanNow' | 'sync.resendAll'
  | 'callback.send' | 'outbox.deadLetters' | 'outbox.resend' | 'deliveries.recent';

export function createSyncHandlers(sync: () => SyncService): Pick<AdminHandlers, SyncOps> {
  return {
    'sync.status': async () => sync().status(),
    'sync.pause': async () => {
      sync().pause();
      return sync().status();
    },
    'sync.resume': async () => {
      sync().resume();
      return sync().status();
    },
    'sync.scanNow': () => sync().scanNow(),
    'sync.resendAll': () => sync().resendAll(),
    'callback.send': async ({ target, id, waitSeconds }) => sync().sendCallback(target, id, waitSeconds * 1000),
    'outbox.deadLetters': async ({ limit }) => sync().deadLetters(limit),
    'outbox.resend': async ({ ids, all }) => sync().resendDead(all ? 'all' : ids ?? []),
    'deliveries.recent': async ({ limit }) => sync().recentDeliveries(limit),
  };
}
