// What every window of ours is allowed to do, in one place: the webPreferences each window is
// created with, and the guards every webContents gets (pages stay on app://crier, new windows
// never open inside the app, no permission is granted but the clipboard write of our own pages'
// Copy buttons, no <webview>).
import type { App, Session, WebContents, WebPreferences } from 'electron';
import type { Logger } from '../core/ports';
import { isAppUrl } from './app-protocol';

/**
 * Sandboxed, isolated, no Node in the page. The remote module no longer exists (Electron 14+)
 * and allowRunningInsecureContent is off by default: neither is named here, so the bundle scan
 * (test/electron/security-scan.test.ts) can forbid both names outright. Webviews are off,
 * spellcheck too (it would send typed text to a dictionary service on some platforms).
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

export interface GuardDeps {
  /** shell.openExternal: the OS browser. */
  openExternal(url: string): Promise<void>;
  log: Logger;
}

/** Only web links leave the app, and only to the OS browser (never file:, javascript:, custom schemes). */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function openOutside(url: string, deps: GuardDeps): void {
  if (!isExternalWebUrl(url)) {
    deps.log.warn('security: refused to open a non-web link', { scheme: url.split(':', 1)[0]?.slice(0, 20) });
    return;
  }
  deps.openExternal(url).catch((err: unknown) => deps.log.warn('security: the OS browser did not open', { error: err instanceof Error ? err.message : String(err) }));
}

/** Applied to every webContents the app creates (see installSecurityGuards). */
export function guardWebContents(contents: WebContents, deps: GuardDeps): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, deps);
    return { action: 'deny' };
  });
  const stayHome = (event: { url: string; preventDefault(): void }): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openOutside(event.url, deps);
  };
  contents.on('will-navigate', (event) => stayHome(event));
  contents.on('will-redirect', (event) => stayHome(event));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.log.warn('security: refused to attach a webview');
  });
  denyPermissions(contents.session);
}

/**
 * What navigator.clipboard.writeText asks for (Electron's session docs name it among the
 * permissions of both handlers): the tasks window's "Copy" puts a post's text on the clipboard.
 */
export const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

/** Only a clipboard write, and only from our own pages (app://crier). */
export function permissionAllowed(permission: string, url: string | undefined): boolean {
  return permission === CLIPBOARD_WRITE && url !== undefined && isAppUrl(url);
}

/**
 * No camera, notifications-from-page, geolocation, clipboard reads...: the pages need none of
 * them. The one exception is writing text to the clipboard from our own pages. Chromium checks
 * before it asks, so both handlers say the same.
 */
export function denyPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
}

/** Guards every webContents as it is created, before it can load anything. */
export function installSecurityGuards(app: Pick<App, 'on'>, deps: GuardDeps): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, deps));
}
