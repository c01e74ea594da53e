import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserWindow as ElectronWindow, BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { contextMenuTemplate } from '../../main/electron/context-menu';
import { createWindows, MAX_RELOADS, RELOAD_WINDOW_MS, windowFor, type RendererGone, type WindowsDeps } from '../../main/electron/windows';
import { silentLogger } from '../../main/core/ports';
import { BrowserWindow, Menu, mockEvent, resetElectronMock, type MockMenuItem, type MockWindowOptions } from '../mocks/electron';

beforeEach(() => resetElectronMock());

function setup(overrides: Partial<WindowsDeps> = {}) {
  const created: BrowserWindow[] = [];
  let clock = Date.UTC(2026, 0, 15, 12);
  const gone: RendererGone[] = [];
  const windows = createWindows({
    createWindow: (options: BrowserWindowConstructorOptions) => {
      const win = new BrowserWindow(options as MockWindowOptions);
      created.push(win);
      return win as unknown as ElectronWindow;
    },
    preloadPath: '/app/dist/preload.cjs',
    log: silentLogger,
    now: () => clock,
    onRendererGone: (report) => gone.push(report),
    contextMenu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => Menu.buildFromTemplate(template as MockMenuItem[]) },
    ...overrides,
  });
  const advance = (ms: number): void => {
    clock += ms;
  };
  return { windows, created, gone, advance };
}

