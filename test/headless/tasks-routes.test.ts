// The tasks window's routes through the real HTTP server and the real engine (store in a temp dir,
// fake clock, no X account): post now, undo cancel, the bulk commands and the export download.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../preload/contract';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { localDayKey } from '../../main/core/tasks/pacing';
import { startServer, type RunningServer } from '../../main/headless/server';
import { makeTask } from '../core/store/task-fixture';
import { dryAccount } from '../support/dry-account';
import { createFakeClock } from '../support/fake-clock';
import { rawRequest } from '../support/http-client';

const TOKEN = 'd'.repeat(24);
const auth = { Authorization: `Bearer ${TOKEN}` };

let root: string;
let service: EngineService;
let server: RunningServer;

const get = (path: string) => rawRequest(server.port, { method: 'GET', path, headers: auth });
const post = (path: string, body?: unknown) => rawRequest(server.port, {
  method: 'POST', path, headers: { ...auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'crier-tasks-routes-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  const dir = mkdtempSync(join(root, 'data-'));
  const clock = createFakeClock();
  const store = openStore(dir, { clock, log: silentLogger });
  store.tasks.put(makeTask(1, 'pending'));
  store.tasks.put(makeTask(2, 'pending', { attempts: 2, error: { kind: 'server', message: 'X answered 503.' }, nextAttemptAt: '2026-01-15T13:00:00.000Z' }));
  store.tasks.put(makeTask(3, 'failed', { attempts: 8, finishedAt: '2026-01-01T00:10:00.000Z', error: { kind: 'server', message: 'X answered 503.' } }));
  store.tasks.put(makeTask(4, 'completed', { attempts: 1, itemTitle: '=cmd|calc', finishedAt: '2026-01-01T00:05:00.000Z' }));
  store.tasks.put(makeTask(5, 'cancelled'), { durable: true });
  // Not started: nothing posts, so each answer shows what the command alone did.
  service = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: dryAccount() });
  server = await startServer({ service, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: root, log: silentLogger, keepaliveMs: 60_000 });
});

afterEach(async () => {
  await server.close();
  await service.close();
});

describe('POST /api/tasks/:id/post-now', () => {
  it('answers the task, asked to post now', async () => {
    const res = await post('/api/tasks/task-1/post-now');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: 'task-1', status: 'pending', postNowAt: expect.any(String) });
  });

  it('answers 409 with a sentence while the queue is paused', async () => {
    await post('/api/pause');
    const res = await post('/api/tasks/task-1/post-now');
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/paused/) } });
  });

  it('answers 409 for a task that is not pending, 404 for an unknown one', async () => {
    expect((await post('/api/tasks/task-3/post-now')).status).toBe(409);
    expect((await post('/api/tasks/nope/post-now')).status).toBe(404);
  });
});

describe('POST /api/tasks/:id/undo-cancel', () => {
  it('restores a task just cancelled exactly as it was', async () => {
    await post('/api/tasks/task-2/cancel');
    const res = await post('/api/tasks/task-2/undo-cancel');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: 'task-2', status: 'pending', attempts: 2, nextAttemptAt: '2026-01-15T13:00:00.000Z', error: { kind: 'server' } });
  });

  it('answers 409 when there is nothing to undo', async () => {
    const res = await post('/api/tasks/task-5/undo-cancel');
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'conflict' } });
  });
});

