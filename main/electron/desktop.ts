// The desktop shell's composition: which Electron module feeds which wrapper, and the app's
// lifecycle (one instance, scheme before ready, a tray app that outlives its windows, a bounded
// engine shutdown on quit, the log file, sleep and the end of the session). Every collaborator
// is passed in, so a test drives it with the electron mock and fakes; main.ts only hands over
// the real ones.
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { AccountPort } from '../core/account';
import type { EngineOptions } from '../core/app-service';
import { defaultDataDir } from '../core/data-dir';
import type { EngineExtras } from '../core/engine';
import type { Clock, Logger } from '../core/ports';
import { CommandError } from '../core/errors';
import type { EngineService } from '../core/service';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { registerIpc } from './ipc';
import { createNetFetch } from './net-fetch';
import { createDesktopOAuth2Callback } from './oauth2-callback';
import type { SafeStorageSecrets } from './oauth2-secrets';
import { watchOnline } from './online';
import { HIDDEN_FLAG } from './launch-flags';
import { switchableLogger } from './logs';
import { watchPowerAndSession } from './power';
import { installSecurityGuards, secureWebPreferences } from './security';
import { createWindows, type RendererGone, type Windows } from './windows';

/** How long quitting waits for the engine (a post in flight, the store flush) before exiting anyway. */
export const CLOSE_BUDGET_MS = 15_000;

export interface ElectronModules {
  app: Pick<Electron.App, 'requestSingleInstanceLock' | 'quit' | 'exit' | 'on' | 'whenReady' | 'setAppUserModelId' | 'getLoginItemSettings'>;
  BrowserWindow: new (options: Electron.BrowserWindowConstructorOptions) => Electron.BrowserWindow;
  ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;
  protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  net: Pick<Electron.Net, 'fetch' | 'request' | 'isOnline'>;
  shell: Pick<Electron.Shell, 'openExternal' | 'openPath'>;
  dialog: Pick<Electron.Dialog, 'showErrorBox'>;
  powerMonitor: Pick<Electron.PowerMonitor, 'on' | 'removeListener'>;
  Menu: Pick<typeof Electron.Menu, 'buildFromTemplate'>;
}

/** The open log file (main.ts: openLogFile in app.getPath('logs')). */
export interface OpenedLog {
  log: Logger;
  /** The folder: what Help → Open logs folder opens and every "see the log" message names. */
  dir: string;
  close(): Promise<void>;
}

/** The colleague modules (tray, notifications, autostart, secrets) and the engine, injectable. */
export interface ShellParts {
  openEngine(options: EngineOptions, extras: EngineExtras): Promise<EngineService>;
  createSafeStorageAccount(deps: { dataDir: string; env: Record<string, string | undefined>; log: Logger }): Promise<AccountPort>;
  /** Where OAuth 2.0 tokens are kept (safeStorage); without it the desktop connects with OAuth 1.0a keys only. */
  createOAuth2Secrets?(deps: { dataDir: string; log: Logger; holds?: 'oauth2' | 'networks' }): Promise<SafeStorageSecrets>;
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
  /** Where lines go until the log file is open, and for good if it cannot be (stderr). */
  log: Logger;
  /** Opens the log file; called once the app is ready. */
  openLog(): Promise<OpenedLog>;
  clock: Clock;
}

export interface Desktop {
  service: EngineService;
  windows: Windows;
}

export { HIDDEN_FLAG };

/** The engine's catch-up after sleep, built elsewhere; called only where it exists. */

