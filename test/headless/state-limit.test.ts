// GET /api/state?taskLimit=N and the event stream's first snapshot (GET /api/events?taskLimit=N):
// a page's first screenful, the newest tasks first, with how many exist in all.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StateDelta, StateSnapshot } from '../../preload/contract';
import { silentLogger } from '../../main/core/ports';
import { startServer, type RunningServer } from '../../main/headless/server';
import { FakeService } from '../support/fake-service';
import { rawRequest } from '../support/http-client';

const TOKEN = 'c'.repeat(24);
const auth = { Authorization: `Bearer ${TOKEN}` };

let root: string;
let service: FakeService;
let server: RunningServer;

/** Opens the event stream at `path` and resolves with its first `count` events, then closes it. */
function firstEvents(path: string, count: number, afterFirst?: () => void): Promise<{ status: number; body: string; events: { event: string; data: string }[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}`, ...auth } }, (res) => {
      const events: { event: string; data: string }[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === undefined || data === undefined) continue;
          events.push({ event, data });
          if (events.length === 1) afterFirst?.();
          if (events.length === count) { req.destroy(); resolve({ status: res.statusCode ?? 0, body: '', events }); }
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: buffer, events }));
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
    req.end();
  });
}

const get = (path: string) => rawRequest(server.port, { method: 'GET', path, headers: auth });

beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'crier-state-limit-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  service = new FakeService({ epoch: 'ep1' });
  // Put in oldest first, as the engine does; minute i.
  for (let i = 0; i < 12; i++) {
    const at = new Date(Date.UTC(2026, 2, 1, 12, i)).toISOString();
    service.putTask({ id: `t${String(i).padStart(2, '0')}`, status: i % 3 === 0 ? 'failed' : 'completed', createdAt: at, updatedAt: at });
  }
  server = await startServer({ service, host: '127.0.0.1', port: 0, token: TOKEN, staticDir: root, log: silentLogger, keepaliveMs: 60_000 });
});

afterEach(async () => { await server.close(); });

describe('a state load with a task limit', () => {
  it('answers GET /api/state?taskLimit=N with the newest N tasks and how many exist', async () => {
    const res = await get('/api/state?taskLimit=5');
    expect(res.status).toBe(200);
    const state = res.json() as StateSnapshot;
    expect(state.tasks.map((t) => t.id)).toEqual(['t11', 't10', 't09', 't08', 't07']);
    expect(state.tasksTotal).toBe(12);
    expect(state.queue.counts.failed + state.queue.counts.completed).toBe(12);
  });

  it('answers GET /api/state without a limit with every task and no tasksTotal', async () => {
    const state = (await get('/api/state')).json() as StateSnapshot;
    expect(state.tasks).toHaveLength(12);
    expect(state.tasksTotal).toBeUndefined();
  });

  it('sends the event stream\'s first snapshot with the limit of /api/events?taskLimit=N, then every delta', async () => {
    const { status, events } = await firstEvents('/api/events?taskLimit=3', 2, () => { service.putTask({ id: 'fresh', status: 'pending' }); });
    expect(status).toBe(200);
    expect(events[0]?.event).toBe('snapshot');
    const snapshot = JSON.parse(events[0]!.data) as StateSnapshot;
    expect(snapshot.tasks.map((t) => t.id)).toEqual(['t11', 't10', 't09']);
    expect(snapshot.tasksTotal).toBe(12);
    expect(events[1]?.event).toBe('delta');
    expect((JSON.parse(events[1]!.data) as StateDelta).tasks?.map((t) => t.id)).toEqual(['fresh']);
  });

  it('sends the whole state as the first snapshot of a stream opened without a limit', async () => {
    const { events } = await firstEvents('/api/events', 1);
    const snapshot = JSON.parse(events[0]!.data) as StateSnapshot;
    expect(snapshot.tasks).toHaveLength(12);
    expect(snapshot.tasksTotal).toBeUndefined();
  });

  it('refuses a limit that is not a whole number from 0 to 1,000,000, on both routes, with the field named', async () => {
    for (const bad of ['-1', '2.5', 'ten', '', '1000001', '1e9']) {
      for (const route of ['/api/state', '/api/events']) {
        const res = await get(`${route}?taskLimit=${bad}`);
        expect(res.status, `${route} ${bad}`).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect((res.json() as { error: { code: string; field?: string } }).error).toMatchObject({ code: 'validation', field: 'taskLimit' });
      }
    }
    expect(((await get('/api/state?taskLimit=0')).json() as StateSnapshot).tasks).toEqual([]);
  });
});
