import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminOp } from '../../shared/admin.js';
import { trayIconPng } from '../../main/shell/icons.js';
import { STRINGS, pickLanguage } from '../../main/shell/strings.js';
import { buildTrayMenu, statusLine, trayState, type TrayActions, type TrayView } from '../../main/shell/tray-menu.js';
import { setupTray, type ShellTray } from '../../main/shell/tray.js';
import { AdminCallError } from '../../shared/admin-client.js';
import type { AdminTransport } from '../../main/shell/transport.js';
import { FakeTray, resetFake, type FakeMenu, type FakeNativeImage } from './fake-electron.js';
import { syncStatus } from './fixtures.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

const ru = STRINGS.ru;
const view = (status = syncStatus()): TrayView => ({ kind: 'status', status });

describe('the tray state', () => {
  it.each([
    ['ok', view(), 'ok'],
    ['paused', view(syncStatus({ enabled: false, problems: ['sync is paused: …'], delivery: { state: 'paused' } })), 'paused'],
    ['problems', view(syncStatus({ problems: ['core is not configured'] })), 'error'],
    ['core refuses us', view(syncStatus({ delivery: { state: 'refused' } })), 'error'],
    ['deliveries retrying', view(syncStatus({ delivery: { state: 'retrying' } })), 'error'],
    ['scans failing', view(syncStatus({ scan: { consecutiveFailures: 2 } })), 'error'],
    ['agent unreachable', { kind: 'unreachable', message: 'x' } as TrayView, 'error'],
    ['no answer yet', { kind: 'starting' } as TrayView, 'unknown'],
  ])('%s → %s', (_name, v, state) => {
    expect(trayState(v)).toBe(state);
  });

  it('reads as a status line with the queue depth, Russian by default', () => {
    expect(statusLine(view(), ru)).toBe('Синхронизация: ок, очередь 0');
    expect(statusLine(view(syncStatus({ enabled: false, outbox: { pending: 3 } })), ru)).toBe('Синхронизация: на паузе, очередь 3');
    expect(statusLine(view(syncStatus({ problems: ['a', 'b'], outbox: { pending: 5 } })), ru)).toBe('Синхронизация: проблемы (2), очередь 5');
    expect(statusLine({ kind: 'unreachable', message: 'x' }, ru)).toBe('Агент не отвечает');
    expect(statusLine(view(), STRINGS.en)).toBe('Sync: ok, queue 0');
    expect(pickLanguage(undefined)).toBe('ru');
    expect(pickLanguage('en-US')).toBe('en');
  });
});

describe('the tray menu', () => {
  const actions: TrayActions = {
    pause: vi.fn(), resume: vi.fn(), sendCallback: vi.fn(), openDashboard: vi.fn(), openLogs: vi.fn(), setStartAtLogin: vi.fn(), quit: vi.fn(),
  };
  const summary = (v: TrayView, startAtLogin = false) => buildTrayMenu(v, ru, actions, startAtLogin)
    .map((i) => (i.type === 'separator' ? '---' : `${i.id}: ${i.label}${i.enabled === false ? ' (disabled)' : ''}${i.type === 'checkbox' ? ` [${i.checked ? 'x' : ' '}]` : ''}`));

  it('offers status, pause, manual callback, dashboard, logs, start at login and quit', () => {
    expect(summary(view())).toEqual([
      'status: Синхронизация: ок, очередь 0 (disabled)',
      '---',
      'pause: Приостановить синхронизацию',
      'send-callback: Отправить callback вручную…',
      '---',
      'open-dashboard: Открыть панель',
      'open-logs: Открыть журнал',
      '---',
      'start-at-login: Запускать при входе в систему [ ]',
      'quit: Выход',
    ]);
  });

  it('offers resume while paused, and lists what needs attention while running', () => {
    expect(summary(view(syncStatus({ enabled: false, problems: ['sync is paused'] })), true)).toContain('resume: Возобновить синхронизацию');
    expect(summary(view(syncStatus({ enabled: false, problems: ['sync is paused'] })), true)).toContain('start-at-login: Запускать при входе в систему [x]');
    const long = 'x'.repeat(200);
    expect(summary(view(syncStatus({ problems: ['core is not configured', long] })))).toEqual(expect.arrayContaining([
      'problem-0: core is not configured (disabled)',
      `problem-1: ${'x'.repeat(89)}… (disabled)`,
    ]));
  });

  it('disables what cannot work yet', () => {
    expect(summary({ kind: 'starting' })).toContain('pause: Приостановить синхронизацию (disabled)');
    const unreachable = summary({ kind: 'unreachable', message: 'no' });
    expect(unreachable).toContain('pause: Приостановить синхронизацию (disabled)');
    expect(unreachable).toContain('send-callback: Отправить callback вручную… (disabled)');
    expect(unreachable).toContain('open-dashboard: Открыть панель');
  });
});

interface Call {
  op: AdminOp;
  input: unknown;
}

function fakeTransport(answer: (op: AdminOp) => unknown) {
  const calls: Call[] = [];
  const transport: AdminTransport = {
    kind: 'in-process',
    adminUrl: 'http://127.0.0.1:1',
    call: (async (op: AdminOp, input: unknown) => {
      calls.push({ op, input });
      return answer(op);
    }) as AdminTransport['call'],
    close: async () => undefined,
  };
  return { transport, calls };
}

