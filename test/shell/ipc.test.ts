// The admin IPC channel: who may call, what may be called, and what comes back.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminOp } from '../../shared/admin.js';
import { AdminOpError } from '../../main/admin/errors.js';
import { BillingUnavailableError } from '../../main/billing/source.js';
import { createAdminIpcHandler, setupIpc } from '../../main/shell/ipc.js';
import { ADMIN_CHANNEL, type AdminAnswer as IpcResult } from '../../shared/wire.js';
import { isDashboardUrl, rendererLocation } from '../../main/shell/renderer.js';
import { AdminCallError } from '../../shared/admin-client.js';
import { inProcessTransport, type AdminTransport } from '../../main/shell/transport.js';
import { fake, resetFake } from './fake-electron.js';
import { syncStatus } from './fixtures.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

const root = path.resolve(import.meta.dirname, '../..');
const location = rendererLocation({ root, packaged: false });
const dashboardUrl = pathToFileURL(location.indexFile).href;
const isTrustedUrl = (url: string) => isDashboardUrl(url, location);

interface Frame {
  url: string;
  parent: Frame | null;
}

function event(url: string | null, parent: Frame | null = null): IpcMainInvokeEvent {
  return { senderFrame: url === null ? null : { url, parent } } as unknown as IpcMainInvokeEvent;
}

function recordingTransport(answer: (op: AdminOp, input: unknown) => unknown = () => syncStatus()) {
  const calls: Array<{ op: AdminOp; input: unknown }> = [];
  const transport: AdminTransport = {
    kind: 'attached',
    adminUrl: 'http://127.0.0.1:1',
    call: (async (op: AdminOp, input: unknown) => {
      calls.push({ op, input });
      return answer(op, input);
    }) as AdminTransport['call'],
    close: async () => undefined,
  };
  return { transport, calls };
}

describe('the sender check', () => {
  const { transport, calls } = recordingTransport();
  const handle = createAdminIpcHandler({ transport: () => transport, isTrustedUrl });

  it('accepts the packaged dashboard page, whatever its route', async () => {
    expect(await handle(event(dashboardUrl), 'sync.status', {})).toEqual({ ok: true, result: syncStatus() });
    expect(await handle(event(`${dashboardUrl}#/callbacks`), 'sync.status', {})).toMatchObject({ ok: true });
    expect(await handle(event(`${dashboardUrl}?x=1#/logs`), 'sync.status', undefined)).toMatchObject({ ok: true });
  });

  it.each([
    ['another local file', pathToFileURL(path.join(root, 'renderer', 'dist', 'evil.html')).href],
    ['a file with the same name elsewhere', pathToFileURL('/tmp/renderer/dist/index.html').href],
    ['a web page', 'https://example.com/index.html'],
    ['a loopback page that is not the dev server', 'http://127.0.0.1:8081/'],
    ['a UNC-style file URL', `file://evil.example${location.indexFile}`],
    ['about:blank', 'about:blank'],
    ['garbage', 'not a url'],
  ])('refuses %s', async (_name, url) => {
    const before = calls.length;
    const result = await handle(event(url), 'sync.status', {});
    expect(result).toEqual({ ok: false, error: { error: 'forbidden', message: expect.stringContaining('dashboard page only') } });
    expect(calls.length).toBe(before);
  });

  it('refuses embedded frames, even at the dashboard URL, and vanished frames', async () => {
    const top: Frame = { url: dashboardUrl, parent: null };
    expect(await handle(event(dashboardUrl, top), 'sync.status', {})).toEqual({ ok: false, error: { error: 'forbidden', message: 'calls from embedded frames are not accepted' } });
    expect(await handle(event(null), 'sync.status', {})).toEqual({ ok: false, error: { error: 'forbidden', message: 'the calling page is gone' } });
  });

  it('accepts the dev server only when not packaged and only on loopback', () => {
    const dev = rendererLocation({ root, packaged: false, devUrl: 'http://localhost:5173' });
    expect(isDashboardUrl('http://localhost:5173/#/callbacks', dev)).toBe(true);
    expect(isDashboardUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isDashboardUrl('http://localhost:5173/', location)).toBe(false);
    expect(rendererLocation({ root, packaged: true, devUrl: 'http://localhost:5173' }).devUrl).toBeNull();
    expect(() => rendererLocation({ root, packaged: false, devUrl: 'http://example.com:5173' })).toThrow(/on this machine/);
  });
});

