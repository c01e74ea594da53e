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
// app.getPath('logs') creates the directory on first use, like app.setAppLogsPath() with no
// argument (Electron docs, app.getPath): the mock only names it, under /tmp/crier-electron-mock.
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
  readonly reload = vi.fn();
  /**
   * Test helper: the renderer process dies (Electron: 'render-process-gone' with { reason,
   * exitCode }); the window stays, showing nothing, until something loads a page again.
   */
  crash(reason: RenderProcessGoneReason = 'crashed', exitCode = 139): void {
    this.emit('render-process-gone', mockEvent(), { reason, exitCode });
  }
  /** Test helper: a right click in the page (Electron: 'context-menu' with the ContextMenuParams). */
  rightClick(params: Partial<MockContextMenuParams> = {}): void {
    const editFlags = { canUndo: false, canRedo: false, canCut: false, canCopy: false, canPaste: false, canDelete: false, canSelectAll: false, canEditRichly: false, ...params.editFlags };
    this.emit('context-menu', mockEvent(), { x: 10, y: 10, isEditable: false, selectionText: '', ...params, editFlags });
  }
}
export type RenderProcessGoneReason = 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction';
export interface MockContextMenuParams {
  x: number;
  y: number;
  isEditable: boolean;
  selectionText: string;
  editFlags: { canUndo: boolean; canRedo: boolean; canCut: boolean; canCopy: boolean; canPaste: boolean; canDelete: boolean; canSelectAll: boolean; canEditRichly: boolean };
}

export interface MockWindowOptions {
  show?: boolean;
  title?: string;
  width?: number;
  height?: number;
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Windows' session end arrives as BrowserWindow events, 'query-session-end' (preventable) and
 * then 'session-end' (Electron docs, BrowserWindow; win32 only), and app 'before-quit' does not
 * fire for it (docs, app 'before-quit'): tests emit them on a window with sessionEnds().
 */
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

