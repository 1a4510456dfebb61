/**
 * A small stand-in for the `electron` module, enough to run the desk's main
 * process under Node (`vi.mock('electron', () => createFakeElectron(...))`).
 * It records what main does — IPC handlers, windows, sends, shortcuts, power
 * blockers, tray — so tests can assert on the wiring and drive events
 * (`second-instance`, a tel: link, an IPC call from some frame).
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Listener = (...args: unknown[]) => unknown;

export interface FakeElectronOptions {
  userData: string;
  /** False makes this the second instance. */
  gotLock?: boolean;
  isPackaged?: boolean;
}

export function createFakeElectron(options: FakeElectronOptions) {
  const handlers = new Map<string, Listener>();
  /** protocol.handle's handlers by scheme, to request app://desk/… as the window would. */
  const schemes = new Map<string, (request: Request) => Promise<Response>>();
  const windows: FakeWindow[] = [];
  const shortcuts = new Map<string, () => void>();
  const blockers = new Set<number>();
  const calls: { name: string; args: unknown[] }[] = [];
  const record = (name: string, ...args: unknown[]) => void calls.push({ name, args });
  let nextBlocker = 1;
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));

  class FakeWebContents extends EventEmitter {
    sent: { channel: string; value: unknown }[] = [];
    url = '';
    session = {
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      webRequest: { onHeadersReceived: () => undefined },
    };
    send(channel: string, value: unknown) {
      this.sent.push({ channel, value });
    }
    isLoading() {
      return false;
    }
    setWindowOpenHandler() {}
    reload() {
      record('reload');
    }
    getURL() {
      return this.url;
    }
  }

  class FakeWindow extends EventEmitter {
    static getAllWindows = () => windows.filter((w) => !w.destroyed);
    webContents = new FakeWebContents();
    visible = false;
    destroyed = false;
    minimized = false;
    focused = 0;
    constructor(public readonly init: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    async loadURL(url: string) {
      this.webContents.url = url;
      queueMicrotask(() => {
        this.emit('ready-to-show');
        this.webContents.emit('did-finish-load');
      });
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {
      this.focused++;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
    maximize() {}
    isMaximized() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.isPackaged ?? false,
    getPath: () => options.userData,
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => options.gotLock ?? true,
    whenReady: () => ready,
    quit: () => record('quit'),
    exit: (code: number) => record('exit', code),
    setBadgeCount: (n: number) => record('setBadgeCount', n),
    setAsDefaultProtocolClient: (scheme: string) => record('setAsDefaultProtocolClient', scheme),
    setLoginItemSettings: (s: unknown) => record('setLoginItemSettings', s),
  });

  class FakeTray extends EventEmitter {
    tooltip = '';
    constructor() {
      super();
      record('tray');
    }
    setToolTip(text: string) {
      this.tooltip = text;
      record('tray.tooltip', text);
    }
    setImage() {}
    setContextMenu() {}
    destroy() {}
  }

  class FakeNotification extends EventEmitter {
    static isSupported = () => true;
    constructor(public readonly init: unknown) {
      super();
    }
    show() {
      record('notification', this.init);
      notifications.push(this);
    }
    close() {}
  }
  const notifications: FakeNotification[] = [];

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, fn: Listener) => void handlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: () => undefined,
      handle: (scheme: string, fn: (request: Request) => Promise<Response>) => void schemes.set(scheme, fn),
    },
    // Only the file: URLs the app scheme reads from the renderer build.
    net: {
      fetch: async (url: string) =>
        url.startsWith('file:')
          ? new Response(await readFile(fileURLToPath(url)))
          : Promise.reject(new Error('no network in tests')),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${s}`),
      decryptString: (b: Buffer) => b.toString().slice(4),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: async () => undefined },
    globalShortcut: {
      register: (accelerator: string, cb: () => void) => (shortcuts.set(accelerator, cb), true),
      unregister: (accelerator: string) => void shortcuts.delete(accelerator),
    },
    powerSaveBlocker: {
      start: () => {
        const id = nextBlocker++;
        blockers.add(id);
        return id;
      },
      stop: (id: number) => void blockers.delete(id),
    },
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (t: unknown) => t },
    nativeImage: { createFromBitmap: () => ({ addRepresentation: () => undefined }) },
  };

  /** Calls an IPC channel as the renderer would, from a frame at `url` (a subframe when `subframe`). */
  const invoke = (channel: string, url: string, args: unknown[], subframe = false) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: { url, parent: subframe ? {} : null } }, ...args) as Promise<unknown>;
  };

  return {
    electron,
    handlers,
    schemes,
    windows,
    shortcuts,
    blockers,
    calls,
    notifications,
    invoke,
    ready: () => readyResolve(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