describe('operation and input checks', () => {
  let calls: Array<{ op: AdminOp; input: unknown }>;
  let handle: (e: IpcMainInvokeEvent, op: unknown, input: unknown) => Promise<IpcResult>;
  beforeEach(() => {
    const t = recordingTransport((op, input) => ({ op, input }));
    calls = t.calls;
    handle = createAdminIpcHandler({ transport: () => t.transport, isTrustedUrl });
  });
  const ok = event(dashboardUrl);

  it.each([
    ['an unknown operation', 'sync.explode'],
    ['a prototype key', 'constructor'],
    ['a number', 42],
    ['nothing', undefined],
  ])('refuses %s', async (_name, op) => {
    const result = await handle(ok, op, {});
    expect(result).toEqual({ ok: false, error: { error: 'bad_request', message: expect.stringMatching(/^there is no admin operation/) } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['unknown keys', 'sync.status', { extra: 1 }, /Unrecognized key/],
    ['a missing field', 'callback.send', { id: '12331231' }, /^callback.send: target: /],
    ['a wrong type', 'callback.send', { target: 'contract', id: 12331231 }, /^callback.send: id: /],
    ['out of range', 'callback.send', { target: 'contract', id: '1', waitSeconds: 600 }, /waitSeconds/],
    ['not an object', 'outbox.resend', 'all', /^outbox.resend: /],
  ])('refuses input with %s', async (_name, op, input, message) => {
    const result = await handle(ok, op, input);
    expect(result).toMatchObject({ ok: false, error: { error: 'bad_request' } });
    expect((result as { error: { message: string } }).error.message).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('passes valid input on with the defaults filled in', async () => {
    expect(await handle(ok, 'callback.send', { target: 'contract', id: ' 12331231 ' })).toEqual({
      ok: true,
      result: { op: 'callback.send', input: { target: 'contract', id: '12331231', waitSeconds: 5 } },
    });
    expect(await handle(ok, 'deliveries.recent', {})).toMatchObject({ ok: true, result: { input: { limit: 50 } } });
  });

  it('answers while the core is starting instead of throwing', async () => {
    const starting = createAdminIpcHandler({ transport: () => null, isTrustedUrl });
    expect(await starting(ok, 'sync.status', {})).toEqual({ ok: false, error: { error: 'service_unavailable', message: expect.stringContaining('starting') } });
  });
});

describe('errors come back as values', () => {
  const handlerThat = (fail: () => never) => {
    const transport = inProcessTransport({
      handlers: { 'sync.pause': async () => fail() } as never,
      adminUrl: 'http://127.0.0.1:1',
      stop: async () => undefined,
    });
    return createAdminIpcHandler({ transport: () => transport, isTrustedUrl });
  };

  it.each([
    ['a refusal meant for the caller', () => { throw new AdminOpError(409, 'sync is paused: resume it first'); }, { error: 'conflict', message: 'sync is paused: resume it first' }],
    ['a billing outage', () => { throw new BillingUnavailableError('down'); }, { error: 'billing_unavailable', message: expect.stringContaining('cannot be reached') }],
    ['a transport failure', () => { throw new AdminCallError('agent_unreachable', 'nothing answers'); }, { error: 'agent_unreachable', message: 'nothing answers' }],
    ['an unexpected failure, without its details', () => { throw new Error('SQLITE_CORRUPT at /secret/path'); }, { error: 'internal_error', message: 'The agent failed to answer; its log has the details.' }],
  ])('%s', async (_name, fail, error) => {
    expect(await handlerThat(fail as () => never)(event(dashboardUrl), 'sync.pause', {})).toEqual({ ok: false, error });
  });
});

describe('registration', () => {
  beforeEach(() => resetFake());

  it('registers exactly one handler, on the "admin" channel, and removes it', async () => {
    const { transport } = recordingTransport();
    const dispose = setupIpc({ transport: () => transport, isTrustedUrl });
    expect([...fake.handlers.keys()]).toEqual([ADMIN_CHANNEL]);
    const handler = fake.handlers.get('admin') as unknown as (e: IpcMainInvokeEvent, op: unknown, input: unknown) => Promise<IpcResult>;
    expect(await handler(event(dashboardUrl), 'sync.status', {})).toMatchObject({ ok: true });
    expect(() => setupIpc({ transport: () => transport, isTrustedUrl })).toThrow(/second handler/);
    dispose();
    expect(fake.handlers.size).toBe(0);
  });

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? sources(file) : /\.[cm]?ts$/.test(name) ? [file] : [];
    });
  }

  it('is the only use of ipcMain, and only main/shell imports electron', () => {
    for (const file of [...sources(path.join(root, 'main')), ...sources(path.join(root, 'shared'))]) {
      const text = readFileSync(file, 'utf8');
      const rel = path.relative(root, file).split(path.sep).join('/');
      if (/\bipcMain\b/.test(text.replace(/\/\/.*$/gm, ''))) expect(rel).toBe('main/shell/ipc.ts');
      if (/from ['"]electron['"]|require\(['"]electron['"]\)|import\(['"]electron['"]\)/.test(text)) expect(rel).toMatch(/^main\/shell\//);
    }
  });
});
