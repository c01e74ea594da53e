import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserWindow as ElectronWindow, BrowserWindowConstructorOptions } from 'electron';
import { createWindows } from '../../main/electron/windows';
import { silentLogger } from '../../main/core/ports';
import { BrowserWindow, resetElectronMock, type MockWindowOptions } from '../mocks/electron';

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
});
