// The stand-in for 'electron' in tests (aliased in vitest.config.ts). It grows only as far as
// the wrappers in main/electron and preload/ need. One section per Electron module, in the
// order of Electron's docs; each section registers how to reset itself, and tests call
// resetElectronMock() in beforeEach. Spies are vitest mocks so tests can assert calls.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

const resets: Array<() => void> = [];
/** A section adds how to put its state back; resetElectronMock() runs them all. */
export function registerReset(reset: () => void): void {
  resets.push(reset);
}
export function resetElectronMock(): void {
  for (const reset of resets) reset();
}

/** An Electron-style event: listeners may call preventDefault(). */
export interface MockEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export function mockEvent<T extends object>(extra?: T): MockEvent & T {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
    ...(extra ?? ({} as T)),
  };
  return event;
}

// ---- app ------------------------------------------------------------------------------
class MockApp extends EventEmitter {
  isPackaged = false;
  ready = false;
  readonly whenReady = vi.fn(async (): Promise<void> => {
    this.ready = true;
  });
  readonly isReady = vi.fn((): boolean => this.ready);
  readonly requestSingleInstanceLock = vi.fn((): boolean => true);
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly getPath = vi.fn((name: string): string => `/tmp/crier-electron-mock/${name}`);
  readonly getAppPath = vi.fn((): string => '/tmp/crier-electron-mock/app');
  readonly getVersion = vi.fn((): string => '0.0.0-mock');
}
export const app = new MockApp();
registerReset(() => {
  app.removeAllListeners();
  app.isPackaged = false;
  app.ready = false;
  for (const fn of [app.whenReady, app.isReady, app.requestSingleInstanceLock, app.quit, app.exit, app.getPath, app.getAppPath, app.getVersion]) fn.mockClear();
  app.requestSingleInstanceLock.mockImplementation(() => true);
});

// ---- BrowserWindow, webContents, session ----------------------------------------------------
type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (wc: unknown, permission: string, origin: string, details: unknown) => boolean;

export class MockSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  readonly setPermissionRequestHandler = vi.fn((h: PermissionRequestHandler | null) => {
    this.permissionRequestHandler = h;
  });
  readonly setPermissionCheckHandler = vi.fn((h: PermissionCheckHandler | null) => {
    this.permissionCheckHandler = h;
  });
}
export const session = { defaultSession: new MockSession() };
registerReset(() => {
  session.defaultSession = new MockSession();
});

interface WindowOpenDetails { url: string; frameName?: string; features?: string; disposition?: string }
type WindowOpenHandler = (details: WindowOpenDetails) => { action: 'deny' | 'allow' };

let nextWebContentsId = 1;
export class MockWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  url = '';
  destroyed = false;
  session: MockSession = session.defaultSession;
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly send = vi.fn((_channel: string, ..._args: unknown[]) => {});
  readonly setWindowOpenHandler = vi.fn((h: WindowOpenHandler) => {
    this.windowOpenHandler = h;
  });
  readonly getURL = vi.fn((): string => this.url);
  readonly isDestroyed = vi.fn((): boolean => this.destroyed);
  readonly focus = vi.fn();
}

export interface MockWindowOptions {
  show?: boolean;
  title?: string;
  width?: number;
  height?: number;
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }

  readonly webContents = new MockWebContents();
  destroyed = false;
  visible: boolean;
  minimized = false;
  readonly loadURL = vi.fn(async (url: string): Promise<void> => {
    this.webContents.url = url;
  });
  readonly show = vi.fn(() => {
    this.visible = true;
  });
  readonly hide = vi.fn(() => {
    this.visible = false;
  });
  readonly focus = vi.fn();
  readonly restore = vi.fn(() => {
    this.minimized = false;
  });
  readonly isVisible = vi.fn((): boolean => this.visible);
  readonly isMinimized = vi.fn((): boolean => this.minimized);
  readonly isDestroyed = vi.fn((): boolean => this.destroyed);
  /** Like Electron: 'close' (preventable), then 'closed' and the window is gone. */
  readonly close = vi.fn(() => {
    if (this.destroyed) return;
    const event = mockEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  });
  readonly destroy = vi.fn(() => {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  });

  constructor(readonly options: MockWindowOptions = {}) {
    super();
    this.visible = options.show !== false;
    BrowserWindow.instances.push(this);
  }
}
registerReset(() => {
  BrowserWindow.instances.length = 0;
});