describe('setupTray', () => {
  let tray: ShellTray | null = null;
  let paused = false;
  const opened: Array<string | undefined> = [];
  const errors: string[] = [];
  const autostart = { on: false, isEnabled: () => autostart.on, setEnabled: (on: boolean) => void (autostart.on = on) };
  const other = { logs: 0, quit: 0 };

  beforeEach(() => {
    resetFake();
    paused = false;
    opened.length = 0;
    errors.length = 0;
    autostart.on = false;
    other.logs = 0;
    other.quit = 0;
  });
  afterEach(() => {
    tray?.dispose();
    tray = null;
  });

  function start(answer: (op: AdminOp) => unknown, intervalMs = 60_000) {
    const t = fakeTransport(answer);
    tray = setupTray({
      transport: t.transport,
      strings: ru,
      openDashboard: (page) => void opened.push(page),
      openLogs: () => void other.logs++,
      autostart,
      quit: () => void other.quit++,
      showError: (m) => void errors.push(m),
      intervalMs,
    });
    const icon = FakeTray.instances[0]!;
    return { ...t, icon, menu: () => icon.menu as FakeMenu };
  }

  const syncAnswers = (op: AdminOp) => {
    if (op === 'sync.pause') paused = true;
    if (op === 'sync.resume') paused = false;
    return syncStatus({ enabled: !paused, outbox: { pending: 2 } });
  };

  const isIcon = (image: FakeNativeImage, state: Parameters<typeof trayIconPng>[0]) =>
    image.buffer.equals(trayIconPng(state, 16)) && image.representations.some((r) => r.scaleFactor === 2 && r.buffer.equals(trayIconPng(state, 32)));

  it('starts grey, then shows the state sync.status reports', async () => {
    const { icon, calls } = start(syncAnswers);
    expect(icon.menu?.item('status')?.label).toBe('Синхронизация: запуск…');
    await tray!.refresh();
    expect(calls[0]).toEqual({ op: 'sync.status', input: {} });
    expect(isIcon(icon.image, 'ok')).toBe(true);
    expect(icon.menu?.item('status')?.label).toBe('Синхронизация: ок, очередь 2');
    expect(icon.toolTip).toBe('Billing Bridge\nСинхронизация: ок, очередь 2');
  });

  it('pauses and resumes sync from the menu', async () => {
    const { calls, menu, icon } = start(syncAnswers);
    await tray!.refresh();
    menu().click('pause');
    await vi.waitFor(() => expect(menu().item('resume')).toBeDefined());
    expect(calls.map((c) => c.op)).toContain('sync.pause');
    expect(isIcon(icon.image, 'paused')).toBe(true);
    expect(menu().item('status')?.label).toBe('Синхронизация: на паузе, очередь 2');
    menu().click('resume');
    await vi.waitFor(() => expect(menu().item('pause')).toBeDefined());
    expect(calls.at(-1)).toEqual({ op: 'sync.resume', input: {} });
    expect(isIcon(icon.image, 'ok')).toBe(true);
  });

  it('opens the dashboard on the callbacks page, the dashboard, the logs; quits', async () => {
    const { menu } = start(syncAnswers);
    await tray!.refresh();
    menu().click('send-callback');
    menu().click('open-dashboard');
    menu().click('open-logs');
    menu().click('quit');
    expect(opened).toEqual(['callbacks', undefined]);
    expect(other).toEqual({ logs: 1, quit: 1 });
    FakeTray.instances[0]!.emit('click');
    expect(opened).toEqual(['callbacks', undefined, undefined]);
  });

  it('switches start at login', async () => {
    const { menu } = start(syncAnswers);
    await tray!.refresh();
    menu().click('start-at-login', true);
    expect(autostart.on).toBe(true);
    expect(menu().item('start-at-login')?.checked).toBe(true);
    menu().click('start-at-login', false);
    expect(autostart.on).toBe(false);
  });

  it('shows an agent that does not answer as an error, with the reason in the tooltip', async () => {
    const { icon } = start(() => {
      throw new AdminCallError('agent_unreachable', 'the agent is not running (nothing answers on 127.0.0.1:8081)');
    });
    await tray!.refresh();
    expect(isIcon(icon.image, 'error')).toBe(true);
    expect(icon.menu?.item('status')?.label).toBe('Агент не отвечает');
    expect(icon.toolTip).toContain('nothing answers on 127.0.0.1:8081');
  });

  it('reports a failed pause and shows the state as it is', async () => {
    const { menu, calls } = start((op) => {
      if (op === 'sync.pause') throw new AdminCallError('internal_error', 'The agent failed to answer; its log has the details.');
      return syncStatus();
    });
    await tray!.refresh();
    menu().click('pause');
    await vi.waitFor(() => expect(errors).toEqual(['The agent failed to answer; its log has the details.']));
    await vi.waitFor(() => expect(calls.filter((c) => c.op === 'sync.status')).toHaveLength(2));
  });

  it('polls sync.status and rebuilds the menu only when something shown changed', async () => {
    let pending = 0;
    const { calls, icon } = start(() => syncStatus({ outbox: { pending } }), 10);
    await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(3));
    const menus = icon.menus;
    await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(6));
    expect(icon.menus).toBe(menus);
    pending = 7;
    await vi.waitFor(() => expect(icon.menu?.item('status')?.label).toBe('Синхронизация: ок, очередь 7'));
    tray!.dispose();
    const after = calls.length;
    await new Promise((r) => setTimeout(r, 40));
    expect(calls.length).toBeLessThanOrEqual(after + 1);
    expect(icon.destroyed).toBe(true);
    tray = null;
  });
});
