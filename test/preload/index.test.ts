// The preload against the electron mock: what it exposes, how it calls main, how errors come out
// the other side of renderer/api.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, StateDelta } from '../../preload/contract';
import { DELTA_CHANNEL, INVOKE_CHANNELS, INVOKE_METHODS } from '../../preload/ipc-channels';
import { contextBridge, exposedInMainWorld, ipcRenderer, resetElectronMock } from '../mocks/electron';

let bridge: Api;
let exposeCalls = 0;

beforeAll(async () => {
  resetElectronMock();
  await import('../../preload/index');
  bridge = exposedInMainWorld.crier as Api;
  exposeCalls = contextBridge.exposeInMainWorld.mock.calls.length;
});
beforeEach(() => {
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockReset();
});
afterAll(() => vi.unstubAllGlobals());

const API_FUNCTIONS = [...INVOKE_METHODS, 'onDelta'].sort();

describe('the preload bridge', () => {
  it('exposes window.crier once, with exactly the Api functions and nothing else', () => {
    expect(exposeCalls).toBe(1);
    expect(Object.keys(exposedInMainWorld)).toEqual(['crier']);
    expect(Object.keys(bridge).sort()).toEqual(API_FUNCTIONS);
    for (const key of API_FUNCTIONS) expect(typeof (bridge as unknown as Record<string, unknown>)[key]).toBe('function');
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('ipcRenderer');
  });

  it('invokes the command\'s own channel with its arguments and resolves with the unwrapped value', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: { id: 'f1', url: 'https://example.com/feed' } });
    await expect(bridge.updateFeed('f1', { enabled: false })).resolves.toEqual({ id: 'f1', url: 'https://example.com/feed' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(INVOKE_CHANNELS.updateFeed, 'f1', { enabled: false });
  });

  it('leaves optional arguments off when the page leaves them off', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: undefined });
    await bridge.pollNow();
    await bridge.previewFeed('https://example.com/feed');
    expect(ipcRenderer.invoke).toHaveBeenNthCalledWith(1, INVOKE_CHANNELS.pollNow);
    expect(ipcRenderer.invoke).toHaveBeenNthCalledWith(2, INVOKE_CHANNELS.previewFeed, 'https://example.com/feed');
  });

  it('rejects with an Error whose message carries the ApiError', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: false, error: { code: 'validation', message: 'url: Enter a feed URL.', field: 'url' } });
    const err: unknown = await bridge.addFeed({ url: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.parse((err as Error).message)).toEqual({ code: 'validation', message: 'url: Enter a feed URL.', field: 'url' });
  });

  it('rejects as internal when main answers in an unexpected shape', async () => {
    ipcRenderer.invoke.mockResolvedValue('surprise');
    const err = await bridge.getState().catch((e: unknown) => e as Error);
    expect(JSON.parse((err as Error).message)).toMatchObject({ code: 'internal' });
  });

  it('delivers deltas without the IPC event and stops after unsubscribe', () => {
    const seen: unknown[][] = [];
    const unsubscribe = bridge.onDelta((...args: unknown[]) => seen.push(args));
    const delta: StateDelta = { epoch: 'e', seq: 1, removedTaskIds: ['t'] };
    ipcRenderer.deliver(DELTA_CHANNEL, delta);
    expect(seen).toEqual([[delta]]);
    unsubscribe();
    ipcRenderer.deliver(DELTA_CHANNEL, { ...delta, seq: 2 });
    expect(seen).toHaveLength(1);
    expect(ipcRenderer.listenerCount(DELTA_CHANNEL)).toBe(0);
  });
});

describe('renderer/api.ts over the bridge', () => {
  it('turns a refused command into a CrierError with code, message and field', async () => {
    vi.stubGlobal('window', { crier: bridge });
    const { getApi, CrierError } = await import('../../renderer/api');
    const api = getApi();
    expect(api.host).toBe('desktop');
    ipcRenderer.invoke.mockResolvedValue({ ok: false, error: { code: 'conflict', message: 'Crier already follows https://example.com/feed.', field: 'url' } });
    const err = await api.addFeed({ url: 'https://example.com/feed' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrierError);
    expect(err).toMatchObject({ code: 'conflict', message: 'Crier already follows https://example.com/feed.', field: 'url' });
    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: 3 });
    await expect(api.retryAllFailed()).resolves.toBe(3);
  });
});
