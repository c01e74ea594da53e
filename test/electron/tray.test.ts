import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTray, type TrayDeps, type TrayWindow } from '../../main/electron/tray';
import type { Logger } from '../../main/core/ports';
import { FakeService } from '../support/fake-service';
import { Menu, MockNativeImage, resetElectronMock, Tray } from '../mocks/electron';

const ASSETS = fileURLToPath(new URL('../../assets', import.meta.url));
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(platform: NodeJS.Platform = 'linux', service = new FakeService({ headless: false })) {
  const opened: TrayWindow[] = [];
  const quit = vi.fn();
  const log: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const deps: TrayDeps = { service, openWindow: (kind) => opened.push(kind), quit, platform, assetsDir: ASSETS, log };
  const handle = createTray(deps);
  const tray = Tray.instances.at(-1);
  if (!tray) throw new Error('no Tray was created');
  const menu = (): Menu => {
    if (!tray.contextMenu) throw new Error('no context menu set');
    return tray.contextMenu;
  };
  const iconPath = (): string | null => (tray.image instanceof MockNativeImage ? tray.image.path : null);
  return { service, opened, quit, log, handle, tray, menu, iconPath };
}

beforeEach(() => {
  resetElectronMock();
});

describe('createTray', () => {
  it('sets a context menu at once, before the state arrives, that still opens the windows and quits', () => {
    const { menu } = setup();
    expect(menu().labels()).toEqual(['Crier is starting…', '---', 'Open tasks', 'Settings…', 'Help', '---', 'Quit Crier']);
  });

  it('renders the menu and tooltip from the state once it arrives', async () => {
    const { menu, tray } = setup();
    await settle();
    expect(menu().labels()).toContain('Retry all failed (0)');
    expect(menu().item('Retry all failed (0)').enabled).toBe(false);
    expect(tray.tooltip).toBe('Crier — dry run');
  });

  it('rebuilds the menu, tooltip and icon after a delta', async () => {
    const { service, menu, tray, iconPath } = setup();
    await settle();
    expect(iconPath()).toBe(path.join(ASSETS, 'tray.png'));
    service.putTask({ status: 'failed', itemTitle: 'Broken' });
    expect(menu().labels()).toContain('Pending 0 · Running 0 · Failed 1');
    expect(menu().item('Retry all failed (1)').enabled).toBe(true);
    expect(tray.tooltip).toBe('Crier — 1 failed, dry run');
    expect(iconPath()).toBe(path.join(ASSETS, 'tray-error.png'));
  });

  it('loads icons that exist, as template images on macOS', async () => {
    const { tray, service } = setup('darwin');
    await settle();
    await service.pause();
    const image = tray.image as MockNativeImage;
    expect(image.path).toBe(path.join(ASSETS, 'tray-pausedTemplate.png'));
    expect(image.isEmpty()).toBe(false);
    expect(image.template).toBe(true);
  });

  it('leaves the menu alone when a delta changes nothing it shows', async () => {
    const { service, tray } = setup();
    await settle();
    const before = tray.setContextMenu.mock.calls.length;
    await service.addFeed({ url: 'https://example.com/feed.xml' });
    expect(tray.setContextMenu.mock.calls.length).toBe(before);
  });

  it.each([
    ['Poll now', 'pollNow'],
    ['Pause', 'pause'],
  ])('%s calls the service', async (label, method) => {
    const { service, menu } = setup();
    await settle();
    menu().click(label);
    await settle();
    expect(service.calls).toContain(method);
  });

  it('Resume calls the service while paused', async () => {
    const { service, menu } = setup();
    await settle();
    await service.pause();
    menu().click('Resume');
    await settle();
    expect(service.calls.filter((c) => c === 'resume')).toHaveLength(1);
    expect(menu().labels()).toContain('Pause');
  });

  it('Retry all failed retries every failed task', async () => {
    const { service, menu } = setup();
    await settle();
    service.putTask({ status: 'failed' });
    service.putTask({ status: 'failed' });
    menu().click('Retry all failed (2)');
    await settle();
    expect(service.calls).toContain('retryAllFailed');
    expect(menu().labels()).toContain('Retry all failed (0)');
  });

  it('Start at login flips the setting', async () => {
    const { service, menu } = setup();
    await settle();
    const spy = vi.spyOn(service, 'updateSettings');
    menu().click('Start at login');
    await settle();
    expect(spy).toHaveBeenCalledWith({ startAtLogin: true });
    expect(menu().item('Start at login').checked).toBe(true);
    menu().click('Start at login');
    await settle();
    expect(spy).toHaveBeenLastCalledWith({ startAtLogin: false });
    expect(menu().item('Start at login').checked).toBe(false);
  });

  it('Open tasks, Settings… and Quit reach the shell', async () => {
    const { menu, opened, quit } = setup();
    await settle();
    menu().click('Open tasks');
    menu().click('Settings…');
    menu().click('Quit Crier');
    expect(opened).toEqual(['tasks', 'settings']);
    expect(quit).toHaveBeenCalledOnce();
  });

  it('Help → Open logs folder asks the service to open it', async () => {
    const { service, menu } = setup();
    await settle();
    menu().submenu('Help').click('Open logs folder');
    await settle();
    expect(service.calls).toContain('openLogsFolder');
  });

  it('on Windows a left click opens the tasks window and a right click the menu', () => {
    const { tray, opened } = setup('win32');
    tray.userClicks('win32', 'left');
    expect(opened).toEqual(['tasks']);
    expect(tray.openMenu).toBeNull();
    tray.userClicks('win32', 'right');
    expect(opened).toEqual(['tasks']);
    expect(tray.openMenu?.menu).toBe(tray.contextMenu);
  });

  it('on macOS a click shows the menu and opens no window, though Electron emits click first', () => {
    const { tray, opened } = setup('darwin');
    tray.userClicks('darwin', 'left');
    expect(tray.openMenu?.menu).toBe(tray.contextMenu);
    expect(opened).toEqual([]);
  });

  it('on Linux a click shows the menu and opens no window', () => {
    const { tray, opened } = setup('linux');
    tray.userClicks('linux');
    expect(tray.openMenu).not.toBeNull();
    expect(opened).toEqual([]);
  });

  it('logs a command that fails instead of letting it go unhandled', async () => {
    const { service, menu, log } = setup();
    await settle();
    vi.spyOn(service, 'pollNow').mockRejectedValue(new Error('store closed'));
    vi.spyOn(service, 'pause').mockImplementation(() => { throw new Error('thrown at once'); });
    menu().click('Poll now');
    menu().click('Pause');
    await settle();
    expect(log.error).toHaveBeenCalledWith('tray: poll now failed', { error: 'store closed' });
    expect(log.error).toHaveBeenCalledWith('tray: pause failed', { error: 'thrown at once' });
  });

  it('keeps the starting menu and logs when the state cannot be read', async () => {
    const service = new FakeService({ headless: false });
    vi.spyOn(service, 'getState').mockRejectedValue(new Error('no state'));
    const { menu, log } = setup('linux', service);
    await settle();
    expect(menu().labels()).toContain('Quit Crier');
    expect(log.error).toHaveBeenCalledWith('tray: could not read the state', { error: 'no state' });
  });

  it.each(['darwin', 'win32'] as const)('on %s keeps an open menu while only counts change, and updates it once closed', async (platform) => {
    const { service, tray, menu } = setup(platform);
    await settle();
    tray.userClicks(platform, 'right');
    const open = menu();
    service.putTask({ status: 'pending' });
    service.putTask({ status: 'pending' });
    expect(tray.menusClosedUnderUser).toBe(0);
    expect(menu()).toBe(open);
    expect(tray.tooltip).toBe('Crier — 2 pending, dry run');
    tray.userClosesMenu();
    await settle();
    expect(menu()).not.toBe(open);
    expect(menu().labels()).toContain('Pending 2 · Running 0 · Failed 0');
  });

  it('replaces an open menu at once when an item would now do something else', async () => {
    const { service, tray, menu } = setup('darwin');
    await settle();
    tray.userClicks('darwin');
    await service.pause();
    expect(tray.menusClosedUnderUser).toBe(1);
    expect(menu().labels()).toContain('Resume');
  });

  it('on Linux, where the menu never says it opened or closed, updates the menu at once', async () => {
    const { service, tray, menu } = setup('linux');
    await settle();
    tray.userClicks('linux');
    service.putTask({ status: 'pending' });
    expect(menu().labels()).toContain('Pending 1 · Running 0 · Failed 0');
  });

  it('stops listening and removes the icon when disposed', async () => {
    const { service, handle, tray } = setup();
    await settle();
    handle.dispose();
    expect(service.listenerCount).toBe(0);
    expect(tray.destroyed).toBe(true);
  });
});
