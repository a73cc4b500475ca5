// The state database, opened (and migrated) once, closed last but for the billing. While it runs,
// a write probe every half minute keeps its health current even when nothing else writes, and
// every episode of refused writes is logged when it starts and when it ends.
import type { Logger } from '../logging/logger.js';
import { openState, type State } from '../state/index.js';
import type { Lifecycle } from './lifecycle.js';

/** How often an idle agent checks that the database takes a new row. */
export const WRITE_CHECK_EVERY_MS = 30_000;

const MESSAGES = {
  failing: 'the state database takes no writes; the agent keeps answering and writes what waits once it does',
  recovered: 'the state database takes writes again',
};

/**
 * A file-size limit (ulimit -f, systemd's LimitFSIZE=) makes the kernel send SIGXFSZ to a process
 * whose write passes it, and that kills by default. Node ignores it, but a library that listened
 * for it and stopped (signal-exit, under write-file-atomic) leaves it at the default. With a
 * listener of our own the write fails instead (EFBIG), and the database episode is handled like
 * a full disk.
 */
function survivingFileSizeLimits(): void {
  if (process.platform === 'win32' || process.listenerCount('SIGXFSZ') > 0) return;
  process.on('SIGXFSZ', () => undefined);
}

export function setupState(file: string, log: Logger, life: Lifecycle): State {
  survivingFileSizeLimits();
  let state: State;
  try {
    state = openState(file);
  } catch (err) {
    throw new Error(`the state database ${file} cannot be opened: ${(err as Error).message}`, { cause: err });
  }
  let since: number | null = null;
  state.watchWrites((health) => {
    if (!health.ok) {
      since = health.since;
      log.error({ trouble: health.trouble, err: health.error, file }, MESSAGES.failing);
    } else {
      log.info({ seconds: since === null ? null : Math.round((Date.now() - since) / 1000), file }, MESSAGES.recovered);
      since = null;
    }
  });
  const check = setInterval(() => state.probeWrites(), WRITE_CHECK_EVERY_MS).unref();
  life.add('state database', () => {
    clearInterval(check);
    state.close();
  });
  return state;
}
