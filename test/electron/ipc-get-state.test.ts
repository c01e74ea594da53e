// getState's task limit over IPC: validated in main like every argument, passed to the service.
import { beforeEach, describe, expect, it } from 'vitest';
import { ipcMain as electronIpcMain } from 'electron';
import { registerIpc } from '../../main/electron/ipc';
import { silentLogger } from '../../main/core/ports';
import type { StateSnapshot } from '../../preload/contract';
import { INVOKE_CHANNELS, type IpcResult } from '../../preload/ipc-channels';
import { FakeService } from '../support/fake-service';
import { ipcMain, resetElectronMock } from '../mocks/electron';

function setup() {
  const service = new FakeService({ headless: false });
  for (let i = 0; i < 4; i++) {
    const at = new Date(Date.UTC(2026, 2, 1, 12, i)).toISOString();
    service.putTask({ id: `t${i}`, status: 'completed', createdAt: at, updatedAt: at });
  }
  registerIpc({ ipcMain: electronIpcMain, service, targets: () => [], log: silentLogger });
  const getState = (...args: unknown[]) => ipcMain.invokeAs('app://crier/tasks.html', INVOKE_CHANNELS.getState, ...args) as Promise<IpcResult<StateSnapshot>>;
  return { getState };
}

beforeEach(() => resetElectronMock());

describe('getState over IPC', () => {
  it('answers the newest tasks and how many exist when asked with a task limit, and everything without one', async () => {
    const { getState } = setup();
    const limited = await getState({ taskLimit: 2 });
    if (!limited.ok) throw new Error(limited.error.message);
    expect(limited.value.tasks.map((t) => t.id)).toEqual(['t3', 't2']);
    expect(limited.value.tasksTotal).toBe(4);
    const all = await getState();
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.tasks).toHaveLength(4);
    expect(all.value.tasksTotal).toBeUndefined();
  });

  it('refuses a bad limit, an unknown option or a second argument with a validation error', async () => {
    const { getState } = setup();
    for (const args of [[{ taskLimit: -1 }], [{ taskLimit: 1.5 }], [{ taskLimit: '5' }], [{ taskLimt: 5 }], ['all'], [{ taskLimit: 5 }, 2]]) {
      const result = await getState(...args);
      expect(result.ok, JSON.stringify(args)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('validation');
    }
    const bad = await getState({ taskLimit: -1 });
    if (!bad.ok) expect(bad.error.field).toBe('taskLimit');
  });
});
