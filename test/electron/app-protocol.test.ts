import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { protocol as electronProtocol } from 'electron';
import { createPageHandler, isAppUrl, pageUrl, registerAppScheme, serveAppProtocol } from '../../main/electron/app-protocol';
import { CSP } from '../../main/shell/security-headers';
import { protocol, resetElectronMock } from '../mocks/electron';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'crier-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(root);
  writeFileSync(join(root, 'tasks.html'), '<!doctype html><title>Tasks</title>');
  writeFileSync(join(root, 'tasks.js'), 'export {};');
  writeFileSync(join(root, 'styles.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'outside the root');
  symlinkSync(join(base, 'secret.txt'), join(root, 'escape.txt'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => resetElectronMock());

const get = (url: string, method = 'GET'): Promise<Response> => createPageHandler(root)(new Request(url, { method }));

describe('app:// scheme registration', () => {
  it('registers app as a standard, secure, fetch-capable scheme', () => {
    registerAppScheme(electronProtocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('hands the app scheme to a handler that serves the renderer root', async () => {
    serveAppProtocol(electronProtocol, root);
    const handler = protocol.handlers.get('app');
    expect(handler).toBeDefined();
    const res = await handler!(new Request('app://crier/tasks.html'));
    expect(res.status).toBe(200);
  });
});

describe('the page handler', () => {
  it('serves a page with the headless server\'s CSP, nosniff and an HTML content type', async () => {
    const res = await get('app://crier/tasks.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Tasks</title>');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves scripts and styles with their own content types', async () => {
    expect((await get('app://crier/tasks.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://crier/styles.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await get('app://crier/tasks.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    ['a missing file', 'app://crier/nope.html'],
    ['the root itself', 'app://crier/'],
    ['an encoded parent segment', 'app://crier/%2e%2e/secret.txt'],
    ['an encoded slash before a parent segment', 'app://crier/x%2f..%2fsecret.txt'],
    ['an encoded backslash traversal', 'app://crier/..%5csecret.txt'],
    ['a symlink pointing out of the root', 'app://crier/escape.txt'],
    ['another host on the scheme', 'app://evil/tasks.html'],
    ['a NUL byte', 'app://crier/tasks.html%00.js'],
  ])('answers 404 for %s', async (_what, url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside the root');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
  });

  it('answers 404 to methods other than GET and HEAD', async () => {
    expect((await get('app://crier/tasks.html', 'POST')).status).toBe(404);
  });
});

describe('page URLs', () => {
  it('builds page URLs with an optional hash', () => {
    expect(pageUrl('tasks')).toBe('app://crier/tasks.html');
    expect(pageUrl('settings', 'account')).toBe('app://crier/settings.html#account');
  });

  it('recognises only app://crier as ours', () => {
    expect(isAppUrl('app://crier/tasks.html')).toBe(true);
    expect(isAppUrl('app://crier.evil/tasks.html')).toBe(false);
    expect(isAppUrl('https://crier/tasks.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
