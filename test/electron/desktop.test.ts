import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { CLOSE_BUDGET_MS, HIDDEN_FLAG, startDesktop, type DesktopOptions, type ShellParts } from '../../main/electron/desktop';
import type { AccountPort } from '../../main/core/account';
import type { Logger } from '../../main/core/ports';
import type { EngineService } from '../../main/core/service';
import { INVOKE_CHANNELS } from '../../preload/ipc-channels';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { FakeService } from '../support/fake-service';
import { app, BrowserWindow, dialog, ipcMain, loginItem, Menu, mockEvent, net, powerMonitor, protocol, resetElectronMock, shell } from '../mocks/electron';

class FakeEngine extends FakeService implements EngineService {
  readonly start = vi.fn();
  readonly setOffline = vi.fn();
  readonly flush = vi.fn(async () => {});
  readonly notice = vi.fn();
  readonly wake = vi.fn();
}

const LOG_DIR = '/home/someone/.config/Crier/logs';
const PAGE = 'app://crier/tasks.html';

function recordingLogger(): Logger & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>): void => {
    lines.push({ level, msg, ...(fields ? { fields } : {}) });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const account = {} as AccountPort;

function setup(overrides: Partial<DesktopOptions> = {}) {
  const engine = new FakeEngine({ headless: false });
  const clock: FakeClock = createFakeClock();
  const tray = { dispose: vi.fn() };
  const notifier = { dispose: vi.fn() };
  const fileLog = recordingLogger();
  const stderrLog = recordingLogger();
  const closeLog = vi.fn(async () => {});
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
      net: electron.net, shell: electron.shell, dialog: electron.dialog, powerMonitor: electron.powerMonitor, Menu: electron.Menu,
    },
    parts,
    env: { CRIER_DATA_DIR: '/tmp/crier-desktop-test' },
    platform: 'linux',
    homeDir: '/home/someone',
    execPath: '/opt/Crier/crier',
    appPath: '/opt/Crier/resources/app.asar',
    distDir: '/opt/Crier/resources/app.asar/dist',
    argv: ['/opt/Crier/crier'],
    log: stderrLog,
    openLog: vi.fn(async () => ({ log: fileLog, dir: LOG_DIR, close: closeLog })),
    clock,
    ...overrides,
  };
  return { engine, clock, tray, notifier, parts, options, fileLog, stderrLog, closeLog };
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

describe('the log', () => {
  it('goes to the log file once the app is ready', async () => {
    const { options, fileLog, stderrLog } = setup();
    await startDesktop(options);
    app.emit('before-quit', mockEvent());
    expect(fileLog.lines.map((l) => l.msg)).toContain('desktop: quitting');
    expect(stderrLog.lines).toEqual([]);
  });

  it('names its folder when a command fails unexpectedly', async () => {
    const { engine, options } = setup();
    await startDesktop(options);
    vi.spyOn(engine, 'exportOpml').mockRejectedValue(new Error('disk on fire'));
    const result = await ipcMain.invokeAs(PAGE, INVOKE_CHANNELS.exportOpml);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining(LOG_DIR) } });
    expect(JSON.stringify(result)).toContain('Help → Open logs folder');
  });

  it('names its folder in the dialog when the engine cannot start', async () => {
    const { parts, options, closeLog } = setup();
    parts.openEngine.mockRejectedValue(new Error('Another Crier is using /tmp/crier-desktop-test'));
    await startDesktop(options);
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Crier could not start', expect.stringContaining(`Log: ${LOG_DIR}`));
    expect(closeLog).toHaveBeenCalled();
  });

  it('is closed after the engine, before the exit', async () => {
    const { engine, options, closeLog } = setup();
    await startDesktop(options);
    app.emit('before-quit', mockEvent());
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(engine.closed).toBe(true);
    expect(closeLog.mock.invocationCallOrder[0]).toBeLessThan(app.exit.mock.invocationCallOrder[0]!);
  });

  it('stays on stderr, saying so, when the file cannot be opened', async () => {
    const { parts, options, stderrLog } = setup({ openLog: async () => { throw new Error('EACCES: permission denied'); } });
    await startDesktop(options);
    expect(stderrLog.lines[0]).toMatchObject({ level: 'warn', msg: 'desktop: the log file could not be opened; logging to standard error' });
    const { openLogsFolder } = parts.openEngine.mock.calls[0]![1];
    await expect(openLogsFolder!()).rejects.toMatchObject({ code: 'not-supported', message: expect.stringContaining('standard error') });
  });

  it('Open logs folder opens the folder in the OS file manager, and says where it is when that fails', async () => {
    const { parts, options } = setup();
    await startDesktop(options);
    const { openLogsFolder } = parts.openEngine.mock.calls[0]![1];
    await openLogsFolder!();
    expect(shell.openPath).toHaveBeenCalledWith(LOG_DIR);
    shell.openPath.mockResolvedValueOnce('No application is registered for folders');
    await expect(openLogsFolder!()).rejects.toMatchObject({ code: 'not-supported', message: expect.stringContaining(LOG_DIR) });
  });
});

