// The dashboard's only door to the core: window.billingBridge.call(op, input), answered with
// { ok: true, result } or { ok: false, error: { error, message } }. Nothing else is exposed.
// CommonJS (.cts → .cjs) because a sandboxed preload cannot be an ES module.
import { contextBridge, ipcRenderer } from 'electron';

type CallResult = { ok: true; result: unknown } | { ok: false; error: { error: string; message: string } };

contextBridge.exposeInMainWorld('billingBridge', {
  // The channel name matches ADMIN_CHANNEL in ipc.ts; the preload cannot import it (sandbox).
  call: (op: string, input: unknown): Promise<CallResult> => ipcRenderer.invoke('admin', op, input),
});