describe('windows', () => {
  it('opens the tasks page from app://crier, hidden until ready, with the secure preferences', () => {
    const { windows, created } = setup();
    windows.open('tasks');
    expect(created).toHaveLength(1);
    const win = created[0]!;
    expect(win.loadURL).toHaveBeenCalledWith('app://crier/tasks.html');
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({ preload: '/app/dist/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false });
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('keeps one window per kind and brings an open one forward instead of making another', () => {
    const { windows, created } = setup();
    windows.open('tasks');
    const win = created[0]!;
    win.minimized = true;
    windows.open('tasks');
    expect(created).toHaveLength(1);
    expect(win.restore).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('opens settings at a section and moves an open settings window to another section', () => {
    const { windows, created } = setup();
    windows.open('settings', 'feeds');
    expect(created[0]!.loadURL).toHaveBeenLastCalledWith('app://crier/settings.html#feeds');
    windows.open('settings', 'account');
    expect(created).toHaveLength(1);
    expect(created[0]!.loadURL).toHaveBeenLastCalledWith('app://crier/settings.html#account');
  });

  it('forgets a closed window, so the next open builds a new one, while the other stays', () => {
    const { windows, created } = setup();
    windows.open('tasks');
    windows.open('settings');
    created[0]!.close();
    expect(windows.all()).toEqual([created[1]]);
    windows.open('tasks');
    expect(created).toHaveLength(3);
    expect(windows.all()).toHaveLength(2);
  });

  it('destroys every window on quit', () => {
    const { windows, created } = setup();
    windows.open('tasks');
    windows.open('settings');
    windows.destroyAll();
    expect(created.every((w) => w.destroyed)).toBe(true);
    expect(windows.all()).toEqual([]);
  });

  it('opens a link to the other page in that page\'s own window instead of navigating away', () => {
    const { windows, created } = setup();
    windows.open('tasks');
    const toSettings = mockEvent({ url: 'app://crier/settings.html#account' });
    created[0]!.webContents.emit('will-navigate', toSettings);
    expect(toSettings.defaultPrevented).toBe(true);
    expect(created).toHaveLength(2);
    expect(created[1]!.loadURL).toHaveBeenCalledWith('app://crier/settings.html#account');
    const toTasks = mockEvent({ url: 'app://crier/tasks.html' });
    created[1]!.webContents.emit('will-navigate', toTasks);
    expect(toTasks.defaultPrevented).toBe(true);
    expect(created).toHaveLength(2);
    expect(created[0]!.focus).toHaveBeenCalled();
  });

  it('gives the window the icon it is handed (Linux groups windows under it)', () => {
    const { windows, created } = setup({ iconPath: '/app/dist/assets/icon.png' });
    windows.open('tasks');
    expect(created[0]!.options.icon).toBe('/app/dist/assets/icon.png');
  });

  it('maps page URLs to windows and sections', () => {
    expect(windowFor('app://crier/tasks.html')).toEqual({ kind: 'tasks' });
    expect(windowFor('app://crier/settings.html#feeds')).toEqual({ kind: 'settings', section: 'feeds' });
    expect(windowFor('app://crier/settings.html#posting')).toEqual({ kind: 'settings' });
    expect(windowFor('app://crier/other.html')).toBeNull();
    expect(windowFor('https://crier/tasks.html')).toBeNull();
  });
});

describe('a page whose renderer process dies', () => {
  it('is loaded again instead of leaving a blank window, and the shell hears of it', () => {
    const { windows, created, gone } = setup();
    windows.open('settings', 'account');
    const win = created[0]!;
    win.webContents.crash('crashed', 139);
    expect(win.loadURL).toHaveBeenLastCalledWith('app://crier/settings.html');
    expect(win.loadURL).toHaveBeenCalledTimes(2);
    expect(win.destroyed).toBe(false);
    expect(gone).toEqual([{ kind: 'settings', reason: 'crashed', exitCode: 139, outcome: 'reloaded' }]);
  });

  it('is left alone when it exited cleanly', () => {
    const { windows, created, gone } = setup();
    windows.open('tasks');
    created[0]!.webContents.crash('clean-exit', 0);
    expect(created[0]!.loadURL).toHaveBeenCalledTimes(1);
    expect(gone).toEqual([]);
  });

  it(`is reloaded at most ${MAX_RELOADS} times a minute; the next stop closes the window`, () => {
    const { windows, created, gone, advance } = setup();
    windows.open('tasks');
    const win = created[0]!;
    for (let i = 0; i < MAX_RELOADS; i++) {
      win.webContents.crash('oom');
      advance(10_000);
    }
    expect(win.loadURL).toHaveBeenCalledTimes(1 + MAX_RELOADS);
    win.webContents.crash('oom');
    expect(win.loadURL).toHaveBeenCalledTimes(1 + MAX_RELOADS);
    expect(win.destroyed).toBe(true);
    expect(gone.at(-1)).toMatchObject({ kind: 'tasks', outcome: 'closed' });
    expect(windows.all()).toEqual([]);
  });

  it('counts only the last minute\'s reloads', () => {
    const { windows, created, gone, advance } = setup();
    windows.open('tasks');
    const win = created[0]!;
    for (let i = 0; i < 10; i++) {
      win.webContents.crash('crashed');
      advance(RELOAD_WINDOW_MS / MAX_RELOADS + 1);
    }
    expect(win.destroyed).toBe(false);
    expect(gone.every((g) => g.outcome === 'reloaded')).toBe(true);
  });
});

describe('the right-click menu', () => {
  const editable = { isEditable: true, selectionText: '', editFlags: { canUndo: false, canRedo: false, canCut: false, canCopy: false, canPaste: true, canDelete: false, canSelectAll: true, canEditRichly: false } };

  it('offers Cut, Copy, Paste and Select All in a text field, each as the page allows', () => {
    const { windows, created } = setup();
    windows.open('settings');
    created[0]!.webContents.rightClick(editable);
    const menu = Menu.buildFromTemplate.mock.results.at(-1)!.value as Menu;
    expect(menu.labels()).toEqual(['Cut', 'Copy', 'Paste', '---', 'Select All']);
    expect(menu.items.map((i) => i.role)).toEqual(['cut', 'copy', 'paste', undefined, 'selectAll']);
    expect(menu.item('Paste').enabled).toBe(true);
    expect(menu.item('Cut').enabled).toBe(false);
    expect(menu.popup).toHaveBeenCalledWith({ window: created[0], x: 10, y: 10 });
  });

  it('offers Copy for selected text outside a field, and nothing on a plain page', () => {
    expect(contextMenuTemplate({ isEditable: false, selectionText: 'Release 2.0', editFlags: { canCut: false, canCopy: true, canPaste: false, canSelectAll: true } }))
      .toEqual([{ role: 'copy', label: 'Copy', enabled: true }]);
    const { windows, created } = setup();
    windows.open('tasks');
    created[0]!.webContents.rightClick({ isEditable: false, selectionText: '' });
    expect(Menu.buildFromTemplate).not.toHaveBeenCalled();
  });
});
