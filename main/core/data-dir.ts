// Where Crier keeps its data when neither --data-dir nor CRIER_DATA_DIR says: the OS's own
// per-user application data directory, under the same name Electron's app.getPath('userData') uses.
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const APP_DIR_NAME = 'Crier';

export function defaultDataDir(env: Record<string, string | undefined>, platform: NodeJS.Platform, home = homedir()): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : posix.join(home, '.config');
  return posix.join(config, APP_DIR_NAME);
}

/** --data-dir, else CRIER_DATA_DIR, else the OS default. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>, platform: NodeJS.Platform): string {
  if (flag) return flag;
  if (env.CRIER_DATA_DIR) return env.CRIER_DATA_DIR;
  return defaultDataDir(env, platform);
}