// ---- contextBridge (preload) ------------------------------------------------------------
/** What the preload exposed, by key: the renderer's view of window.<key>. */
export const exposedInMainWorld: Record<string, unknown> = {};
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    exposedInMainWorld[key] = api;
  }),
};
registerReset(() => {
  for (const key of Object.keys(exposedInMainWorld)) delete exposedInMainWorld[key];
  contextBridge.exposeInMainWorld.mockClear();
});

// ---- ipcMain ----------------------------------------------------------------------------
/** What ipcMain.handle's listener receives; senderFrame carries the calling page's URL. */
export interface MockInvokeEvent {
  sender: MockWebContents;
  senderFrame: { url: string } | null;
}
type InvokeHandler = (event: MockInvokeEvent, ...args: unknown[]) => unknown;

class MockIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  readonly handle = vi.fn((channel: string, handler: InvokeHandler) => {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  });
  readonly removeHandler = vi.fn((channel: string) => {
    this.handlers.delete(channel);
  });
  /** Test helper: calls a channel's handler as a page at `url` would. */
  async invokeAs(url: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const sender = new MockWebContents();
    sender.url = url ?? '';
    return handler({ sender, senderFrame: url === null ? null : { url } }, ...args);
  }
}
export const ipcMain = new MockIpcMain();
registerReset(() => {
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcMain.handle.mockClear();
  ipcMain.removeHandler.mockClear();
});

// ---- ipcRenderer (preload) ---------------------------------------------------------------
class MockIpcRenderer extends EventEmitter {
  /** Tests set what main answers: ipcRenderer.invoke.mockResolvedValue(...). */
  readonly invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined);
  /** Test helper: main sends to this renderer (the listener gets an event first, like Electron). */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this }, ...args);
  }
}
export const ipcRenderer = new MockIpcRenderer();
registerReset(() => {
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockReset();
  ipcRenderer.invoke.mockImplementation(async () => undefined);
});

// ---- net --------------------------------------------------------------------------------
export const net = {
  fetch: vi.fn(async (_input: string | Request, _init?: RequestInit): Promise<Response> => new Response('')),
  request: vi.fn((_options: unknown): unknown => {
    throw new Error('net.request: the test must provide an implementation');
  }),
  isOnline: vi.fn((): boolean => true),
};
registerReset(() => {
  net.fetch.mockReset();
  net.fetch.mockImplementation(async () => new Response(''));
  net.request.mockReset();
  net.isOnline.mockReset();
  net.isOnline.mockImplementation(() => true);
});

// ---- protocol ---------------------------------------------------------------------------
type ProtocolHandler = (request: Request) => Response | Promise<Response>;
class MockProtocol {
  readonly handlers = new Map<string, ProtocolHandler>();
  readonly registerSchemesAsPrivileged = vi.fn((_schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>) => {});
  readonly handle = vi.fn((scheme: string, handler: ProtocolHandler) => {
    this.handlers.set(scheme, handler);
  });
  readonly unhandle = vi.fn((scheme: string) => {
    this.handlers.delete(scheme);
  });
}
export const protocol = new MockProtocol();
registerReset(() => {
  protocol.handlers.clear();
  protocol.registerSchemesAsPrivileged.mockClear();
  protocol.handle.mockClear();
  protocol.unhandle.mockClear();
});

// ---- shell ------------------------------------------------------------------------------
export const shell = {
  openExternal: vi.fn(async (_url: string): Promise<void> => {}),
};
registerReset(() => {
  shell.openExternal.mockClear();
});

// ---- tray, Notification, safeStorage, app.setLoginItemSettings ---------------------------
// (Reserved for the tray / notifications / secrets / autostart modules: add sections below,
// each registering its own reset.)
