import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { CLOSE_BUDGET_MS, HIDDEN_FLAG, startDesktop, type DesktopOptions, type ShellParts } from '../../main/electron/desktop';
import type { AccountPort } from '../../main/core/account';
import { silentLogger } from '../../main/core/ports';
import type { EngineService } from '../../main/core/service';
import { INVOKE_CHANNELS } from '../../preload/ipc-channels';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { FakeService } from '../support/fake-service';
import { app, BrowserWindow, dialog, ipcMain, loginItem, mockEvent, net, protocol, resetElectronMock } from '../mocks/electron';

class FakeEngine extends FakeService implements EngineService {
  readonly start = vi.fn();
  readonly setOffline = vi.fn();
  readonly flush = vi.fn(async () => {});
  readonly notice = vi.fn();
}

const account = {} as AccountPort;

function setup(overrides: Partial<DesktopOptions> = {}) {
  const engine = new FakeEngine({ headless: false });
  const clock: FakeClock = createFakeClock();
  const tray = { dispose: vi.fn() };
  const notifier = { dispose: vi.fn() };
  const parts = {
    openEngine: vi.fn<ShellParts['openEngine']>(async () => engine),
    createSafeStorageAccount: vi.fn<ShellParts['createSafeStorageAccount']>(async () => account),
    createTray: vi.fn<ShellParts['createTray']>(() => tray),
    createNotifier: vi.fn<ShellParts['createNotifier']>(() => notifier),
    applyStartAtLogin: vi.fn<ShellParts['applyStartAtLogin']>(async () => {}),
  };
  const options: DesktopOptions = {
    electron: {
      app: electron.app, BrowserWindow: electron.BrowserWindow, ipcMain: electron.ipcMain, protocol: electron.protocol,
      net: electron.net, shell: electron.shell, dialog: electron.dialog,
    },
    parts,
    env: { CRIER_DATA_DIR: '/tmp/crier-desktop-test' },
    platform: 'linux',
    homeDir: '/home/someone',
    execPath: '/opt/Crier/crier',
    appPath: '/opt/Crier/resources/app.asar',
    distDir: '/opt/Crier/resources/app.asar/dist',
    argv: ['/opt/Crier/crier'],
    log: silentLogger,
    clock,
    ...overrides,
  };
  return { engine, clock, tray, notifier, parts, options };
}

beforeEach(() => resetElectronMock());

