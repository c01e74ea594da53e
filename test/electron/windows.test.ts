import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserWindow as ElectronWindow, BrowserWindowConstructorOptions } from 'electron';
import { createWindows, windowFor } from '../../main/electron/windows';
import { silentLogger } from '../../main/core/ports';
import { BrowserWindow, mockEvent, resetElectronMock, type MockWindowOptions } from '../mocks/electron';

beforeEach(() => resetElectronMock());

function setup() {
  const created: BrowserWindow[] = [];
  const windows = createWindows({
    createWindow: (options: BrowserWindowConstructorOptions) => {
      const win = new BrowserWindow(options as MockWindowOptions);
      created.push(win);
      return win as unknown as ElectronWindow;
    },
    preloadPath: '/app/dist/preload.cjs',
    log: silentLogger,
  });
  return { windows, created };
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

  it('maps page URLs to windows and sections', () => {
    expect(windowFor('app://crier/tasks.html')).toEqual({ kind: 'tasks' });
    expect(windowFor('app://crier/settings.html#feeds')).toEqual({ kind: 'settings', section: 'feeds' });
    expect(windowFor('app://crier/settings.html#posting')).toEqual({ kind: 'settings' });
    expect(windowFor('app://crier/other.html')).toBeNull();
    expect(windowFor('https://crier/tasks.html')).toBeNull();
  });
});
