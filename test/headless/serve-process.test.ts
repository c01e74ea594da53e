// `crier serve` as a real process, driven only through HTTP and SSE: a loopback feed server
// feeds it, the HTTPS fake X API receives its posts, and a restart keeps the state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feed, QueueState, StateDelta, StateSnapshot, Task } from '../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { openEventStream, rawRequest, type RawResponse, type SseStream } from '../support/http-client';
import { startServeProcess, type ServeProcess } from '../support/serve-process';

function rss(items: { id: string; title: string }[]): string {
  const entries = items.map((i) => `<item><guid>${i.id}</guid><title>${i.title}</title><link>https://news.example/${i.id}</link>`
    + `<pubDate>${new Date(Date.UTC(2026, 0, 1 + Number(i.id.replace(/\D/g, '')))).toUTCString()}</pubDate></item>`).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback news</title><link>https://news.example/</link>${entries}</channel></rss>`;
}

/** The page's view of the state: the snapshot with every delta applied, as renderer/api.ts keeps it. */
class StateMirror {
  state: StateSnapshot | null = null;
  private waiters: { test: (s: StateSnapshot) => boolean; resolve: () => void }[] = [];

  constructor(private readonly stream: SseStream) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    for (;;) {
      let ev;
      try {
        ev = await this.stream.next(60_000);
      } catch {
        return;
      }
      if (ev.event === 'snapshot') this.state = JSON.parse(ev.data) as StateSnapshot;
      else if (ev.event === 'delta' && this.state) this.apply(JSON.parse(ev.data) as StateDelta);
      expect(ev.id).toBe(`${this.state?.epoch}:${this.state?.seq}`);
      this.waiters = this.waiters.filter((w) => {
        if (this.state && w.test(this.state)) { w.resolve(); return false; }
        return true;
      });
    }
  }

  private apply(d: StateDelta): void {
    const s = this.state!;
    const merge = <T extends { id: string }>(list: T[], changed: T[] | undefined, removed: string[] | undefined): T[] => {
      const byId = new Map(list.map((x) => [x.id, x]));
      for (const x of changed ?? []) byId.set(x.id, x);
      for (const id of removed ?? []) byId.delete(id);
      return [...byId.values()];
    };
    this.state = {
      ...s, seq: d.seq, epoch: d.epoch,
      tasks: merge(s.tasks, d.tasks, d.removedTaskIds), feeds: merge(s.feeds, d.feeds, d.removedFeedIds),
      settings: d.settings ?? s.settings, queue: d.queue ?? s.queue, account: d.account ?? s.account, notices: d.notices ?? s.notices,
    };
  }

  until(test: (s: StateSnapshot) => boolean, what: string, timeoutMs = 20_000): Promise<StateSnapshot> {
    if (this.state && test(this.state)) return Promise.resolve(this.state);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; tasks: ${JSON.stringify(this.state?.tasks.map((t) => [t.itemTitle, t.status, t.error?.kind]))}`)), timeoutMs);
      this.waiters.push({ test, resolve: () => { clearTimeout(timer); resolve(this.state!); } });
    });
  }
}

const tasksOf = (s: StateSnapshot, status: Task['status']): Task[] => s.tasks.filter((t) => t.status === status);

describe('crier serve as a process', () => {
  let root: string;
  let dataDir: string;
  let feeds: FeedServer;
  let x: FakeXApi;
  let env: Record<string, string>;
  let items: { id: string; title: string }[];
  let serve: ServeProcess | null = null;

  const api = async (s: ServeProcess, method: string, path: string, body?: unknown): Promise<RawResponse> =>
    rawRequest(s.port, { method, path, headers: { ...s.auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'crier-serve-'));
    dataDir = join(root, 'data');
    items = [{ id: 'item1', title: 'First story' }, { id: 'item2', title: 'Second story' }];
    feeds = await startFeedServer({ '/news.xml': { body: () => rss(items) } });
    x = await startFakeXApi();
    env = childEnvFor(x, root);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await feeds?.close();
    await x?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('posts new items, retries a failed task, cancels a pending one, pauses and resumes, and keeps it all across a restart', async () => {
    serve = await startServeProcess({ dataDir, env });
    expect(serve.line).toMatch(/^Crier listening on http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(serve.stderr()).not.toContain(x.credentials.appSecret);

    const stream = await openEventStream(serve.port, serve.auth);
    const mirror = new StateMirror(stream);
    const first = await mirror.until(() => true, 'the snapshot');
    expect(first.account.connected).toBe(true);

    // No gap between posts, so the test does not wait a minute per task.
    expect((await api(serve, 'PUT', '/api/settings', { minPostGapSeconds: 0 })).status).toBe(200);

    // The first post fails permanently (X says the post is invalid); the second goes through.
    x.inject({ type: 'status', status: 400, detail: 'Invalid post' }, { path: '/2/tweets', method: 'POST' });
    const added = await api(serve, 'POST', '/api/feeds', { url: feeds.url('/news.xml'), backfill: 2, name: 'Loopback' });
    expect(added.status).toBe(201);
    const feed = added.json() as Feed;
    let s = await mirror.until((st) => st.tasks.length === 2 && tasksOf(st, 'pending').length + tasksOf(st, 'running').length === 0,
      'both backfilled tasks to settle');
    expect(tasksOf(s, 'completed')).toHaveLength(1);
    const failed = tasksOf(s, 'failed')[0]!;
    expect(failed.error?.kind).toBe('invalid-post');

    const retried = await api(serve, 'POST', `/api/tasks/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    await mirror.until((st) => tasksOf(st, 'completed').length === 2, 'the retried task to complete');
    expect(x.posts).toHaveLength(2);

    // Paused, new items stay pending: one is cancelled, the other posts after resume.
    expect((await api(serve, 'POST', '/api/pause')).status).toBe(204);
    await mirror.until((st) => st.queue.paused && st.queue.pauseReason === 'user', 'the pause');
    items = [{ id: 'item3', title: 'Third story' }, { id: 'item4', title: 'Fourth story' }, ...items];
    expect((await api(serve, 'POST', `/api/feeds/${feed.id}/poll`)).status).toBe(204);
    s = await mirror.until((st) => tasksOf(st, 'pending').length === 2, 'two pending tasks');
    const [toCancel, toPost] = tasksOf(s, 'pending');
    expect((await api(serve, 'POST', `/api/tasks/${toCancel!.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    expect((await api(serve, 'POST', '/api/resume')).status).toBe(204);
    s = await mirror.until((st) => st.tasks.find((t) => t.id === toPost!.id)?.status === 'completed', 'the remaining task to post');
    expect(s.tasks.find((t) => t.id === toCancel!.id)?.status).toBe('cancelled');
    expect(x.posts.map((p) => p.text).join('\n')).not.toContain(toCancel!.itemTitle);
    const before = s;
    stream.close();

    const stopped = await serve.stop('SIGTERM');
    expect(stopped).toEqual({ code: 0, signal: null });

    serve = await startServeProcess({ dataDir, env });
    const after = (await api(serve, 'GET', '/api/state')).json() as StateSnapshot;
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.feeds.map((f) => f.url)).toEqual([feeds.url('/news.xml')]);
    const statuses = (st: StateSnapshot): Record<string, string> => Object.fromEntries(st.tasks.map((t) => [t.id, t.status]));
    expect(statuses(after)).toEqual(statuses(before));
    expect(after.settings.minPostGapSeconds).toBe(0);
    expect((after.queue as QueueState).paused).toBe(false);
  });

  it('refuses bad requests with a clear 4xx and keeps answering', async () => {
    serve ??= await startServeProcess({ dataDir, env });
    const s = serve;
    const bad: [RawResponse, number][] = [
      [await rawRequest(s.port, { path: '/api/state' }), 401],
      [await rawRequest(s.port, { path: '/api/state', headers: { Authorization: 'Bearer wrong-wrong-wrong-wrong' } }), 401],
      [await rawRequest(s.port, { path: '/api/state', headers: { ...s.auth, Host: 'rebound.example' } }), 403],
      [await api(s, 'POST', '/api/feeds', { url: 'javascript:alert(1)' }), 400],
      [await api(s, 'POST', '/api/feeds', { url: 'file:///etc/passwd' }), 400],
      [await api(s, 'POST', '/api/feeds', { url: 'https://a.example/', surprise: true }), 400],
      [await api(s, 'PUT', '/api/settings', { maxAttempts: 1000 }), 400],
      [await rawRequest(s.port, { method: 'POST', path: '/api/feeds', headers: { ...s.auth, 'Content-Type': 'application/json' }, body: '{"url":' }), 400],
      [await rawRequest(s.port, { method: 'POST', path: '/api/feeds', headers: { ...s.auth, 'Content-Type': 'text/plain' }, body: 'https://a.example/' }), 415],
      [await rawRequest(s.port, { method: 'POST', path: '/api/feeds', headers: { ...s.auth, 'Content-Type': 'application/json' }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) }), 413],
      [await api(s, 'POST', '/api/account/connect', { appKey: 'a', appSecret: 'b', accessToken: 'c', accessSecret: 'd' }), 501],
    ];
    for (const [res, status] of bad) {
      expect(res.status).toBe(status);
      expect((res.json() as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
    }
    const state = (await api(s, 'GET', '/api/state')).json() as StateSnapshot;
    expect(state.feeds).toHaveLength(1);
    expect(state.settings.maxAttempts).not.toBe(1000);
  });

  it('exits 0 on SIGINT too', async () => {
    serve ??= await startServeProcess({ dataDir, env });
    expect(await serve.stop('SIGINT')).toEqual({ code: 0, signal: null });
    serve = null;
  });
});
