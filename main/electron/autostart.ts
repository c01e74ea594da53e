// Start at login. macOS and Windows keep login items themselves (app.setLoginItemSettings);
// on Linux that call does nothing (FIELD-NOTES), so Crier writes an XDG autostart entry.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app } from 'electron';
import { HIDDEN_FLAG } from './launch-flags';

export interface AutostartDeps {
  platform: NodeJS.Platform;
  homeDir: string;
  /** process.execPath: the Electron binary (development) or the packaged app's. */
  execPath: string;
  /** app.getAppPath(): passed to the binary in development, implied when packaged. */
  appPath: string;
  /** XDG_CONFIG_HOME and APPIMAGE are read from here (default: process.env). */
  env?: Record<string, string | undefined>;
}

export const AUTOSTART_FILE_NAME = 'crier.desktop';

/**
 * What identifies Crier's login item, for setting and reading alike: Windows keeps one entry
 * per program and arguments, and getLoginItemSettings() reports openAtLogin only for the args
 * it is given (Electron docs, app.getLoginItemSettings). macOS ignores the args and reports
 * wasOpenedAtLogin instead.
 */
export const LOGIN_ITEM = { args: [HIDDEN_FLAG] } as const;

/** Rejects when the Linux entry cannot be written or removed, so the caller can say so. */
export async function applyStartAtLogin(enabled: boolean, deps: AutostartDeps): Promise<void> {
  if (deps.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: enabled, args: [...LOGIN_ITEM.args] });
    return;
  }
  const file = autostartFile(deps);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(path.dirname(file), { recursive: true });
  // Written whole and renamed into place: a session starting meanwhile never reads half a file.
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, desktopEntry(launchCommand(deps)), { mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Whether Crier is set to start at login, as the OS sees it (for reconciling with the setting). */
export async function isStartAtLoginEnabled(deps: AutostartDeps): Promise<boolean> {
  if (deps.platform !== 'linux') return app.getLoginItemSettings({ args: [...LOGIN_ITEM.args] }).openAtLogin;
  try {
    const text = await readFile(autostartFile(deps), 'utf8');
    return !/^\s*(Hidden\s*=\s*true|X-GNOME-Autostart-enabled\s*=\s*false)\s*$/m.test(text);
  } catch {
    return false;
  }
}

/** ~/.config/autostart/crier.desktop, or under $XDG_CONFIG_HOME when that is an absolute path (the spec ignores relative ones). */
export function autostartFile(deps: Pick<AutostartDeps, 'homeDir' | 'env'>): string {
  const configured = (deps.env ?? process.env).XDG_CONFIG_HOME;
  const configHome = configured && path.isAbsolute(configured) ? configured : path.join(deps.homeDir, '.config');
  return path.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * The program and its arguments. An AppImage runs from a temporary mount, so its own path
 * ($APPIMAGE) is what starts it again; a packaged app's resources sit beside its binary, so
 * the binary alone starts it; in development the Electron binary needs the app's directory.
 */
export function launchCommand(deps: Pick<AutostartDeps, 'execPath' | 'appPath' | 'env'>): string[] {
  const appImage = (deps.env ?? process.env).APPIMAGE;
  if (appImage) return [appImage, HIDDEN_FLAG];
  const resources = path.join(path.dirname(deps.execPath), 'resources');
  const packaged = deps.appPath === resources || deps.appPath.startsWith(resources + path.sep);
  return packaged ? [deps.execPath, HIDDEN_FLAG] : [deps.execPath, deps.appPath, HIDDEN_FLAG];
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Crier',
    'Comment=Posts new RSS and Atom feed items to X',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

// Desktop Entry Specification 1.5, "The Exec key": an argument holding a reserved character is
// double-quoted, and inside the quotes " ` $ \ take a backslash; a literal % is %%.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec argument, ready for the file. The value then goes through the spec's string
 * escapes as well, which is why a backslash in a path ends up as four.
 */
export function quoteExecArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  const quoted = RESERVED.test(arg) || arg === '' ? `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : percent;
  return quoted.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c);
}
