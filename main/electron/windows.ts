// The two windows: tasks and settings, at most one of each. Opening one that exists brings it
// forward (and, for settings, jumps to the requested section). Closing a window really closes
// it: the app lives on in the tray and a later open builds a fresh one. Nothing else about a
// window (size, position) is remembered yet.
//
// A page whose renderer process dies (crash, out of memory, killed) is loaded again instead of
// leaving a blank window, at most 3 times a minute per window; past that the window closes. The
// shell is told either way (onRendererGone) and says so in a notice. Text fields get the
// platform's Cut / Copy / Paste / Select All on a right click (context-menu.ts).
import type { BrowserWindow, BrowserWindowConstructorOptions, RenderProcessGoneDetails } from 'electron';
import type { Logger } from '../core/ports';
import { isAppUrl, pageUrl, type PageName } from './app-protocol';
import { attachContextMenu, type ContextMenuDeps } from './context-menu';
import { secureWebPreferences } from './security';

/** Reloads of one window after its page died, within RELOAD_WINDOW_MS; one more and it closes. */
export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 60_000;

export interface RendererGone {
  kind: WindowKind;
  reason: RenderProcessGoneDetails['reason'];
  exitCode: number;
  /** 'reloaded', or 'closed' after MAX_RELOADS within a minute. */
  outcome: 'reloaded' | 'closed';
}

export type WindowKind = PageName;
/** Sections of the settings page that can be opened directly (renderer/settings.ts). */
export type SettingsSection = 'feeds' | 'account';

export interface WindowsDeps {
  /** `new BrowserWindow(options)`; injectable so tests can inspect what is created. */
  createWindow(options: BrowserWindowConstructorOptions): BrowserWindow;
  preloadPath: string;
  log: Logger;
  /** The window icon on Linux and Windows. */
  iconPath?: string;
  /** Epoch ms, for counting reloads (the injected clock). */
  now?(): number;
  /** A page's renderer process died and the window was reloaded or closed. */
  onRendererGone?(report: RendererGone): void;
  /** Menu.buildFromTemplate, for the right-click menu in text fields. */
  contextMenu?: ContextMenuDeps;
}

export interface Windows {
  open(kind: WindowKind, section?: SettingsSection): BrowserWindow;
  /** Live windows of ours: where state deltas go. */
  all(): BrowserWindow[];
  /** On quit: destroy without 'close' handlers. */
  destroyAll(): void;
}

const LOOKS: Record<WindowKind, Pick<BrowserWindowConstructorOptions, 'title' | 'width' | 'height' | 'minWidth' | 'minHeight'>> = {
  tasks: { title: 'Crier — Tasks', width: 980, height: 720, minWidth: 420, minHeight: 360 },
  settings: { title: 'Crier — Settings', width: 900, height: 780, minWidth: 420, minHeight: 400 },
};

/** Which of our windows a URL belongs in (the pages link to each other), or null. */
export function windowFor(url: string): { kind: WindowKind; section?: SettingsSection } | null {
  if (!isAppUrl(url)) return null;
  const { pathname, hash } = new URL(url);
  if (pathname === '/tasks.html') return { kind: 'tasks' };
  if (pathname !== '/settings.html') return null;
  const section = hash.slice(1);
  return section === 'feeds' || section === 'account' ? { kind: 'settings', section } : { kind: 'settings' };
}

export function createWindows(deps: WindowsDeps): Windows {
  const open = new Map<WindowKind, BrowserWindow>();
  const now = deps.now ?? Date.now;
  /** When each kind of window was last reloaded after its page died. */
  const reloads = new Map<WindowKind, number[]>();

  const load = (win: BrowserWindow, kind: WindowKind, section?: SettingsSection): void => {
    const url = pageUrl(kind, kind === 'settings' ? section : undefined);
    win.loadURL(url).catch((err: unknown) => deps.log.error('window: page failed to load', { kind, error: err instanceof Error ? err.message : String(err) }));
  };

  const bringForward = (win: BrowserWindow): void => {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const windows: Windows = {
    open(kind, section) {
      const existing = open.get(kind);
      if (existing && !existing.isDestroyed()) {
        // Same page, new hash: a same-document navigation the settings page follows (hashchange).
        if (kind === 'settings' && section) load(existing, kind, section);
        bringForward(existing);
        return existing;
      }
      const win = deps.createWindow({
        ...LOOKS[kind],
        show: false,
        autoHideMenuBar: true,
        ...(deps.iconPath ? { icon: deps.iconPath } : {}),
        webPreferences: secureWebPreferences(deps.preloadPath),
      });
      open.set(kind, win);
      win.once('ready-to-show', () => bringForward(win));
      win.on('closed', () => {
        if (open.get(kind) === win) open.delete(kind);
      });
      win.webContents.on('render-process-gone', (_event, details) => {
        if (details.reason === 'clean-exit' || win.isDestroyed()) return;
        const at = now();
        const recent = (reloads.get(kind) ?? []).filter((t) => at - t < RELOAD_WINDOW_MS);
        const outcome = recent.length >= MAX_RELOADS ? 'closed' : 'reloaded';
        if (outcome === 'reloaded') recent.push(at);
        reloads.set(kind, recent);
        deps.log.error('window: the page stopped', { kind, reason: details.reason, exitCode: details.exitCode, outcome });
        if (outcome === 'reloaded') load(win, kind);
        else win.destroy();
        deps.onRendererGone?.({ kind, reason: details.reason, exitCode: details.exitCode, outcome });
      });
      if (deps.contextMenu) attachContextMenu(win, deps.contextMenu);
      // A link to the other page opens (or raises) that page's own window, so there stays one of each.
      win.webContents.on('will-navigate', (event) => {
        const target = windowFor(event.url);
        if (!target || target.kind === kind) return;
        event.preventDefault();
        windows.open(target.kind, target.section);
      });
      load(win, kind, section);
      return win;
    },
    all() {
      return [...open.values()].filter((w) => !w.isDestroyed());
    },
    destroyAll() {
      for (const win of open.values()) if (!win.isDestroyed()) win.destroy();
      open.clear();
    },
  };
  return windows;
}
