// The tray icon: menu, tooltip and icon rendered from the state on every change (tray-menu.ts),
// actions mapped to service commands. The context menu always carries every action, because
// on Linux (StatusNotifierItem) clicks on the icon may never arrive (FIELD-NOTES).
//
// Each platform's convention for clicks: macOS and Linux show the menu and nothing else (macOS
// emits 'click' and then opens the menu anyway, electron#12043 / #24200; AppIndicator sends no
// clicks); on Windows a left click opens the tasks window and a right click the menu.
//
// Electron closes a context menu that is replaced while open (electron#4801), so while the user
// has it open (macOS, Windows: 'menu-will-show' / 'menu-will-close') a new menu waits until it
// closes, unless an item would now do something else (menuBehaviour). On Linux those events
// never fire for tray menus (electron#28837): the menu is replaced at once there.
import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { StateSnapshot } from '../../preload/contract';
import type { AppService } from '../core/app-service';
import type { Logger } from '../core/ports';
import { createStore } from '../../common/state';
import { HELP_SUBMENU, menuBehaviour, renderTrayMenu, trayIconName, trayTooltip, type TrayAction, type TrayMenuItem } from './tray-menu';
import { exposeTrayToSmokeTest } from './smoke-hook';

export type TrayWindow = 'tasks' | 'settings';

export interface TrayDeps {
  service: Pick<AppService, 'getState' | 'onDelta' | 'retryAllFailed' | 'pollNow' | 'pause' | 'resume' | 'updateSettings' | 'openLogsFolder'>;
  openWindow(kind: TrayWindow): void;
  quit(): void;
  platform: NodeJS.Platform;
  /** Holds tray.png, tray@2x.png, trayTemplate.png … (scripts/icons.mjs). */
  assetsDir: string;
  log?: Logger;
}

export function createTray(deps: TrayDeps): { dispose(): void } {
  const log = deps.log ?? fallbackLog;
  const { service, platform } = deps;
  const iconFor = (state: StateSnapshot | null): string => (state ? trayIconName(state, platform) : platform === 'darwin' ? 'trayTemplate' : 'tray');
  const image = (name: string): NativeImage => {
    // Electron picks up name@2x.png beside it by itself.
    const img = nativeImage.createFromPath(path.join(deps.assetsDir, `${name}.png`));
    if (img.isEmpty()) log.warn('tray icon missing', { name, assetsDir: deps.assetsDir });
    if (platform === 'darwin') img.setTemplateImage(true);
    return img;
  };

  const tray = exposeTrayToSmokeTest(new Tray(image(iconFor(null))));
  const store = createStore(service);
  let shown = { menu: '', behaviour: '', tooltip: '', icon: iconFor(null) };
  let disposed = false;
  const menuEventsFire = platform !== 'linux';
  let current: Menu | null = null;
  let menuOpen = false;

  const run = (what: string, command: () => Promise<unknown>): void => {
    try {
      command().catch((err: unknown) => log.error(`tray: ${what} failed`, { error: errorMessage(err) }));
    } catch (err) {
      log.error(`tray: ${what} failed`, { error: errorMessage(err) });
    }
  };

  const perform = (action: TrayAction): void => {
    switch (action) {
      case 'open-tasks': return deps.openWindow('tasks');
      case 'open-settings': return deps.openWindow('settings');
      case 'retry-failed': return run('retry all failed', () => service.retryAllFailed());
      case 'poll-now': return run('poll now', () => service.pollNow());
      case 'pause': return run('pause', () => service.pause());
      case 'resume': return run('resume', () => service.resume());
      case 'toggle-start-at-login': {
        const current = store.get()?.settings.startAtLogin ?? false;
        return run('start at login', () => service.updateSettings({ startAtLogin: !current }));
      }
      case 'open-logs-folder': return run('open logs folder', () => service.openLogsFolder());
      case 'quit': return deps.quit();
    }
  };

  const toElectron = (item: TrayMenuItem): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') return { type: 'submenu', label: item.label, submenu: item.submenu.map(toElectron) };
    const { action } = item;
    const base: MenuItemConstructorOptions = {
      type: item.type,
      label: item.label,
      enabled: item.enabled,
      ...(action ? { click: () => perform(action) } : {}),
    };
    return item.type === 'checkbox' ? { ...base, checked: item.checked } : base;
  };

  // Before the first snapshot (or when it cannot be had) the menu still opens the windows and quits.
  const fallbackMenu: TrayMenuItem[] = [
    { type: 'normal', label: 'Crier is starting…', enabled: false },
    { type: 'separator' },
    { type: 'normal', label: 'Open tasks', enabled: true, action: 'open-tasks' },
    { type: 'normal', label: 'Settings…', enabled: true, action: 'open-settings' },
    HELP_SUBMENU,
    { type: 'separator' },
    { type: 'normal', label: 'Quit Crier', enabled: true, action: 'quit' },
  ];

  const setMenu = (items: TrayMenuItem[], key: string, behaviour: string): void => {
    const menu = Menu.buildFromTemplate(items.map(toElectron));
    if (menuEventsFire) {
      menu.on('menu-will-show', () => {
        if (menu === current) menuOpen = true;
      });
      menu.on('menu-will-close', () => {
        if (menu !== current) return;
        menuOpen = false;
        // After the close has run its course (and a chosen item its click): then what waited.
        setImmediate(() => {
          if (!disposed) render();
        });
      });
    }
    current = menu;
    menuOpen = false;
    tray.setContextMenu(menu);
    shown = { ...shown, menu: key, behaviour };
  };

  const render = (): void => {
    const state = store.get();
    if (!state && store.status() === 'error') log.error('tray: could not read the state', { error: errorMessage(store.error()) });
    const items = state ? renderTrayMenu(state, { platform }) : fallbackMenu;
    // Re-set only what changed, and an open menu only when its items would do something else.
    const menuKey = JSON.stringify(items);
    if (menuKey !== shown.menu) {
      const behaviour = menuBehaviour(items);
      if (!menuOpen || behaviour !== shown.behaviour) setMenu(items, menuKey, behaviour);
    }
    // The tooltip and the icon change under an open menu without closing it.
    const tooltip = state ? trayTooltip(state) : 'Crier';
    if (tooltip !== shown.tooltip) tray.setToolTip(tooltip);
    const icon = iconFor(state);
    if (icon !== shown.icon) tray.setImage(image(icon));
    shown = { ...shown, tooltip, icon };
  };

  if (platform === 'win32') tray.on('click', () => deps.openWindow('tasks'));
  render();
  const unsubscribe = store.subscribe(render);

  return {
    dispose() {
      disposed = true;
      unsubscribe();
      store.close();
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const fallbackLog: Logger = {
  debug() {},
  info() {},
  warn: (msg, fields) => console.warn(msg, fields ?? ''),
  error: (msg, fields) => console.error(msg, fields ?? ''),
};