describe('starting the desktop shell', () => {
  it('leaves at once when another instance holds the lock, without opening the engine', async () => {
    const { parts, options } = setup();
    app.requestSingleInstanceLock.mockReturnValue(false);
    expect(await startDesktop(options)).toBeNull();
    expect(app.quit).toHaveBeenCalled();
    expect(parts.openEngine).not.toHaveBeenCalled();
  });

  it('registers the app scheme before ready, then serves it and answers IPC', async () => {
    const { options } = setup();
    await startDesktop(options);
    expect(protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(app.whenReady.mock.invocationCallOrder[0]!);
    expect(protocol.handlers.has('app')).toBe(true);
    expect(ipcMain.handlers.has(INVOKE_CHANNELS.getState)).toBe(true);
  });

  it('opens the engine on the data dir with the safeStorage account and the net fetch port, not headless', async () => {
    const { parts, options } = setup();
    await startDesktop(options);
    expect(parts.createSafeStorageAccount).toHaveBeenCalledWith(expect.objectContaining({ dataDir: '/tmp/crier-desktop-test' }));
    const [engineOptions, extras] = parts.openEngine.mock.calls[0]!;
    expect(engineOptions).toMatchObject({ dataDir: '/tmp/crier-desktop-test', headless: false });
    expect(extras.account).toBe(account);
    expect(typeof extras.fetch).toBe('function');
  });

  it('falls back to the OS data dir when CRIER_DATA_DIR is not set', async () => {
    const { parts, options } = setup({ env: {} });
    await startDesktop(options);
    expect(parts.openEngine.mock.calls[0]![0].dataDir).toBe('/home/someone/.config/Crier');
  });

  it('shows the tasks window, the tray and notifications', async () => {
    const { parts, options } = setup();
    await startDesktop(options);
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(BrowserWindow.instances[0]!.loadURL).toHaveBeenCalledWith('app://crier/tasks.html');
    expect(BrowserWindow.instances[0]!.options.webPreferences).toMatchObject({ preload: '/opt/Crier/resources/app.asar/dist/preload.cjs', sandbox: true });
    expect(parts.createTray).toHaveBeenCalledWith(expect.objectContaining({ platform: 'linux', assetsDir: '/opt/Crier/resources/app.asar/dist/assets' }));
    expect(parts.createNotifier).toHaveBeenCalled();
  });

  it('starts in the tray alone when launched at login, and a second launch shows the tasks window', async () => {
    const { options } = setup({ argv: ['/opt/Crier/crier', HIDDEN_FLAG] });
    await startDesktop(options);
    expect(BrowserWindow.instances).toHaveLength(0);
    app.emit('second-instance', mockEvent(), [], '/');
    expect(BrowserWindow.instances).toHaveLength(1);
  });

  it('starts in the tray alone when macOS opened it at login', async () => {
    const { options } = setup({ platform: 'darwin' });
    loginItem.getLoginItemSettings.mockReturnValueOnce({ openAtLogin: true, openAsHidden: false, wasOpenedAtLogin: true });
    await startDesktop(options);
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('gives itself an app user model id on Windows, without which notifications do not show', async () => {
    const { options } = setup({ platform: 'win32' });
    await startDesktop(options);
    expect(app.setAppUserModelId).toHaveBeenCalledWith('app.crier.desktop');
  });

  it('the tray opens windows through the same one-per-kind windows', async () => {
    const { parts, options } = setup();
    await startDesktop(options);
    const { openWindow } = parts.createTray.mock.calls[0]![0];
    openWindow('settings');
    openWindow('tasks');
    expect(BrowserWindow.instances.map((w) => w.loadURL.mock.calls[0]![0])).toEqual(['app://crier/tasks.html', 'app://crier/settings.html']);
  });

  it('keeps running when the last window closes', async () => {
    const { options } = setup();
    await startDesktop(options);
    BrowserWindow.instances[0]!.close();
    app.emit('window-all-closed');
    expect(app.listenerCount('window-all-closed')).toBeGreaterThan(0);
    expect(app.quit).not.toHaveBeenCalled();
    expect(app.exit).not.toHaveBeenCalled();
  });

  it('tells the engine when the OS goes offline', async () => {
    const { engine, clock, options } = setup();
    await startDesktop(options);
    net.isOnline.mockReturnValue(false);
    clock.advance(30_000);
    expect(engine.setOffline).toHaveBeenCalledWith(true);
  });

  it('follows settings.startAtLogin with the OS login item', async () => {
    const { engine, parts, options } = setup();
    await startDesktop(options);
    await engine.updateSettings({ startAtLogin: true });
    expect(parts.applyStartAtLogin).toHaveBeenCalledWith(true, { platform: 'linux', homeDir: '/home/someone', execPath: '/opt/Crier/crier', appPath: '/opt/Crier/resources/app.asar' });
    await engine.updateSettings({ dailyCap: 10 });
    expect(parts.applyStartAtLogin).toHaveBeenCalledTimes(1);
  });

  it('says why in a dialog and exits when the engine cannot open', async () => {
    const { parts, options } = setup();
    parts.openEngine.mockRejectedValue(new Error('Another Crier is using /tmp/crier-desktop-test'));
    expect(await startDesktop(options)).toBeNull();
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Crier could not start', expect.stringContaining('Another Crier is using'));
    expect(app.exit).toHaveBeenCalledWith(1);
  });
});

describe('quitting', () => {
  it('closes the engine first, tears the shell down, then exits', async () => {
    const { engine, tray, notifier, options } = setup();
    await startDesktop(options);
    const event = mockEvent();
    app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(true);
    expect(tray.dispose).toHaveBeenCalled();
    expect(notifier.dispose).toHaveBeenCalled();
    expect(ipcMain.handlers.size).toBe(0);
    expect(BrowserWindow.instances.every((w) => w.destroyed)).toBe(true);
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(engine.closed).toBe(true);
  });

  it('exits anyway when the engine does not close within the budget', async () => {
    const { engine, clock, options } = setup();
    vi.spyOn(engine, 'close').mockReturnValue(new Promise(() => {}));
    await startDesktop(options);
    app.emit('before-quit', mockEvent());
    await clock.tick(CLOSE_BUDGET_MS - 1);
    expect(app.exit).not.toHaveBeenCalled();
    await clock.tick(1);
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
  });

  it('runs the shutdown once however often quit is asked', async () => {
    const { engine, options } = setup();
    const close = vi.spyOn(engine, 'close');
    await startDesktop(options);
    app.emit('before-quit', mockEvent());
    app.emit('before-quit', mockEvent());
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalled());
    expect(close).toHaveBeenCalledTimes(1);
  });
});
