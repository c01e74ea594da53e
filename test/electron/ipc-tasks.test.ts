// The tasks window's commands over IPC: each argument checked at the boundary (the service is not
// called on a bad one), each good call answered with the service's value.
import { beforeEach, describe, expect, it } from 'vitest';
import { ipcMain as electronIpcMain } from 'electron';
import { registerIpc } from '../../main/electron/ipc';
import { silentLogger } from '../../main/core/ports';
import { INVOKE_CHANNELS, type IpcResult } from '../../preload/ipc-channels';
import { FakeService } from '../support/fake-service';
import { ipcMain, resetElectronMock } from '../mocks/electron';

const PAGE = 'app://crier/tasks.html';

function setup() {
  const service = new FakeService({ headless: false });
  registerIpc({ ipcMain: electronIpcMain, service, targets: () => [], log: silentLogger });
  const call = (channel: string, ...args: unknown[]) => ipcMain.invokeAs(PAGE, channel, ...args) as Promise<IpcResult<unknown>>;
  return { service, call };
}

beforeEach(() => resetElectronMock());

describe('the tasks window\'s IPC commands', () => {
  it.each<[string, string, unknown[], string | undefined]>([
    ['postTask without an id', INVOKE_CHANNELS.postTask, [], 'id'],
    ['postTask with a bad id', INVOKE_CHANNELS.postTask, ['../x'], 'id'],
    ['undoCancel with a number', INVOKE_CHANNELS.undoCancel, [3], 'id'],
    ['retryTasks with a string', INVOKE_CHANNELS.retryTasks, ['t1'], 'ids'],
    ['cancelTasks with a bad id in the list', INVOKE_CHANNELS.cancelTasks, [['t1', 'a b']], 'ids.1'],
    ['removeTasks with two arguments', INVOKE_CHANNELS.removeTasks, [['t1'], ['t2']], undefined],
    ['exportTasks with another format', INVOKE_CHANNELS.exportTasks, ['xml'], 'format'],
    ['exportTasks without a format', INVOKE_CHANNELS.exportTasks, [], 'format'],
  ])('refuses %s at the boundary without calling the service', async (_name, channel, args, field) => {
    const { service, call } = setup();
    const res = await call(channel, ...args);
    expect(res).toMatchObject({ ok: false, error: { code: 'validation', ...(field === undefined ? {} : { field }) } });
    expect(service.calls).toEqual([]);
  });

  it('passes good calls through and answers their values', async () => {
    const { service, call } = setup();
    const pending = service.putTask({ id: 't1', status: 'pending' });
    service.putTask({ id: 't2', status: 'failed' });
    service.putTask({ id: 't3', status: 'completed' });
    expect(await call(INVOKE_CHANNELS.postTask, pending.id)).toMatchObject({ ok: true, value: { id: 't1', postNowAt: expect.any(String) } });
    expect(await call(INVOKE_CHANNELS.cancelTasks, ['t1', 't2', 't3'])).toEqual({ ok: true, value: 2 });
    expect(await call(INVOKE_CHANNELS.undoCancel, 't1')).toMatchObject({ ok: true, value: { id: 't1', status: 'pending' } });
    expect(await call(INVOKE_CHANNELS.retryTasks, ['t2'])).toEqual({ ok: true, value: 1 });
    expect(await call(INVOKE_CHANNELS.removeTasks, ['t3', 't1'])).toEqual({ ok: true, value: 1 });
    expect(await call(INVOKE_CHANNELS.exportTasks, 'json')).toMatchObject({ ok: true, value: expect.stringContaining('"t1"') });
    expect(service.calls).toEqual(['postTask', 'cancelTasks', 'undoCancel', 'retryTasks', 'removeTasks', 'exportTasks']);
  });

  it('answers a conflict from the service as its code and message', async () => {
    const { service, call } = setup();
    service.putTask({ id: 't1', status: 'completed' });
    expect(await call(INVOKE_CHANNELS.postTask, 't1')).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/pending/) } });
  });
});
