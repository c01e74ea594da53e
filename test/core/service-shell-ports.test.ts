// What the engine offers the desktop shell beyond the Api: opening the logs folder through a
// port the shell supplies, a store flush for a session that ends, and notices from the shell.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEngine } from '../../main/core/engine';
import { silentLogger } from '../../main/core/ports';
import type { EngineService } from '../../main/core/service';
import type { StateDelta } from '../../preload/contract';

let dir: string;
let engine: EngineService | null = null;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'crier-shell-ports-'));
});
afterEach(async () => {
  await engine?.close();
  engine = null;
  await rm(dir, { recursive: true, force: true });
});

const open = async (extras: Parameters<typeof openEngine>[1] = {}): Promise<EngineService> => {
  engine = await openEngine({ dataDir: dir, env: {}, log: silentLogger, start: false }, extras);
  return engine;
};

describe('the engine\'s ports for the desktop shell', () => {
  it('opens the logs folder through the shell\'s port', async () => {
    const openLogsFolder = vi.fn(async () => {});
    const service = await open({ openLogsFolder });
    await service.openLogsFolder();
    expect(openLogsFolder).toHaveBeenCalledOnce();
  });

  it('answers not-supported when the shell has no logs folder (headless logs go to stderr)', async () => {
    const service = await open();
    await expect(service.openLogsFolder()).rejects.toMatchObject({ code: 'not-supported', message: expect.stringContaining('standard error') });
  });

  it('passes on the shell\'s failure to open the folder', async () => {
    const service = await open({ openLogsFolder: async () => { throw Object.assign(new Error('No file manager'), { code: 'not-supported' }); } });
    await expect(service.openLogsFolder()).rejects.toThrow('No file manager');
  });

  it('shows a notice from the shell, and a newer one with the same key replaces it', async () => {
    const service = await open();
    const deltas: StateDelta[] = [];
    service.onDelta((d) => deltas.push(d));
    service.notice('info', 'The tasks window stopped and was reloaded.', 'renderer-gone:tasks');
    service.notice('info', 'The tasks window stopped again and was reloaded.', 'renderer-gone:tasks');
    await service.flush();
    const { notices } = await service.getState();
    expect(notices.map((n) => n.message)).toEqual(['The tasks window stopped again and was reloaded.']);
    expect(deltas.at(-1)?.notices?.map((n) => n.message)).toEqual(['The tasks window stopped again and was reloaded.']);
  });

  it('flushes without closing, and does nothing once closed', async () => {
    const service = await open();
    await service.flush();
    expect((await service.getState()).feeds).toEqual([]);
    await service.close();
    await expect(service.flush()).resolves.toBeUndefined();
  });
});
