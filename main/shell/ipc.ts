// The one IPC channel (ADMIN_CHANNEL). The dashboard's window.billingBridge.call(op, input) lands
// here. Every call is checked — sender frame, operation name, input schema — and answered with an
// AdminAnswer; errors never cross the boundary as exceptions.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { AdminContract, type AdminInput, type AdminOp } from '../../shared/admin.js';
import { ADMIN_CHANNEL, type AdminAnswer } from '../../shared/wire.js';
import { parseInput } from '../admin/in-process.js';
import { toWire } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { AdminTransport } from './transport.js';

export interface IpcOptions {
  /** Null while the core is starting. */
  transport: () => AdminTransport | null;
  /** Whether a frame URL is the dashboard page. */
  isTrustedUrl: (url: string) => boolean;
  log?: Logger;
}

function fail(error: string, message: string): AdminAnswer {
  return { ok: false, error: { error, message } };
}

/** The sender must be the dashboard page itself: a main frame (no iframes) at our URL. */
function senderProblem(event: IpcMainInvokeEvent, isTrustedUrl: (url: string) => boolean): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the calling page is gone';
  if (frame.parent !== null) return 'calls from embedded frames are not accepted';
  if (!isTrustedUrl(frame.url)) return `calls are accepted from the dashboard page only, not from ${frame.url}`;
  return null;
}

export function createAdminIpcHandler(options: IpcOptions) {
  return async (event: IpcMainInvokeEvent, op: unknown, input: unknown): Promise<AdminAnswer> => {
    const problem = senderProblem(event, options.isTrustedUrl);
    if (problem) {
      options.log?.warn({ url: event.senderFrame?.url, op: typeof op === 'string' ? op : typeof op }, 'IPC call refused');
      return fail('forbidden', problem);
    }
    if (typeof op !== 'string' || !Object.hasOwn(AdminContract, op)) {
      return fail('bad_request', `there is no admin operation ${JSON.stringify(op) ?? String(op)}`);
    }
    const name = op as AdminOp;
    const transport = options.transport();
    if (!transport) return fail('service_unavailable', 'the agent is still starting; try again in a moment');
    try {
      const parsed = parseInput(name, input);
      return { ok: true, result: await transport.call(name, parsed as AdminInput<typeof name>) };
    } catch (err) {
      return { ok: false, error: toWire(err, options.log, { op: name }).body };
    }
  };
}

/** Registers the channel; the returned function removes it. Nothing else calls ipcMain. */
export function setupIpc(options: IpcOptions): () => void {
  ipcMain.handle(ADMIN_CHANNEL, createAdminIpcHandler(options));
  return () => ipcMain.removeHandler(ADMIN_CHANNEL);
}
