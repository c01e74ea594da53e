// The desktop shell's composition: which Electron module feeds which wrapper, and the app's
// lifecycle (one instance, scheme before ready, a tray app that outlives its windows, a bounded
// engine shutdown on quit). Every collaborator is passed in, so a test drives it with the
// electron mock and fakes; main.ts only hands over the real ones.
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { AccountPort } from '../core/account';
import type { EngineOptions } from '../core/app-service';
import { defaultDataDir } from '../core/data-dir';
import type { EngineExtras } from '../core/engine';
import type { Clock, Logger } from '../core/ports';
import type { EngineService } from '../core/service';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { registerIpc } from './ipc';
import { createNetFetch } from './net-fetch';
import { watchOnline } from './online';
import { HIDDEN_FLAG } from './launch-flags';
import { installSecurityGuards } from './security';
import { createWindows, type Windows } from './windows';

/** How long quitting waits for the engine (a post in flight, the store flush) before exiting anyway. */
export const CLOSE_BUDGET_MS = 15_000;

export interface ElectronModules {
  app: Pick<Electron.App, 'requestSingleInstanceLock' | 'quit' | 'exit' | 'on' | 'whenReady' | 'setAppUserModelId' | 'getLoginItemSettings'>;
  BrowserWindow: new (options: Electron.BrowserWindowConstructorOptions) => Electron.BrowserWindow;
  ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;
  protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  net: Pick<Electron.Net, 'fetch' | 'request' | 'isOnline'>;
  shell: Pick<Electron.Shell, 'openExternal'>;
  dialog: Pick<Electron.Dialog, 'showErrorBox'>;
}

/** The colleague modules (tray, notifications, autostart, secrets) and the engine, injectable. */
export interface ShellParts {
  openEngine(options: EngineOptions, extras: EngineExtras): Promise<EngineService>;
  createSafeStorageAccount(deps: { dataDir: string; env: Record<string, string | undefined>; log: Logger }): Promise<AccountPort>;
  createTray(deps: { service: EngineService; openWindow(kind: 'tasks' | 'settings'): void; quit(): void; platform: NodeJS.Platform; assetsDir: string; log: Logger }): { dispose(): void };
  createNotifier(deps: { service: EngineService; openTasks(): void; log: Logger }): { dispose(): void };
  applyStartAtLogin(enabled: boolean, deps: { platform: NodeJS.Platform; homeDir: string; execPath: string; appPath: string }): Promise<void>;
}

export interface DesktopOptions {
  electron: ElectronModules;
  parts: ShellParts;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homeDir: string;
  execPath: string;
  /** app.getAppPath(), for the autostart entry in development. */
  appPath: string;
  /** dist/: renderer/, preload.cjs, assets/. */
  distDir: string;
  argv: readonly string[];
  log: Logger;
  clock: Clock;
}

export interface Desktop {
  service: EngineService;
  windows: Windows;
}

export { HIDDEN_FLAG };

