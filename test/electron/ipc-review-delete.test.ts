// Review mode and deleting a post over IPC: each argument checked at the boundary (the service is
// not called on a bad one), good calls answered with the service's value, X's refusal of a delete
// crossing as its own code and words.
import { beforeEach, describe, expect, it } from 'vitest';
import { ipcMain as electronIpcMain } from 'electron';
import { registerIpc } from '../../main/electron/ipc';
import { CommandError } from '../../main/core/errors';
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

describe('the review and delete IPC commands', () => {
  it.each<[string, string, unknown[], string | undefined]>([
    ['approveTasks with a string', INVOKE_CHANNELS.approveTasks, ['t1'], 'ids'],
    ['approveTasks with a bad id in the list', INVOKE_CHANNELS.approveTasks, [['t1', 'a b']], 'ids.1'],
    ['skipTasks with two arguments', INVOKE_CHANNELS.skipTasks, [['t1'], ['t2']], undefined],
    ['skipTasks without a list', INVOKE_CHANNELS.skipTasks, [], 'ids'],
    ['deletePost without an id', INVOKE_CHANNELS.deletePost, [], 'id'],
    ['deletePost with a bad id', INVOKE_CHANNELS.deletePost, ['../x'], 'id'],
  ])('refuses %s at the boundary without calling the service', async (_name, channel, args, field) => {
    const { service, call } = setup();
    const res = await call(channel, ...args);
    expect(res).toMatchObject({ ok: false, error: { code: 'validation', ...(field === undefined ? {} : { field }) } });
    expect(service.calls).toEqual([]);
  });

  it('passes good calls through and answers their values', async () => {
    const { service, call } = setup();
    service.putTask({ id: 'r1', status: 'review' });
    service.putTask({ id: 'r2', status: 'review' });
    service.putTask({ id: 'p1', status: 'completed', dryRun: false, postId: '186', postUrl: 'https://x.com/crier/status/186' });
    expect(await call(INVOKE_CHANNELS.approveTasks, ['r2', 'p1'])).toEqual({ ok: true, value: 1 });
    expect(await call(INVOKE_CHANNELS.skipTasks, ['r1'])).toEqual({ ok: true, value: 1 });
    expect(await call(INVOKE_CHANNELS.deletePost, 'p1')).toMatchObject({ ok: true, value: { id: 'p1', deletedAt: expect.any(String), postId: '186' } });
    expect(service.calls).toEqual(['approveTasks', 'skipTasks', 'deletePost']);
  });

  it('answers X refusing a delete with its code and X’s words', async () => {
    const { service, call } = setup();
    service.putTask({ id: 'p1', status: 'completed', dryRun: false, postId: '186' });
    service.deleteRefusal = new CommandError('x-refused', 'X refused: You are not allowed to delete this Tweet.');
    expect(await call(INVOKE_CHANNELS.deletePost, 'p1')).toEqual({ ok: false, error: { code: 'x-refused', message: 'X refused: You are not allowed to delete this Tweet.' } });
  });
});
