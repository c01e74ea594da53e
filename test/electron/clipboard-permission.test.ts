// The tasks window's Copy button writes a post's text with navigator.clipboard.writeText, which
// Chromium gates behind the 'clipboard-sanitized-write' permission (check, then request). Every
// other permission stays denied, and so does this one for any page not ours.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { CLIPBOARD_WRITE, guardWebContents } from '../../main/electron/security';
import { silentLogger } from '../../main/core/ports';
import { MockWebContents, resetElectronMock, shell } from '../mocks/electron';

beforeEach(() => resetElectronMock());

const guarded = (): MockWebContents => {
  const contents = new MockWebContents();
  guardWebContents(contents as unknown as WebContents, { openExternal: shell.openExternal, log: silentLogger });
  return contents;
};

const request = (contents: MockWebContents, permission: string, requestingUrl?: string): unknown => {
  const callback = vi.fn();
  contents.session.permissionRequestHandler?.(contents, permission, callback, requestingUrl === undefined ? {} : { requestingUrl });
  expect(callback).toHaveBeenCalledTimes(1);
  return callback.mock.calls[0]![0];
};

describe('the clipboard write permission', () => {
  it('is the one Electron names for navigator.clipboard.writeText', () => {
    expect(CLIPBOARD_WRITE).toBe('clipboard-sanitized-write');
  });

  it('is granted to our own pages, on request and on check', () => {
    const contents = guarded();
    expect(request(contents, 'clipboard-sanitized-write', 'app://crier/tasks.html')).toBe(true);
    expect(contents.session.permissionCheckHandler?.(contents, 'clipboard-sanitized-write', 'app://crier', {})).toBe(true);
  });

  it('is refused to any other origin, or when the page is not known', () => {
    const contents = guarded();
    for (const url of ['https://example.com/', 'file:///tmp/x.html', 'app://other/tasks.html', 'http://127.0.0.1:8080/tasks.html']) {
      expect(request(contents, 'clipboard-sanitized-write', url), url).toBe(false);
      expect(contents.session.permissionCheckHandler?.(contents, 'clipboard-sanitized-write', new URL(url).origin, {}), url).toBe(false);
    }
    expect(request(contents, 'clipboard-sanitized-write')).toBe(false);
  });

  it('grants nothing else to our own pages: no clipboard read, media, notifications or geolocation', () => {
    const contents = guarded();
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal']) {
      expect(request(contents, permission, 'app://crier/tasks.html'), permission).toBe(false);
      expect(contents.session.permissionCheckHandler?.(contents, permission, 'app://crier', {}), permission).toBe(false);
    }
  });
});
