// A stand-in for the `electron` module (its binary cannot be downloaded here): just enough of the
// main-process and preload APIs the shell uses, recording what is done to them.
//   vi.mock('electron', async () => (await import('./fake-electron.js')).electron);
import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions } from 'electron';

type Listener = (...args: never[]) => unknown;

class FakeEmitter extends EventEmitter {
  /** Calls every listener of `event` the way Electron would, with a preventable event. */
  fire(event: string, ...args: unknown[]): { defaultPrevented: boolean } {
    const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit(event, e, ...args);
    return e;
  }
}

export class FakeWebContents extends FakeEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** A navigation event as Electron ≥ 25 emits it: details carry the URL. */
  navigate(event: 'will-frame-navigate' | 'will-redirect', url: string): boolean {
    const details = { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit(event, details);
    return details.defaultPrevented;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: Array<{ file?: string; url?: string; hash?: string }> = [];
  shown = 0;
  focused = 0;
  destroyed = false;
  minimized = false;
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(file: string, options?: { hash?: string }): Promise<void> {
    this.loaded.push({ file, hash: options?.hash });
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push({ url });
    return Promise.resolve();
  }
  show(): void {
    this.shown++;
  }
  focus(): void {
    this.focused++;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

export class FakeNativeImage {
  readonly representations: Array<{ scaleFactor: number; buffer: Buffer }> = [];
  constructor(readonly buffer: Buffer) {}
  addRepresentation(rep: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push(rep);
  }
}

export class FakeMenu {
  constructor(readonly items: MenuItemConstructorOptions[]) {}
  /** Clicks an item by id the way Electron calls click handlers. */
  click(id: string, checked?: boolean): void {
    const item = this.items.find((i) => i.id === id);
    if (!item?.click) throw new Error(`no clickable menu item ${id}`);
    (item.click as (item: unknown) => void)({ ...item, checked: checked ?? item.checked });
  }
  item(id: string): MenuItemConstructorOptions | undefined {
    return this.items.find((i) => i.id === id);
  }
}

export class FakeTray extends FakeEmitter {
  static instances: FakeTray[] = [];
  image: FakeNativeImage;
  toolTip = '';
  menu: FakeMenu | null = null;
  menus = 0;
  destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: FakeNativeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
    this.menus++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function createFake() {
  const handlers = new Map<string, Listener>();
  const app = Object.assign(new FakeEmitter(), {
    isPackaged: false,
    lock: true,
    quits: 0,
    exitCode: null as number | null,
    loginItems: { openAtLogin: false, wasOpenedAtLogin: false } as Record<string, unknown>,
    requestSingleInstanceLock: () => fake.app.lock,
    quit: () => void fake.app.quits++,
    exit: (code: number) => void (fake.app.exitCode = code),
    whenReady: () => Promise.resolve(),
    enableSandbox: () => undefined,
    getLoginItemSettings: () => fake.app.loginItems,
    setLoginItemSettings: (settings: Record<string, unknown>) => void (fake.app.loginItems = { ...fake.app.loginItems, ...settings }),
  });
  type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  type HeadersReceived = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void;
  const session: {
    permissionRequest: PermissionRequest | null;
    permissionCheck: ((...args: unknown[]) => boolean) | null;
    headersReceived: HeadersReceived | null;
    setPermissionRequestHandler(h: PermissionRequest): void;
    setPermissionCheckHandler(h: (...args: unknown[]) => boolean): void;
    webRequest: { onHeadersReceived(h: HeadersReceived): void };
  } = {
    permissionRequest: null,
    permissionCheck: null,
    headersReceived: null,
    setPermissionRequestHandler(h) {
      session.permissionRequest = h;
    },
    setPermissionCheckHandler(h) {
      session.permissionCheck = h;
    },
    webRequest: {
      onHeadersReceived(h) {
        session.headersReceived = h;
      },
    },
  };
  const shell = { opened: [] as string[], paths: [] as string[] };
  const dialogs = { errorBoxes: [] as Array<[string, string]>, messageBoxes: [] as Array<Record<string, unknown>> };
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (items: MenuItemConstructorOptions[]) => new FakeMenu(items) },
    nativeImage: { createFromBuffer: (buffer: Buffer) => new FakeNativeImage(buffer) },
    ipcMain: {
      handle(channel: string, listener: Listener) {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, listener);
      },
      removeHandler(channel: string) {
        handlers.delete(channel);
      },
    },
    session: { defaultSession: session },
    shell: {
      openExternal: async (url: string) => void shell.opened.push(url),
      openPath: async (p: string) => {
        shell.paths.push(p);
        return '';
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => void dialogs.errorBoxes.push([title, content]),
      showMessageBox: async (options: Record<string, unknown>) => {
        dialogs.messageBoxes.push(options);
        return { response: 0 };
      },
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, result: 'invoked' };
      },
    },
  };
  return { app, session, shell, dialogs, handlers, exposed, invoked, electron };
}

export let fake = createFake();

/** The module `vi.mock('electron', ...)` returns: its members always point at the current fake. */
export const electron = new Proxy({}, {
  get: (_t, key: string) => (fake.electron as Record<string, unknown>)[key],
  has: (_t, key) => key in fake.electron,
});

export function resetFake(): void {
  fake = createFake();
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
}
