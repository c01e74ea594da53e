// The headless path of renderer/api.ts in Chromium: no bridge, so the page talks HTTP to
// /api/* and listens to /api/events (SSE) — here a small loopback stand-in for `crier serve`.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newestFirst, type StateDelta, type StateSnapshot } from '../../preload/contract';
import { buildRenderer, CSP, launchChromium, watchPage, type PageWatch } from './support/browser';
import { makeQueue, makeSnapshot, makeTask, manyTasks } from './support/fixtures';

let dir: string;
let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext | null = null;
let watch: PageWatch;
let streams: ServerResponse[] = [];
let state: StateSnapshot;
const requests: string[] = [];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function send(event: 'snapshot' | 'delta', data: StateSnapshot | StateDelta): void {
  for (const s of streams) s.write(`event: ${event}\nid: ${data.epoch}:${data.seq}\ndata: ${JSON.stringify(data)}\n\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crier-http-'));
  await buildRenderer(dir);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    requests.push(`${req.method} ${path}${url.search} ${req.headers.cookie ?? ''}`);
    // As crier serve: ?taskLimit=N answers the newest N tasks and how many exist.
    const limit = url.searchParams.get('taskLimit');
    const limited = (): StateSnapshot => (limit === null ? state : { ...state, tasks: [...state.tasks].sort(newestFirst).slice(0, Number(limit)), tasksTotal: state.tasks.length });
    const json = (status: number, body: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (path === '/api/state') return json(200, limited());
    if (path === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      streams.push(res);
      res.write(`event: snapshot\nid: ${state.epoch}:${state.seq}\ndata: ${JSON.stringify(limited())}\n\n`);
      req.on('close', () => { streams = streams.filter((s) => s !== res); });
      return;
    }
    if (path === '/api/tasks/t1/retry') return json(409, { error: { code: 'conflict', message: 'A completed task cannot be retried.' } });
    if (path === '/api/tasks/t2/cancel') {
      const t2 = { ...state.tasks.find((t) => t.id === 't2')!, status: 'cancelled' as const };
      state = { ...state, seq: state.seq + 1, tasks: state.tasks.map((t) => (t.id === 't2' ? t2 : t)) };
      json(200, t2);
      send('delta', { epoch: state.epoch, seq: state.seq, tasks: [t2] });
      return;
    }
    if (path === '/api/pause') {
      state = { ...state, seq: state.seq + 1, queue: { ...state.queue, paused: true, pauseReason: 'user' } };
      res.writeHead(204).end();
      send('delta', { epoch: state.epoch, seq: state.seq, queue: state.queue });
      return;
    }
    readFile(join(dir, path === '/' ? 'tasks.html' : path)).then((body) => {
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'text/html', 'Content-Security-Policy': CSP });
      res.end(body);
    }, () => json(404, { error: { code: 'not-found', message: 'No such page.' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  // Chromium logs every non-2xx fetch itself; the 409 below is the one this test asks for.
  const problems = watch.problems.filter((p) => !p.includes('status of 409 (Conflict)'));
  await context?.close();
  context = null;
  expect(problems).toEqual([]);
});

describe('the tasks window over HTTP and SSE', () => {
  it('loads the snapshot, follows deltas from the event stream and posts actions to the routes', async () => {
    const tasks = [makeTask({ id: 't1', status: 'failed', itemTitle: 'Over HTTP', error: { kind: 'server', message: 'boom' } }, '2026-03-01T12:00:00.000Z'),
      makeTask({ id: 't2', status: 'pending', itemTitle: 'Cancel me' }, '2026-03-01T11:00:00.000Z')];
    state = makeSnapshot({ tasks, queue: makeQueue(tasks), epoch: 'e1', seq: 3 });
    context = await browser.newContext();
    await context.addCookies([{ name: 'crier_token', value: 'secret', url: origin }]);
    const page = await context.newPage();
    watch = await watchPage(page);
    await page.goto(`${origin}/tasks.html`);
    await expect.poll(() => page.locator('.task-title').allTextContents()).toEqual(['Over HTTP', 'Cancel me']);
    // One state load: the event stream's first snapshot, asked for the first screenful; two tasks
    // are all there is, so no request follows.
    expect(requests.filter((r) => r.startsWith('GET /api/'))).toEqual(['GET /api/events?taskLimit=60 crier_token=secret']);
    await expect.poll(() => streams.length).toBe(1);

    // A delta pushed by the server lands in place.
    const t1 = { ...state.tasks[0]!, itemTitle: 'Renamed over SSE' };
    state = { ...state, seq: state.seq + 1, tasks: [t1, state.tasks[1]!] };
    send('delta', { epoch: 'e1', seq: state.seq, tasks: [t1] });
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Renamed over SSE');

    // An action round-trips through its route and the stream.
    await page.getByRole('button', { name: 'Cancel: Cancel me' }).click();
    await expect.poll(() => page.locator('.task-cancelled .status-word').textContent()).toBe('Cancelled');
    await page.locator('#pause-toggle').click();
    await expect.poll(() => page.locator('#banners .banner-title').textContent()).toBe('Posting is paused');

    // An error answer shows its message, not a status line.
    await page.getByRole('button', { name: 'Retry: Renamed over SSE' }).click();
    await expect.poll(() => page.locator('.toast-error span').textContent()).toBe('Could not retry: A completed task cannot be retried.');

    // A new epoch on the stream (the server restarted) brings a fresh snapshot.
    state = makeSnapshot({ epoch: 'e2', seq: 1, tasks: [makeTask({ id: 'z', itemTitle: 'After restart' })] });
    send('snapshot', state);
    await expect.poll(() => page.locator('.task-title').allTextContents()).toEqual(['After restart']);
  });

  it('paints the newest tasks from the stream\'s snapshot, then loads the rest with one GET /api/state', async () => {
    const tasks = manyTasks(500, Date.parse('2026-03-01T12:00:00.000Z'));
    state = makeSnapshot({ tasks, queue: makeQueue(tasks), epoch: 'e3', seq: 1 });
    requests.length = 0;
    context = await browser.newContext();
    await context.addCookies([{ name: 'crier_token', value: 'secret', url: origin }]);
    const page = await context.newPage();
    watch = await watchPage(page);
    await page.goto(`${origin}/tasks.html`);
    await expect.poll(() => page.locator('.task-title').first().textContent()).toBe('Release notes number 0');
    // The filter bar counts every task from the start (the queue's totals), not the first 60.
    expect(await page.locator('.filter-all .filter-count').textContent()).toBe('500');
    await expect.poll(() => requests.filter((r) => r.startsWith('GET /api/'))).toEqual([
      'GET /api/events?taskLimit=60 crier_token=secret', 'GET /api/state crier_token=secret']);
    // Scrolled to the end until the end shows: the full load may land after a scroll, and the list
    // then holds the row being read in place (as it should) instead of jumping to the new end.
    await expect.poll(async () => {
      await page.locator('#scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
      return page.locator('.task-title').last().textContent();
    }).toBe('Release notes number 499');
  });
});