export async function startDesktop(options: DesktopOptions): Promise<Desktop | null> {
  const { electron, parts, log, platform } = options;
  const { app } = electron;

  if (!app.requestSingleInstanceLock()) {
    // The first instance gets 'second-instance' and shows its window.
    app.quit();
    return null;
  }
  registerAppScheme(electron.protocol);
  installSecurityGuards(app, { openExternal: (url) => electron.shell.openExternal(url), log });

  let windows: Windows | null = null;
  let openWhenReady = false;
  app.on('second-instance', () => {
    if (windows) windows.open('tasks');
    else openWhenReady = true;
  });
  // A tray app: closing the last window must not quit (Electron's default when nobody listens).
  app.on('window-all-closed', () => {});

  // Windows shows notifications only for an app with its own user model id.
  if (platform === 'win32') app.setAppUserModelId('app.crier.desktop');
  await app.whenReady();
  serveAppProtocol(electron.protocol, join(options.distDir, 'renderer'));

  const dataDir = options.env.CRIER_DATA_DIR || defaultDataDir(options.env, platform, options.homeDir);
  let service: EngineService;
  try {
    const account = await parts.createSafeStorageAccount({ dataDir, env: options.env, log });
    service = await parts.openEngine(
      { dataDir, env: options.env, log, headless: false, clock: options.clock },
      { account, fetch: createNetFetch(electron.net) },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error('desktop: the engine did not start', { dataDir, error: message });
    electron.dialog.showErrorBox('Crier could not start', `${message}\n\nData folder: ${dataDir}`);
    app.exit(1);
    return null;
  }

  const wins = createWindows({
    createWindow: (o) => new electron.BrowserWindow(o),
    preloadPath: join(options.distDir, 'preload.cjs'),
    log,
  });
  windows = wins;
  const ipc = registerIpc({ ipcMain: electron.ipcMain, service, targets: () => wins.all().map((w) => w.webContents), log });
  const tray = parts.createTray({
    service, openWindow: (kind) => wins.open(kind), quit: () => app.quit(), platform,
    assetsDir: join(options.distDir, 'assets'), log,
  });
  const notifier = parts.createNotifier({ service, openTasks: () => wins.open('tasks'), log });
  const stopAutostart = followStartAtLogin(service, options);
  const online = watchOnline({ isOnline: () => electron.net.isOnline(), setOffline: (o) => service.setOffline(o), clock: options.clock, log });

  let closing = false;
  app.on('before-quit', (event) => {
    event.preventDefault();
    if (closing) return;
    closing = true;
    log.info('desktop: quitting');
    online.stop();
    stopAutostart();
    notifier.dispose();
    tray.dispose();
    ipc.dispose();
    wins.destroyAll();
    void closeWithin(service, options.clock, log).finally(() => app.exit(0));
  });

  // Started at login (Linux and Windows pass the flag; macOS says so itself): stay in the tray.
  const atLogin = options.argv.includes(HIDDEN_FLAG) || (platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  if (openWhenReady || !atLogin) wins.open('tasks');
  return { service, windows: wins };
}

/** Keeps the OS login item in step with settings.startAtLogin (applied on every change, and once at start). */
function followStartAtLogin(service: EngineService, options: DesktopOptions): () => void {
  const { log } = options;
  const where = { platform: options.platform, homeDir: options.homeDir, execPath: options.execPath, appPath: options.appPath };
  let current: boolean | null = null;
  const apply = (enabled: boolean): void => {
    if (enabled === current) return;
    current = enabled;
    options.parts.applyStartAtLogin(enabled, where).catch((err: unknown) => log.warn('desktop: start at login could not be changed', { enabled, error: err instanceof Error ? err.message : String(err) }));
  };
  const unsubscribe = service.onDelta((delta) => {
    if (delta.settings) apply(delta.settings.startAtLogin);
  });
  // Once at start: the entry refreshes the program path if Crier moved; off stays off.
  service.getState().then((s) => {
    if (current === null && s.settings.startAtLogin) apply(true);
    else if (current === null) current = false;
  }, () => undefined);
  return unsubscribe;
}

async function closeWithin(service: EngineService, clock: Clock, log: Logger): Promise<void> {
  let cancel: () => void = () => {};
  const timeout = new Promise<'timeout'>((resolve) => {
    cancel = clock.setTimeout(() => resolve('timeout'), CLOSE_BUDGET_MS);
  });
  try {
    const outcome = await Promise.race([service.close().then(() => 'closed' as const), timeout]);
    if (outcome === 'timeout') log.warn('desktop: the engine did not close in time; exiting anyway', { budgetMs: CLOSE_BUDGET_MS });
  } catch (err) {
    log.error('desktop: closing the engine failed', { error: err instanceof Error ? err.message : String(err) });
  } finally {
    cancel();
  }
}
