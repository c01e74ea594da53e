// Review mode's and delete-a-post's routes through the real HTTP server and the real engine (store
// in a temp dir, fake clock, an X client that deletes as told), and renderer/api.ts's HTTP client
// speaking them: approve, skip, delete-post, each refusal's status and code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountPort } from '../../main/core/account';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { startServer, type RunningServer } from '../../main/headless/server';
import { XError, type XClient, type XFailure } from '../../main/core/x/types';
import { makeTask } from '../core/store/task-fixture';
import { createFakeClock } from '../support/fake-clock';
import { rawRequest } from '../support/http-client';

const TOKEN = 'e'.repeat(24);
const auth = { Authorization: `Bearer ${TOKEN}` };

let root: string;
let service: EngineService;
let server: RunningServer;
let deleteAnswer: { alreadyGone: boolean } | XFailure;
let deleted: string[];

const post = (path: string, body?: unknown) => rawRequest(server.port, {
  method: 'POST', path, headers: { ...auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

function account(): AccountPort {
  const client: XClient = {
    async post() { throw new XError({ kind: 'unknown', message: 'not in this test' }); },
    async me() { return { handle: 'crier' }; },
    async deletePost(postId) {
      if ('kind' in deleteAnswer) throw new XError(deleteAnswer);
      deleted.push(postId);
      return deleteAnswer;
    },
  };
  return {
    client: () => client, state: () => ({ connected: true, handle: 'crier', method: 'oauth1', secretsProtected: true }),
    setHandle() {}, connect: async () => {}, disconnect: async () => {},
  };
}

beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'crier-review-routes-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  deleteAnswer = { alreadyGone: false };
  deleted = [];
  const dir = mkdtempSync(join(root, 'data-'));
  const clock = createFakeClock();
  const store = openStore(dir, { clock, log: silentLogger });
  store.tasks.put(makeTask(1, 'review'));
  store.tasks.put(makeTask(2, 'review'));
  store.tasks.put(makeTask(3, 'pending'));
  store.tasks.put(makeTask(4, 'completed', { attempts: 1, postId: '1860000000000000004', postUrl: 'https://x.com/crier/status/1860000000000000004' }));
  store.tasks.put(makeTask(5, 'completed', { attempts: 1, dryRun: true, note: 'dry run: not posted' }), { durable: true });
  // Not started: nothing posts, so each answer shows what the command alone did.
  service = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: account() });
  server = await startServer({ service, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: root, log: silentLogger, keepaliveMs: 60_000 });
});

afterEach(async () => {
  await server.close();
  await service.close();
});

describe('POST /api/tasks/approve and /api/tasks/skip', () => {
  it('answer how many tasks in review they approved or skipped, leaving the others alone', async () => {
    const approve = await post('/api/tasks/approve', { ids: ['task-2', 'task-3', 'task-9'] });
    expect([approve.status, approve.json()]).toEqual([200, { approved: 1 }]);
    const skip = await post('/api/tasks/skip', { ids: ['task-1', 'task-2'] });
    expect([skip.status, skip.json()]).toEqual([200, { skipped: 1 }]);
    const tasks = (await service.getState()).tasks;
    expect(tasks.find((t) => t.id === 'task-2')).toMatchObject({ status: 'pending', queuedAt: expect.any(String) });
    expect(tasks.find((t) => t.id === 'task-1')).toMatchObject({ status: 'cancelled', skipped: true, note: 'Skipped in review' });
  });

  it('refuse a body that is not a list of ids, naming the field', async () => {
    const res = await post('/api/tasks/skip', { ids: 'task-1' });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation', field: 'ids' } });
  });
});

describe('POST /api/tasks/:id/delete-post', () => {
  it('answers the task with deletedAt, its post id and link kept', async () => {
    const res = await post('/api/tasks/task-4/delete-post');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: 'task-4', status: 'completed', postId: '1860000000000000004', deletedAt: expect.any(String) });
    expect(deleted).toEqual(['1860000000000000004']);
  });

  it.each<[string, string, number, string]>([
    ['a dry run', 'task-5', 409, 'conflict'],
    ['a pending task', 'task-3', 409, 'conflict'],
    ['an unknown task', 'task-9', 404, 'not-found'],
  ])('refuses %s', async (_name, id, status, code) => {
    const res = await post(`/api/tasks/${id}/delete-post`);
    expect(res.status).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
    expect(deleted).toEqual([]);
  });

  it('answers 502 x-refused with X’s words when X refuses', async () => {
    deleteAnswer = { kind: 'auth', message: 'X refused the credentials (401).', httpStatus: 401 };
    const res = await post('/api/tasks/task-4/delete-post');
    expect(res.status).toBe(502);
    expect(res.json()).toEqual({ error: { code: 'x-refused', message: 'X refused the credentials (401).' } });
    expect((await service.getState()).tasks.find((t) => t.id === 'task-4')?.deletedAt).toBeUndefined();
  });
});

describe('renderer/api.ts over HTTP against these routes', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('speaks approveTasks, skipTasks and deletePost and reads their answers as the Api promises', async () => {
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', (path: string, init: RequestInit) => realFetch(`http://127.0.0.1:${server.port}${path}`, {
      ...init, headers: { ...(init.headers as Record<string, string>), ...auth },
    }));
    const { createHttpApi } = await import('../../renderer/api');
    const api = createHttpApi();
    expect(await api.approveTasks(['task-1', 'task-3'])).toBe(1);
    expect(await api.skipTasks(['task-2'])).toBe(1);
    expect(await api.deletePost('task-4')).toMatchObject({ id: 'task-4', deletedAt: expect.any(String) });
    deleteAnswer = { kind: 'forbidden', message: 'X refused: You are not allowed to delete this Tweet.', httpStatus: 403 };
    await expect(api.deletePost('task-4')).rejects.toMatchObject({ name: 'CrierError', code: 'conflict' });
  });

  it('turns X’s refusal back into a CrierError with code x-refused', async () => {
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', (path: string, init: RequestInit) => realFetch(`http://127.0.0.1:${server.port}${path}`, {
      ...init, headers: { ...(init.headers as Record<string, string>), ...auth },
    }));
    const { createHttpApi } = await import('../../renderer/api');
    deleteAnswer = { kind: 'forbidden', message: 'X refused: You are not allowed to delete this Tweet.', httpStatus: 403 };
    await expect(createHttpApi().deletePost('task-4')).rejects.toMatchObject({
      name: 'CrierError', code: 'x-refused', message: 'X refused: You are not allowed to delete this Tweet.',
    });
  });
});