export async function startDesktop(options: DesktopOptions): Promise<Desktop | null> {
  const { electron, parts, platform } = options;
  const { app } = electron;
  const log = switchableLogger(options.log);

  if (!app.requestSingleInstanceLock()) {
    // The first instance gets 'second-instance' and shows its window.
    app.quit();
    return null;
  }
  registerAppScheme(electron.protocol);
  installSecurityGuards(app, { openExternal: (url) => electron.shell.openExternal(url), log });

  let windows: Windows | null = null;
  let openWhenReady = false;
  let closing = false;
  app.on('second-instance', () => {
    // Quitting: a window now would open on an app about to exit, and keep nothing.
    if (closing) return log.info('desktop: launched again while quitting; no window opened');
    if (windows) windows.open('tasks');
    else openWhenReady = true;
  });
  // A tray app: closing the last window must not quit (Electron's default when nobody listens).
  app.on('window-all-closed', () => {});

  // Windows shows notifications only for an app with its own user model id.
  if (platform === 'win32') app.setAppUserModelId('app.crier.desktop');
  await app.whenReady();
  serveAppProtocol(electron.protocol, join(options.distDir, 'renderer'));

  let openedLog: OpenedLog | null = null;
  try {
    openedLog = await options.openLog();
    log.use(openedLog.log);
  } catch (err) {
    log.warn('desktop: the log file could not be opened; logging to standard error', { error: err instanceof Error ? err.message : String(err) });
  }
  const logDir = openedLog?.dir ?? null;
  const logPlace = logDir ? `its log, in ${logDir}` : 'its log (standard error)';
  const openLogsFolder = async (): Promise<void> => {
    if (!logDir) throw new CommandError('not-supported', 'The log file could not be opened when Crier started, so its log goes to standard error.');
    // Resolves with an error message, or '' when the file manager opened (Electron docs, shell.openPath).
    const failure = await electron.shell.openPath(logDir);
    if (failure) throw new CommandError('not-supported', `The logs folder could not be opened (${failure}). It is ${logDir}`);
  };

  const dataDir = options.env.CRIER_DATA_DIR || defaultDataDir(options.env, platform, options.homeDir);
  let service: EngineService;
  let engine: EngineService | null = null;
  // Connect opens the loopback callback at the port the settings name and the system browser on X's page.
  const oauth2Callback = createDesktopOAuth2Callback({
    redirectPort: async () => (engine ? (await engine.getState({ taskLimit: 0 })).settings.oauth2RedirectPort : undefined),
    openExternal: (url) => electron.shell.openExternal(url),
    log,
  });
  try {
    const account = await parts.createSafeStorageAccount({ dataDir, env: options.env, log });
    const oauth2Store = parts.createOAuth2Secrets ? await parts.createOAuth2Secrets({ dataDir, log }) : undefined;
    const networkStore = parts.createOAuth2Secrets ? await parts.createOAuth2Secrets({ dataDir, log, holds: 'networks' }) : undefined;
    service = await parts.openEngine(
      { dataDir, env: options.env, log, headless: false, clock: options.clock },
      { account, fetch: createNetFetch(electron.net), openLogsFolder, oauth2Callback, ...(oauth2Store ? { oauth2Store } : {}), ...(networkStore ? { networkStore } : {}) },
    );
    engine = service;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error('desktop: the engine did not start', { dataDir, error: message });
    electron.dialog.showErrorBox('Crier could not start', `${message}\n\nData folder: ${dataDir}\nLog: ${logDir ?? 'standard error'}`);
    await openedLog?.close();
    app.exit(1);
    return null;
  }

  const preloadPath = join(options.distDir, 'preload.cjs');
  const wins = createWindows({
    createWindow: (o) => new electron.BrowserWindow(o),
    preloadPath,
    log,
    // Linux takes the window icon from the window (macOS and Windows from the app bundle).
    ...(platform === 'linux' ? { iconPath: join(options.distDir, 'assets', 'icon.png') } : {}),
    now: () => options.clock.now(),
    onRendererGone: (report) => service.notice('info', rendererGoneNotice(report, logPlace), `renderer-gone:${report.kind}`),
    contextMenu: { buildFromTemplate: (template) => electron.Menu.buildFromTemplate(template) },
  });
  windows = wins;
  const ipc = registerIpc({
    ipcMain: electron.ipcMain, service, targets: () => wins.all().map((w) => w.webContents), log,
    internalMessage: `Something went wrong inside Crier; the details are in ${logPlace} (tray menu: Help → Open logs folder).`,
  });
  const tray = parts.createTray({
    service, openWindow: (kind) => wins.open(kind), quit: () => app.quit(), platform,
    assetsDir: join(options.distDir, 'assets'), log,
  });
  const notifier = parts.createNotifier({ service, openTasks: () => wins.open('tasks'), log });
  const stopAutostart = followStartAtLogin(service, options);
  const online = watchOnline({ isOnline: () => electron.net.isOnline(), setOffline: (o) => service.setOffline(o), clock: options.clock, log });

  // Runs once, whoever asks: the tray's Quit (before-quit), a signal, or the OS ending the session.
  let power: { dispose(): void } | null = null;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    log.info('desktop: quitting');
    online.stop();
    stopAutostart();
    power?.dispose();
    notifier.dispose();
    tray.dispose();
    ipc.dispose();
    void oauth2Callback.close();
    wins.destroyAll();
    void closeWithin(service, options.clock, log)
      .then(() => openedLog?.close())
      .catch(() => undefined)
      .finally(() => app.exit(0));
  };
  app.on('before-quit', (event) => {
    event.preventDefault();
    shutdown();
  });
  power = watchPowerAndSession({
    powerMonitor: electron.powerMonitor,
    platform,
    wake: () => {
      try {
        service.wake();
      } catch (err) {
        log.error('desktop: catching up after sleep failed', { error: err instanceof Error ? err.message : String(err) });
      }
    },
    flush: () => service.flush(),
    quit: shutdown,
    // Never shown and never loads a page; it is there for Windows' session events.
    createSessionWindow: () => new electron.BrowserWindow({ show: false, width: 1, height: 1, skipTaskbar: true, focusable: false, webPreferences: secureWebPreferences(preloadPath) }),
    log,
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

function rendererGoneNotice(report: RendererGone, logPlace: string): string {
  const which = report.kind === 'tasks' ? 'tasks' : 'settings';
  const why = report.reason === 'oom' ? 'ran out of memory' : report.reason === 'killed' ? 'was stopped from outside' : 'crashed';
  return report.outcome === 'reloaded'
    ? `The ${which} window ${why} and was reloaded. If it happens again, the details are in ${logPlace}.`
    : `The ${which} window ${why} again and again, so Crier closed it; open it again from the tray. The details are in ${logPlace}.`;
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
