import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcMain as electronIpcMain } from 'electron';
import { INTERNAL_MESSAGE, IPC_TABLE, registerIpc } from '../../main/electron/ipc';
import type { Logger } from '../../main/core/ports';
import { DELTA_CHANNEL, INVOKE_CHANNELS, INVOKE_METHODS, type IpcResult } from '../../preload/ipc-channels';
import { FakeService } from '../support/fake-service';
import { ipcMain, MockWebContents, resetElectronMock } from '../mocks/electron';

const PAGE = 'app://crier/tasks.html';
const CREDENTIALS = { appKey: 'key-AAAA', appSecret: 'secret-BBBB', accessToken: 'token-CCCC', accessSecret: 'access-DDDD' };

function recordingLog() {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => { lines.push({ level, msg, ...(fields ? { fields } : {}) }); };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

function setup() {
  const service = new FakeService({ headless: false });
  const { log, lines } = recordingLog();
  const windows: MockWebContents[] = [];
  const ipc = registerIpc({ ipcMain: electronIpcMain, service, targets: () => windows, log });
  const call = (channel: string, ...args: unknown[]) => ipcMain.invokeAs(PAGE, channel, ...args) as Promise<IpcResult<unknown>>;
  return { service, log, lines, windows, ipc, call };
}

beforeEach(() => resetElectronMock());

describe('the IPC table', () => {
  it('has one handler per Api command and registers each on its channel', () => {
    setup();
    expect(Object.keys(IPC_TABLE).sort()).toEqual([...INVOKE_METHODS].sort());
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
  });

  it('answers a command from our page with { ok, value }', async () => {
    const { call } = setup();
    const result = await call(INVOKE_CHANNELS.addFeed, { url: 'https://example.com/feed.xml' });
    expect(result).toMatchObject({ ok: true, value: { url: 'https://example.com/feed.xml' } });
  });

  it('passes optional arguments through: pollNow with and without a feed, preview with options', async () => {
    const { call, service } = setup();
    const feed = (await call(INVOKE_CHANNELS.addFeed, { url: 'https://example.com/a.xml' })) as { ok: true; value: { id: string } };
    expect(await call(INVOKE_CHANNELS.pollNow)).toEqual({ ok: true, value: undefined });
    expect(await call(INVOKE_CHANNELS.pollNow, feed.value.id)).toEqual({ ok: true, value: undefined });
    const preview = await call(INVOKE_CHANNELS.previewFeed, 'https://example.com/a.xml', { template: '{title}' });
    expect(preview).toMatchObject({ ok: true, value: { feedTitle: 'Preview' } });
    expect(service.calls).toEqual(['addFeed', 'pollNow', 'pollNow', 'previewFeed']);
  });

  it('refuses an invalid input at the boundary with code, message and field, without calling the service', async () => {
    const { call, service } = setup();
    const result = await call(INVOKE_CHANNELS.addFeed, { url: 'ftp://example.com/feed' });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', field: 'url' } });
    expect(service.calls).toEqual([]);
  });

  it('refuses unknown fields, bad ids, too many arguments and non-object preview options', async () => {
    const { call, service } = setup();
    expect(await call(INVOKE_CHANNELS.updateSettings, { dailyCap: 5, evil: true })).toMatchObject({ ok: false, error: { code: 'validation', field: 'evil' } });
    expect(await call(INVOKE_CHANNELS.retryTask, '../../etc')).toMatchObject({ ok: false, error: { code: 'validation', field: 'id' } });
    expect(await call(INVOKE_CHANNELS.pause, 'other-1', 'extra')).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call(INVOKE_CHANNELS.pause, '../x')).toMatchObject({ ok: false, error: { code: 'validation', field: 'accountId' } });
    expect(await call(INVOKE_CHANNELS.previewFeed, 'https://example.com/a.xml', 'template')).toMatchObject({ ok: false, error: { code: 'validation', field: 'options' } });
    expect(service.calls).toEqual([]);
  });

  it('turns a CommandError from the service into its JSON', async () => {
    const { call } = setup();
    const result = await call(INVOKE_CHANNELS.removeFeed, 'no-such-feed');
    expect(result).toEqual({ ok: false, error: { code: 'not-found', message: 'No such feed.', field: 'id' } });
  });

  it('hides any other error behind a generic internal one and logs the real error', async () => {
    const { call, service, lines } = setup();
    vi.spyOn(service, 'exportOpml').mockRejectedValue(new Error('disk on fire at /home/me/.config/Crier'));
    const result = await call(INVOKE_CHANNELS.exportOpml);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_MESSAGE } });
    expect(JSON.stringify(result)).not.toContain('disk on fire');
    expect(lines.find((l) => l.level === 'error')?.fields).toMatchObject({ method: 'exportOpml', error: 'disk on fire at /home/me/.config/Crier' });
  });

  it.each([
    ['another origin', 'https://evil.example/'],
    ['a look-alike host', 'app://crier.evil/tasks.html'],
    ['a file page', 'file:///tmp/tasks.html'],
    ['no frame', null],
  ])('refuses a call from %s and logs it without the payload', async (_what, url) => {
    const { service, lines } = setup();
    const result = await ipcMain.invokeAs(url, INVOKE_CHANNELS.connectX, CREDENTIALS);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(service.calls).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { channel: INVOKE_CHANNELS.connectX } });
    expect(JSON.stringify(lines)).not.toMatch(/AAAA|BBBB|CCCC|DDDD/);
  });

  it('takes X credentials in and answers with an account state that carries none of them', async () => {
    const { call } = setup();
    const result = await call(INVOKE_CHANNELS.connectX, CREDENTIALS);
    expect(result).toMatchObject({ ok: true, value: { connected: true, method: 'oauth1' } });
    expect(JSON.stringify(result)).not.toMatch(/AAAA|BBBB|CCCC|DDDD/);
  });
});

describe('deltas', () => {
  it('sends every delta to each live window of ours', async () => {
    const { service, windows } = setup();
    const a = new MockWebContents();
    a.url = 'app://crier/tasks.html';
    const b = new MockWebContents();
    b.url = 'app://crier/settings.html#feeds';
    windows.push(a, b);
    const delta = service.emit({ removedTaskIds: ['t1'] });
    expect(a.send).toHaveBeenCalledWith(DELTA_CHANNEL, delta);
    expect(b.send).toHaveBeenCalledWith(DELTA_CHANNEL, delta);
  });

  it('skips destroyed windows and pages that are not ours', () => {
    const { service, windows } = setup();
    const gone = new MockWebContents();
    gone.url = PAGE;
    gone.destroyed = true;
    const foreign = new MockWebContents();
    foreign.url = 'https://example.com/';
    windows.push(gone, foreign);
    service.emit({ removedTaskIds: ['t1'] });
    expect(gone.send).not.toHaveBeenCalled();
    expect(foreign.send).not.toHaveBeenCalled();
  });

  it('stops sending and removes its handlers when disposed', () => {
    const { service, windows, ipc } = setup();
    const page = new MockWebContents();
    page.url = PAGE;
    windows.push(page);
    ipc.dispose();
    service.emit({ removedTaskIds: ['t1'] });
    expect(page.send).not.toHaveBeenCalled();
    expect(ipcMain.handlers.size).toBe(0);
    expect(service.listenerCount).toBe(0);
  });
});
