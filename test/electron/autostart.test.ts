import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyStartAtLogin, autostartFile, desktopEntry, isStartAtLoginEnabled, launchCommand, quoteExecArg, type AutostartDeps,
} from '../../main/electron/autostart';
import { loginItem, resetElectronMock } from '../mocks/electron';

let home: string;
beforeEach(async () => {
  resetElectronMock();
  home = await mkdtemp(path.join(tmpdir(), 'crier-autostart-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const linux = (fields: Partial<AutostartDeps> = {}): AutostartDeps => ({
  platform: 'linux', homeDir: home, execPath: '/opt/Crier/crier', appPath: '/opt/Crier/resources/app.asar', env: {}, ...fields,
});

describe('applyStartAtLogin on Linux', () => {
  it('writes an XDG autostart entry that starts the packaged app', async () => {
    await applyStartAtLogin(true, linux());
    const text = await readFile(path.join(home, '.config', 'autostart', 'crier.desktop'), 'utf8');
    expect(text).toBe([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.0',
      'Name=Crier',
      'Comment=Posts new RSS and Atom feed items to X',
      'Exec=/opt/Crier/crier --hidden',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'));
    expect(await readdir(path.join(home, '.config', 'autostart'))).toEqual(['crier.desktop']);
  });

  it('passes the app directory to the Electron binary in development, quoted when it has a space', async () => {
    await applyStartAtLogin(true, linux({ execPath: '/work/node_modules/electron/dist/electron', appPath: '/home/me/My Code/crier' }));
    const text = await readFile(autostartFile({ homeDir: home, env: {} }), 'utf8');
    expect(text).toContain('Exec=/work/node_modules/electron/dist/electron "/home/me/My Code/crier" --hidden\n');
  });

  it('starts an AppImage by its own path, not the temporary mount', async () => {
    await applyStartAtLogin(true, linux({ execPath: '/tmp/.mount_CrierX/crier', appPath: '/tmp/.mount_CrierX/resources/app.asar', env: { APPIMAGE: '/home/me/Apps/Crier.AppImage' } }));
    expect(await readFile(autostartFile({ homeDir: home, env: {} }), 'utf8')).toContain('Exec=/home/me/Apps/Crier.AppImage --hidden\n');
  });

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', async () => {
    const config = path.join(home, 'xdg');
    await applyStartAtLogin(true, linux({ env: { XDG_CONFIG_HOME: config } }));
    expect((await stat(path.join(config, 'autostart', 'crier.desktop'))).isFile()).toBe(true);
    expect(autostartFile({ homeDir: home, env: { XDG_CONFIG_HOME: 'relative/dir' } })).toBe(path.join(home, '.config', 'autostart', 'crier.desktop'));
  });

  it('rewrites an existing entry whole', async () => {
    const file = autostartFile({ homeDir: home, env: {} });
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '[Desktop Entry]\nExec=/old/crier --stale\nHidden=true\n');
    await applyStartAtLogin(true, linux());
    expect(await readFile(file, 'utf8')).toBe(desktopEntry(['/opt/Crier/crier', '--hidden']));
    expect(await isStartAtLoginEnabled(linux())).toBe(true);
  });

  it('removes the entry when turned off, and turning off twice is fine', async () => {
    await applyStartAtLogin(true, linux());
    expect(await isStartAtLoginEnabled(linux())).toBe(true);
    await applyStartAtLogin(false, linux());
    await applyStartAtLogin(false, linux());
    expect(await readdir(path.join(home, '.config', 'autostart'))).toEqual([]);
    expect(await isStartAtLoginEnabled(linux())).toBe(false);
  });

  it('reads an entry the desktop disabled as off', async () => {
    const file = autostartFile({ homeDir: home, env: {} });
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, desktopEntry(['/opt/Crier/crier']).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(await isStartAtLoginEnabled(linux())).toBe(false);
  });

  it('rejects when the entry cannot be written, leaving no temporary file', async () => {
    await writeFile(path.join(home, '.config'), 'a file where the directory should be');
    await expect(applyStartAtLogin(true, linux())).rejects.toThrow();
    expect(await readdir(home)).toEqual(['.config']);
  });

  it('never touches the login item API', async () => {
    await applyStartAtLogin(true, linux());
    expect(loginItem.setLoginItemSettings).not.toHaveBeenCalled();
  });
});

describe.each<NodeJS.Platform>(['darwin', 'win32'])('applyStartAtLogin on %s', (platform) => {
  const deps = (): AutostartDeps => ({ platform, homeDir: home, execPath: '/Applications/Crier.app/Contents/MacOS/Crier', appPath: '/x', env: {} });

  it('sets the login item and writes no file', async () => {
    await applyStartAtLogin(true, deps());
    expect(loginItem.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] });
    expect(await isStartAtLoginEnabled(deps())).toBe(true);
    await applyStartAtLogin(false, deps());
    expect(loginItem.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false, args: ['--hidden'] });
    expect(await isStartAtLoginEnabled(deps())).toBe(false);
    expect(await readdir(home)).toEqual([]);
  });

  it('reads the login item back with the args it was set with, which Windows needs to find it', async () => {
    await applyStartAtLogin(true, deps());
    expect(await isStartAtLoginEnabled(deps())).toBe(true);
    expect(loginItem.getLoginItemSettings).toHaveBeenLastCalledWith({ args: ['--hidden'] });
    // What the old code asked: no args, so Windows looked for another entry and said no.
    expect(loginItem.getLoginItemSettings().openAtLogin).toBe(false);
  });
});

describe('Exec quoting (Desktop Entry Specification)', () => {
  it.each([
    ['/usr/bin/crier', '/usr/bin/crier'],
    ['/home/me/My Apps/crier', '"/home/me/My Apps/crier"'],
    ['/opt/100%/crier', '/opt/100%%/crier'],
    ['/opt/a$b/crier', '"/opt/a\\\\$b/crier"'],
    ['/opt/say "hi"/crier', '"/opt/say \\\\"hi\\\\"/crier"'],
    ['/opt/back\\slash', '"/opt/back\\\\\\\\slash"'],
    ['/opt/tick`/crier', '"/opt/tick\\\\`/crier"'],
    ["/opt/it's/crier", '"/opt/it\'s/crier"'],
    ['/opt/new\nline', '"/opt/new\\nline"'],
    ['', '""'],
  ])('writes %j as %s', (arg, written) => {
    expect(quoteExecArg(arg)).toBe(written);
  });

  it('keeps the binary alone when the app sits in its resources directory', () => {
    expect(launchCommand({ execPath: '/opt/Crier/crier', appPath: '/opt/Crier/resources/app', env: {} })).toEqual(['/opt/Crier/crier', '--hidden']);
    expect(launchCommand({ execPath: '/usr/lib/electron/electron', appPath: '/src/crier', env: {} })).toEqual(['/usr/lib/electron/electron', '/src/crier', '--hidden']);
  });
});