describe('the desktop around the app', () => {
  it('does not open a window for a second launch while quitting', async () => {
    const { engine, options } = setup({ argv: ['/opt/Crier/crier', HIDDEN_FLAG] });
    vi.spyOn(engine, 'close').mockReturnValue(new Promise(() => {}));
    await startDesktop(options);
    app.emit('before-quit', mockEvent());
    app.emit('second-instance', mockEvent(), [], '/');
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it.each(['resume', 'unlock-screen'])('asks the engine to catch up on %s, where the engine can', async (event) => {
    const { engine, options } = setup();
    await startDesktop(options);
    expect(() => powerMonitor.emit(event)).not.toThrow();
    const wake = vi.fn();
    Object.assign(engine, { wake });
    powerMonitor.emit(event);
    expect(wake).toHaveBeenCalledOnce();
  });

  it('flushes and exits when Linux or macOS shuts down', async () => {
    const { engine, options } = setup({ platform: 'darwin' });
    await startDesktop(options);
    powerMonitor.emit('shutdown', mockEvent());
    expect(engine.flush).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(engine.closed).toBe(true);
  });

  it('flushes and exits when the Windows session ends, though before-quit never fires then', async () => {
    const { engine, options } = setup({ platform: 'win32', argv: ['/opt/Crier/crier', HIDDEN_FLAG] });
    await startDesktop(options);
    // The hidden window that hears the session end, and none other.
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
    expect(BrowserWindow.instances[0]!.visible).toBe(false);
    BrowserWindow.sessionEnds(['shutdown']);
    expect(engine.flush).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(engine.closed).toBe(true);
  });

  it('reloads a window whose page crashed and leaves a notice naming the log', async () => {
    const { engine, options } = setup();
    await startDesktop(options);
    const win = BrowserWindow.instances[0]!;
    win.webContents.crash('crashed');
    expect(win.loadURL).toHaveBeenCalledTimes(2);
    expect(engine.notice).toHaveBeenCalledWith('info', expect.stringMatching(/tasks window crashed and was reloaded.*\/logs/), 'renderer-gone:tasks');
  });

  it('gives windows the app icon on Linux, and text fields a right-click menu', async () => {
    const { options } = setup();
    await startDesktop(options);
    const win = BrowserWindow.instances[0]!;
    expect(win.options.icon).toBe('/opt/Crier/resources/app.asar/dist/assets/icon.png');
    win.webContents.rightClick({ isEditable: true, editFlags: { canCut: true, canCopy: true, canPaste: true, canDelete: false, canSelectAll: true, canUndo: false, canRedo: false, canEditRichly: false } });
    expect((Menu.buildFromTemplate.mock.results.at(-1)!.value as Menu).labels()).toEqual(['Cut', 'Copy', 'Paste', '---', 'Select All']);
  });
});
