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
  readonly setAppUserModelId = vi.fn();
}
export const app = new MockApp();
registerReset(() => {
  app.removeAllListeners();
  app.isPackaged = false;
  app.ready = false;
  for (const fn of [app.whenReady, app.isReady, app.requestSingleInstanceLock, app.quit, app.exit, app.getPath, app.getAppPath, app.getVersion, app.setAppUserModelId]) fn.mockClear();
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

// ---- dialog -----------------------------------------------------------------------------
export const dialog = {
  showErrorBox: vi.fn((_title: string, _content: string) => {}),
};
registerReset(() => {
  dialog.showErrorBox.mockClear();
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

// ==== OS integration sections (tray, menu, nativeImage, Notification, safeStorage, login items) ====
// Owned by the tray / notifications / secrets / autostart modules.

// ---- nativeImage ------------------------------------------------------------------------
// (Imports are hoisted; this one sits here so the sections above stay as they are.)
import { existsSync } from 'node:fs';

/** Like Electron's: an image from a missing or unreadable file is empty, not an error. */
export class MockNativeImage {
  template = false;
  constructor(readonly path: string | null) {}
  readonly setTemplateImage = vi.fn((template: boolean) => {
    this.template = template;
  });
  readonly isTemplateImage = vi.fn((): boolean => this.template);
  readonly isEmpty = vi.fn((): boolean => this.path === null || !existsSync(this.path));
}
export const nativeImage = {
  createFromPath: vi.fn((path: string) => new MockNativeImage(path)),
  createEmpty: vi.fn(() => new MockNativeImage(null)),
};
registerReset(() => {
  nativeImage.createFromPath.mockClear();
  nativeImage.createEmpty.mockClear();
});

// ---- Menu -------------------------------------------------------------------------------
export interface MockMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  checked?: boolean;
  id?: string;
  click?: (menuItem: MockMenuItem, window: unknown, event: unknown) => void;
}
export class Menu {
  static readonly buildFromTemplate = vi.fn((template: MockMenuItem[]) => new Menu(template.map((item) => ({ ...item }))));
  constructor(readonly items: MockMenuItem[]) {}
  /** Labels as shown; separators as '---'. */
  labels(): string[] {
    return this.items.map((item) => (item.type === 'separator' ? '---' : item.label ?? ''));
  }
  item(label: string): MockMenuItem {
    const item = this.items.find((i) => i.label === label);
    if (!item) throw new Error(`No menu item labelled '${label}' in: ${this.labels().join(' | ')}`);
    return item;
  }
  /** Test helper: clicks as Electron does (a checkbox flips before its click handler runs; a disabled item does nothing). */
  click(label: string): void {
    const item = this.item(label);
    if (item.enabled === false) return;
    if (item.type === 'checkbox') item.checked = !item.checked;
    item.click?.(item, undefined, mockEvent());
  }
}
registerReset(() => {
  Menu.buildFromTemplate.mockClear();
});

// ---- Tray -------------------------------------------------------------------------------
export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  image: MockNativeImage | string;
  tooltip = '';
  contextMenu: Menu | null = null;
  destroyed = false;
  readonly setImage = vi.fn((image: MockNativeImage | string) => {
    this.image = image;
  });
  readonly setToolTip = vi.fn((tooltip: string) => {
    this.tooltip = tooltip;
  });
  readonly setContextMenu = vi.fn((menu: Menu | null) => {
    this.contextMenu = menu;
  });
  readonly destroy = vi.fn(() => {
    this.destroyed = true;
  });
  readonly isDestroyed = vi.fn((): boolean => this.destroyed);
  constructor(image: MockNativeImage | string) {
    super();
    this.image = image;
    Tray.instances.push(this);
  }
}
registerReset(() => {
  Tray.instances.length = 0;
});

// ---- Notification -----------------------------------------------------------------------
export interface MockNotificationOptions { title?: string; body?: string; silent?: boolean; icon?: unknown }
export class Notification extends EventEmitter {
  static supported = true;
  static readonly instances: Notification[] = [];
  static readonly isSupported = vi.fn((): boolean => Notification.supported);
  shown = false;
  closed = false;
  readonly show = vi.fn(() => {
    this.shown = true;
    this.emit('show', mockEvent());
  });
  readonly close = vi.fn(() => {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', mockEvent());
  });
  constructor(readonly options: MockNotificationOptions = {}) {
    super();
    Notification.instances.push(this);
  }
}
registerReset(() => {
  Notification.supported = true;
  Notification.instances.length = 0;
  Notification.isSupported.mockClear();
});

// ---- safeStorage ------------------------------------------------------------------------
/** Reversible and visibly not plain text: the marker, then base64. */
const SAFE_STORAGE_MARKER = 'mock-safe-storage:';
type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';
/** What the OS offers; tests change it before the code under test runs. */
export const safeStorageControl: { available: boolean; backend: StorageBackend; shouldReEncrypt: boolean } = {
  available: true,
  backend: 'gnome_libsecret',
  shouldReEncrypt: false,
};
export const safeStorage = {
  isAsyncEncryptionAvailable: vi.fn(async (): Promise<boolean> => safeStorageControl.available),
  isEncryptionAvailable: vi.fn((): boolean => safeStorageControl.available),
  getSelectedStorageBackend: vi.fn((): StorageBackend => safeStorageControl.backend),
  encryptStringAsync: vi.fn(async (plainText: string): Promise<Buffer> => {
    if (!safeStorageControl.available) throw new Error('Encryption is not available.');
    return Buffer.from(SAFE_STORAGE_MARKER + Buffer.from(plainText, 'utf8').toString('base64'), 'utf8');
  }),
  decryptStringAsync: vi.fn(async (encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> => {
    if (!safeStorageControl.available) throw new Error('Decryption is not available.');
    const text = encrypted.toString('utf8');
    if (!text.startsWith(SAFE_STORAGE_MARKER)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: Buffer.from(text.slice(SAFE_STORAGE_MARKER.length), 'base64').toString('utf8'), shouldReEncrypt: safeStorageControl.shouldReEncrypt };
  }),
};
registerReset(() => {
  safeStorageControl.available = true;
  safeStorageControl.backend = 'gnome_libsecret';
  safeStorageControl.shouldReEncrypt = false;
  for (const fn of Object.values(safeStorage)) fn.mockClear();
});

// ---- app.setLoginItemSettings / getLoginItemSettings ----------------------------------------
/** The OS's login item, as macOS / Windows would keep it. */
export const loginItem = {
  openAtLogin: false,
  setLoginItemSettings: vi.fn((settings: { openAtLogin?: boolean }) => {
    if (settings.openAtLogin !== undefined) loginItem.openAtLogin = settings.openAtLogin;
  }),
  getLoginItemSettings: vi.fn(() => ({ openAtLogin: loginItem.openAtLogin, openAsHidden: false, wasOpenedAtLogin: false })),
};
Object.assign(app, { setLoginItemSettings: loginItem.setLoginItemSettings, getLoginItemSettings: loginItem.getLoginItemSettings });
registerReset(() => {
  loginItem.openAtLogin = false;
  loginItem.setLoginItemSettings.mockClear();
  loginItem.getLoginItemSettings.mockClear();
});