describe('the bulk commands', () => {
  it('POST /api/tasks/retry acts on those it may and says how many', async () => {
    const res = await post('/api/tasks/retry', { ids: ['task-1', 'task-3', 'task-4', 'task-5', 'nope'] });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ retried: 2 });
  });

  it('POST /api/tasks/cancel acts on those it may and says how many', async () => {
    expect((await post('/api/tasks/cancel', { ids: ['task-1', 'task-2', 'task-3', 'task-4'] })).json()).toEqual({ cancelled: 3 });
  });

  it('POST /api/tasks/remove removes finished tasks only, and the state no longer has them', async () => {
    expect((await post('/api/tasks/remove', { ids: ['task-1', 'task-3', 'task-4', 'task-5'] })).json()).toEqual({ removed: 3 });
    const state = (await get('/api/state')).json() as { tasks: Task[] };
    expect(state.tasks.map((t) => t.id).sort()).toEqual(['task-1', 'task-2']);
  });

  it.each<[string, unknown, string]>([
    ['no body', undefined, 'ids'],
    ['ids that are not a list', { ids: 'task-1' }, 'ids'],
    ['an id that is not one', { ids: ['task-1', 'not an id!'] }, 'ids.1'],
  ])('answers 400 for %s, naming the field, and changes nothing', async (_name, body, field) => {
    const res = await post('/api/tasks/cancel', body);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation', field } });
    const state = (await get('/api/state')).json() as { tasks: Task[] };
    expect(state.tasks.find((t) => t.id === 'task-1')?.status).toBe('pending');
  });
});

describe('GET /api/tasks/export', () => {
  it('sends the CSV as an attachment named for today, formulas made text', async () => {
    const res = await get('/api/tasks/export?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="crier-tasks-${localDayKey(Date.now())}.csv"`);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('id,status,feed,title,link,text,created,finished,attempts,postUrl,error');
    expect(lines).toHaveLength(7);
    expect(lines.find((l) => l.startsWith('task-4,'))).toContain(",'=cmd|calc,");
  });

  it('sends the JSON as an attachment: the array of tasks', async () => {
    const res = await get('/api/tasks/export?format=json');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="crier-tasks-\d{4}-\d{2}-\d{2}\.json"$/);
    expect((res.json() as Task[]).map((t) => t.id)).toEqual(['task-5', 'task-4', 'task-3', 'task-2', 'task-1']);
  });

  it('answers 400 for another format', async () => {
    const res = await get('/api/tasks/export?format=xml');
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation', field: 'format' } });
  });
});

describe('renderer/api.ts over HTTP against these routes', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('speaks each new command and reads its answer back as the Api promises', async () => {
    const realFetch = globalThis.fetch;
    // The page's fetch is same-origin and carries the session cookie; here the token goes in a header.
    vi.stubGlobal('fetch', (path: string, init: RequestInit) => realFetch(`http://127.0.0.1:${server.port}${path}`, {
      ...init, headers: { ...(init.headers as Record<string, string>), ...auth },
    }));
    const { createHttpApi } = await import('../../renderer/api');
    const api = createHttpApi();
    expect(await api.postTask('task-1')).toMatchObject({ id: 'task-1', postNowAt: expect.any(String) });
    expect(await api.cancelTasks(['task-1', 'task-2', 'task-4'])).toBe(2);
    expect(await api.undoCancel('task-2')).toMatchObject({ status: 'pending', attempts: 2 });
    expect(await api.retryTasks(['task-1', 'task-3'])).toBe(2);
    expect(await api.removeTasks(['task-4', 'task-5', 'task-2'])).toBe(2);
    expect((await api.exportTasks('csv')).split('\r\n')[0]).toBe('id,status,feed,title,link,text,created,finished,attempts,postUrl,error');
    expect((JSON.parse(await api.exportTasks('json')) as Task[]).map((t) => t.id)).toEqual(['task-3', 'task-2', 'task-1']);
    await expect(api.undoCancel('task-3')).rejects.toMatchObject({ name: 'CrierError', code: 'conflict' });
  });
});

describe('POST /api/pause and /api/resume with an account', () => {
  it('pauses the account named in the body, and every account without one', async () => {
    expect((await post('/api/pause', { accountId: 'default' })).status).toBe(204);
    expect((await get('/api/state')).json()).toMatchObject({ queues: { default: { paused: true, pauseReason: 'user' } } });
    expect((await post('/api/resume', {})).status).toBe(204);
    expect((await get('/api/state')).json()).toMatchObject({ queue: { paused: false } });
  });

  it('answers 404 naming the field for an account Crier does not have, and 400 for a field it does not know', async () => {
    const unknown = await post('/api/pause', { accountId: 'nobody' });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not-found', field: 'accountId' } });
    expect((await post('/api/pause', { account: 'default' })).status).toBe(400);
  });
});