  /** Test helper: Windows ends the session (shutdown, restart, log-off), as Electron reports it to every window. */
  static sessionEnds(reasons: Array<'shutdown' | 'close-app' | 'critical' | 'logoff'> = ['shutdown']): void {
    for (const win of BrowserWindow.getAllWindows()) win.emit('query-session-end', mockEvent({ reasons }));
    for (const win of BrowserWindow.getAllWindows()) win.emit('session-end', mockEvent({ reasons }));
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
  /** Like Electron's: resolves with an error message, '' on success; it does not reject (docs, shell.openPath). */
  openPath: vi.fn(async (_path: string): Promise<string> => ''),
};
registerReset(() => {
  shell.openExternal.mockClear();
  shell.openPath.mockReset();
  shell.openPath.mockImplementation(async () => '');
});

// ---- powerMonitor -----------------------------------------------------------------------
/**
 * 'resume' and 'suspend' everywhere; 'lock-screen' / 'unlock-screen' on macOS and Windows;
 * 'shutdown' on Linux and macOS only, with an event whose preventDefault() asks the OS to
 * wait while the app quits (Electron docs, powerMonitor). Tests emit them.
 */
export const powerMonitor = new EventEmitter();
registerReset(() => {
  powerMonitor.removeAllListeners();
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
  role?: string;
  enabled?: boolean;
  checked?: boolean;
  id?: string;
  submenu?: MockMenuItem[] | Menu;
  click?: (menuItem: MockMenuItem, window: unknown, event: unknown) => void;
}
/**
 * Like Electron's Menu: an EventEmitter with 'menu-will-show' / 'menu-will-close' (docs, Menu).
 * Whether those fire for a tray's context menu depends on the platform: see Tray below.
 */
export class Menu extends EventEmitter {
  static readonly buildFromTemplate = vi.fn((template: MockMenuItem[]): Menu => new Menu(template.map((item) => (
    Array.isArray(item.submenu) ? { ...item, type: 'submenu' as const, submenu: Menu.buildFromTemplate(item.submenu) } : { ...item }
  ))));
  /** Where popup() showed it, or null while closed. */
  popupOptions: Record<string, unknown> | null = null;
  readonly popup = vi.fn((options: Record<string, unknown> = {}) => {
    this.popupOptions = options;
    this.emit('menu-will-show', mockEvent());
  });
  readonly closePopup = vi.fn(() => {
    if (!this.popupOptions) return;
    this.popupOptions = null;
    this.emit('menu-will-close', mockEvent());
  });
  constructor(readonly items: MockMenuItem[]) {
    super();
  }
  /** Labels as shown; separators as '---'; role items without a label by their role. */
  labels(): string[] {
    return this.items.map((item) => (item.type === 'separator' ? '---' : item.label ?? item.role ?? ''));
  }
  item(label: string): MockMenuItem {
    const item = this.items.find((i) => i.label === label);
    if (!item) throw new Error(`No menu item labelled '${label}' in: ${this.labels().join(' | ')}`);
    return item;
  }
  submenu(label: string): Menu {
    const { submenu } = this.item(label);
    if (!(submenu instanceof Menu)) throw new Error(`'${label}' has no submenu`);
    return submenu;
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
type TrayPlatform = 'darwin' | 'win32' | 'linux';
/**
 * The tray as each platform behaves. Tests drive it with userClicks() and userClosesMenu():
 * - macOS: a click on an icon that has a context menu emits 'click' and then opens the menu
 *   (electron#12043, electron#24200).
 * - Windows: a left click emits 'click' only; a right click emits 'right-click' and opens the
 *   context menu.
 * - Linux (StatusNotifierItem / AppIndicator): no click events; the host opens the menu, and
 *   the menu's 'menu-will-show' / 'menu-will-close' never fire (electron#28837).
 * Replacing the context menu while it is open closes it under the pointer (electron#4801):
 * counted in menusClosedUnderUser.
 */
export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  image: MockNativeImage | string;
  tooltip = '';
  contextMenu: Menu | null = null;
  destroyed = false;
  /** The menu the user has open, and on which platform (its events fire or not). */
  openMenu: { menu: Menu; platform: TrayPlatform } | null = null;
  menusClosedUnderUser = 0;
  readonly setImage = vi.fn((image: MockNativeImage | string) => {
    this.image = image;
  });
  readonly setToolTip = vi.fn((tooltip: string) => {
    this.tooltip = tooltip;
  });
  readonly setContextMenu = vi.fn((menu: Menu | null) => {
    if (this.openMenu && this.openMenu.menu !== menu) {
      this.menusClosedUnderUser++;
      this.userClosesMenu();
    }
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

  /** Test helper: a click on the icon as the platform delivers it (see above). */
  userClicks(platform: TrayPlatform, button: 'left' | 'right' = 'left'): void {
    if (platform === 'linux') return this.showMenu(platform);
    const bounds = { x: 0, y: 0, width: 22, height: 22 };
    if (button === 'left') this.emit('click', mockEvent(), bounds, { x: 1, y: 1 });
    else this.emit('right-click', mockEvent(), bounds);
    if (platform === 'darwin' || button === 'right') this.showMenu(platform);
  }

  /** Test helper: the open menu closes (a click outside it, Escape, or an item chosen). */
  userClosesMenu(): void {
    const open = this.openMenu;
    if (!open) return;
    this.openMenu = null;
    if (open.platform !== 'linux') open.menu.emit('menu-will-close', mockEvent());
  }

  private showMenu(platform: TrayPlatform): void {
    if (!this.contextMenu || this.openMenu) return;
    this.openMenu = { menu: this.contextMenu, platform };
    if (platform !== 'linux') this.contextMenu.emit('menu-will-show', mockEvent());
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
/**
 * The OS's login items, as Windows keeps them: one entry per executable path and arguments.
 * getLoginItemSettings reports openAtLogin only for the path and args it is given (defaults:
 * process.execPath and []), so a caller that set args must pass the same ones (Electron docs,
 * app.getLoginItemSettings). macOS ignores path and args; passing the same ones works there too.
 */
interface LoginItemQuery { path?: string; args?: string[] }
const loginItemKey = (q: LoginItemQuery = {}): string => JSON.stringify([q.path ?? process.execPath, q.args ?? []]);
export const loginItem = {
  entries: new Set<string>(),
  get openAtLogin(): boolean {
    return loginItem.entries.size > 0;
  },
  setLoginItemSettings: vi.fn((settings: LoginItemQuery & { openAtLogin?: boolean }) => {
    if (settings.openAtLogin === true) loginItem.entries.add(loginItemKey(settings));
    if (settings.openAtLogin === false) loginItem.entries.delete(loginItemKey(settings));
  }),
  getLoginItemSettings: vi.fn((options?: LoginItemQuery) => ({ openAtLogin: loginItem.entries.has(loginItemKey(options)), openAsHidden: false, wasOpenedAtLogin: false })),
};
Object.assign(app, { setLoginItemSettings: loginItem.setLoginItemSettings, getLoginItemSettings: loginItem.getLoginItemSettings });
registerReset(() => {
  loginItem.entries.clear();
  loginItem.setLoginItemSettings.mockClear();
  loginItem.getLoginItemSettings.mockClear();
});
