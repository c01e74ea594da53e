import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app as electronApp, type WebContents } from 'electron';
import { guardWebContents, installSecurityGuards, isExternalWebUrl, secureWebPreferences } from '../../main/electron/security';
import { silentLogger } from '../../main/core/ports';
import { app, mockEvent, MockWebContents, resetElectronMock, shell } from '../mocks/electron';

beforeEach(() => resetElectronMock());

const guarded = (): MockWebContents => {
  const contents = new MockWebContents();
  guardWebContents(contents as unknown as WebContents, { openExternal: shell.openExternal, log: silentLogger });
  return contents;
};

describe('window settings', () => {
  it('isolates, sandboxes and keeps Node out of every page, with our preload', () => {
    const prefs = secureWebPreferences('/app/dist/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true,
      webviewTag: false, spellcheck: false,
    });
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    expect(prefs).not.toHaveProperty('allowRunningInsecureContent');
  });
});

describe('webContents guards', () => {
  it('denies window.open and sends an https link to the OS browser', () => {
    const contents = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://x.com/crier/status/1' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://x.com/crier/status/1');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'app://crier/settings.html', 'smb://host/share'])(
    'denies window.open of %s without opening anything', (url) => {
      const contents = guarded();
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
      expect(shell.openExternal).not.toHaveBeenCalled();
    });

  it('lets a page navigate between our own pages', () => {
    const contents = guarded();
    const event = mockEvent({ url: 'app://crier/settings.html#feeds' });
    contents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(false);
  });

  it('blocks navigation away from app://crier and opens web links outside instead', () => {
    const contents = guarded();
    const event = mockEvent({ url: 'https://example.com/' });
    contents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/');
  });

  it('blocks a redirect that would leave app://crier', () => {
    const contents = guarded();
    const event = mockEvent({ url: 'file:///etc/passwd' });
    contents.emit('will-redirect', event);
    expect(event.defaultPrevented).toBe(true);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('refuses to attach a webview', () => {
    const contents = guarded();
    const event = mockEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies every permission request and check', () => {
    const contents = guarded();
    const callback = vi.fn();
    contents.session.permissionRequestHandler?.(contents, 'media', callback, {});
    expect(callback).toHaveBeenCalledWith(false);
    expect(contents.session.permissionCheckHandler?.(contents, 'notifications', 'app://crier', {})).toBe(false);
  });

  it('guards every webContents the app creates', () => {
    installSecurityGuards(electronApp, { openExternal: shell.openExternal, log: silentLogger });
    const contents = new MockWebContents();
    app.emit('web-contents-created', mockEvent(), contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });

  it('counts only http and https as web links', () => {
    expect(isExternalWebUrl('http://a.example/')).toBe(true);
    expect(isExternalWebUrl('https://a.example/')).toBe(true);
    expect(isExternalWebUrl('mailto:a@b.c')).toBe(false);
    expect(isExternalWebUrl('nonsense')).toBe(false);
  });
});
