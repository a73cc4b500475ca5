// The dashboard's only door to the core: window.billingBridge.call(op, input), answered with an
// AdminAnswer ({ ok: true, result } or { ok: false, error }). Nothing else is exposed.
// CommonJS (.cts → .cjs) because a sandboxed preload cannot be an ES module, and it can require
// nothing but electron: the types come from shared/wire.ts and tsc checks the channel's name
// against ADMIN_CHANNEL there.
import { contextBridge, ipcRenderer } from 'electron';
import type { ADMIN_CHANNEL, AdminAnswer } from '../../shared/wire.js';

const channel: typeof ADMIN_CHANNEL = 'admin';

contextBridge.exposeInMainWorld('billingBridge', {
  call: (op: string, input: unknown): Promise<AdminAnswer> => ipcRenderer.invoke(channel, op, input),
});
