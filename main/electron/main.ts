// The Electron entry (dist/electron/main.js): hands the real Electron modules, the shell's parts
// and the environment to startDesktop. Everything with behaviour lives in desktop.ts.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, powerMonitor, protocol, shell } from 'electron';
import { openEngine } from '../core/engine';
import { systemClock } from '../core/ports';
import { createLogger } from '../shell/log';
import { applyStartAtLogin } from './autostart';
import { startDesktop } from './desktop';
import { openLogFile } from './logs';
import { createNotifier } from './notifications';
import { createSafeStorageSecrets } from './oauth2-secrets';
import { createSafeStorageAccount } from './secrets';
import { createTray } from './tray';

const verbose = process.argv.includes('--verbose');
// Until the log file is open (after ready), and for good if it cannot be.
const log = createLogger({ verbose });
// A service manager or `kill` asks politely: quit as the tray's Quit would, closing the engine.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => app.quit());

startDesktop({
  electron: { app, BrowserWindow, ipcMain, protocol, net, shell, dialog, powerMonitor, Menu },
  parts: { openEngine, createSafeStorageAccount, createOAuth2Secrets: createSafeStorageSecrets, createTray, createNotifier, applyStartAtLogin },
  env: process.env,
  platform: process.platform,
  homeDir: homedir(),
  execPath: process.execPath,
  appPath: app.getAppPath(),
  // dist/electron/main.js → dist/
  distDir: join(dirname(fileURLToPath(import.meta.url)), '..'),
  argv: process.argv,
  log,
  openLog: async () => {
    const dir = app.getPath('logs');
    // Run from a terminal in development (`npm start`), the lines show there too.
    const file = await openLogFile(dir, { verbose, ...(app.isPackaged ? {} : { alsoTo: process.stderr }) });
    return { log: file.log, dir, close: () => file.close() };
  },
  clock: systemClock,
}).catch((err: unknown) => {
  log.error('desktop: startup failed', { error: err instanceof Error ? err.message : String(err) });
  app.exit(1);
});
