// The tray app wired together, with a fake Electron and a real core in a temporary data directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runApp } from '../../main/shell/app.js';
import type { AdminAnswer as IpcResult } from '../../shared/wire.js';
import { FakeBrowserWindow, FakeTray, fake, resetFake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

const DEV_URL = 'http://localhost:5173';
const savedDevUrl = process.env.BILLING_BRIDGE_DEV_URL;
const args = (dataDir: string, extra: { hidden?: boolean } = {}) => ({ headless: false, hidden: false, dataDir, host: '127.0.0.1', port: 0, adminPort: 0, ...extra });
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'bb-app-'));

let signalListeners: Array<{ signal: NodeJS.Signals; listeners: Array<(...args: unknown[]) => void> }> = [];
beforeEach(() => {
  resetFake();
  signalListeners = (['SIGTERM', 'SIGINT'] as const).map((signal) => ({ signal, listeners: process.listeners(signal) as Array<(...args: unknown[]) => void> }));
  process.env.BILLING_BRIDGE_DEV_URL = DEV_URL;
});
afterEach(async () => {
  // Quit whatever a test started, as the tray's Quit would.
  if (fake.app.listenerCount('before-quit') > 0) {
    fake.app.fire('before-quit');
    await vi.waitFor(() => expect(fake.app.quits).toBeGreaterThan(0));
  }
  // Only the app's own signal handlers; vitest's stay.
  for (const { signal, listeners } of signalListeners) {
    for (const listener of process.listeners(signal)) if (!listeners.includes(listener as (...args: unknown[]) => void)) process.off(signal, listener);
  }
});
afterAll(() => {
  if (savedDevUrl === undefined) delete process.env.BILLING_BRIDGE_DEV_URL;
  else process.env.BILLING_BRIDGE_DEV_URL = savedDevUrl;
});

function ipc(url: string, op: string, input: unknown = {}): Promise<IpcResult> {
  const handler = fake.handlers.get('admin') as unknown as (e: IpcMainInvokeEvent, op: unknown, input: unknown) => Promise<IpcResult>;
  return handler({ senderFrame: { url, parent: null } } as unknown as IpcMainInvokeEvent, op, input);
}

describe('the tray app', () => {
  it('starts the core, answers the dashboard over IPC, shows the window and the tray, and stops the core on quit', async () => {
    const dataDir = tempDir();
    await runApp(args(dataDir));
    expect([...fake.handlers.keys()]).toEqual(['admin']);
    expect(FakeTray.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]!.loaded).toEqual([{ url: DEV_URL }]);

    const info = await ipc(`${DEV_URL}/#/`, 'agent.info');
    expect(info).toMatchObject({ ok: true, result: { dataDir } });
    expect(await ipc('https://example.com/', 'agent.info')).toMatchObject({ ok: false, error: { error: 'forbidden' } });

    // A second launch brings the window forward.
    fake.app.emit('second-instance', {}, ['billing-bridge'], '/');
    expect(FakeBrowserWindow.instances[0]!.focused).toBe(1);

    // Quit waits for the core to stop, then quits for real.
    const quitting = fake.app.fire('before-quit');
    expect(quitting.defaultPrevented).toBe(true);
    expect(FakeTray.instances[0]!.destroyed).toBe(true);
    await vi.waitFor(() => expect(fake.app.quits).toBe(1));
    expect(fake.app.fire('before-quit').defaultPrevented).toBe(false);
    expect(await ipc(`${DEV_URL}/`, 'sync.status')).toMatchObject({ ok: false });
  });

  it('stays in the tray when started at login (--hidden) and when its window closes', async () => {
    await runApp(args(tempDir(), { hidden: true }));
    expect(FakeTray.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.app.listenerCount('window-all-closed')).toBe(1);
  });

  it('sets nothing up when another instance runs', async () => {
    fake.app.lock = false;
    await runApp(args(tempDir()));
    expect(fake.app.quits).toBe(1);
    expect(fake.handlers.size).toBe(0);
    expect(FakeTray.instances).toHaveLength(0);
  });

  it('explains a core that cannot start and exits', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'settings.json'), '{"version": 1, "server": {"port": "80"}}');
    await runApp(args(dataDir));
    expect(fake.dialogs.errorBoxes).toEqual([['Billing Bridge не запустился', expect.stringContaining('server.port')]]);
    expect(fake.app.exitCode).toBe(1);
    expect(FakeTray.instances).toHaveLength(0);
  });
});
