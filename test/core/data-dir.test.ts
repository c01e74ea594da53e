import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../main/core/data-dir';

describe('defaultDataDir', () => {
  it('uses XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/Crier');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Crier');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the spec requires', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'rel' }, 'linux', '/home/u')).toBe('/home/u/.config/Crier');
  });

  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Crier');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Crier');
  });
});

describe('resolveDataDir', () => {
  it('prefers the flag, then CRIER_DATA_DIR, then the OS default', () => {
    expect(resolveDataDir('/flag', { CRIER_DATA_DIR: '/env' }, 'linux')).toBe('/flag');
    expect(resolveDataDir(undefined, { CRIER_DATA_DIR: '/env' }, 'linux')).toBe('/env');
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/Crier');
  });
});
