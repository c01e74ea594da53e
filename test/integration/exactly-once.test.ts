// The exactly-once promise, proven from the outside: the engine runs as a real `crier serve`
// process, is SIGKILLed while a post is in flight (X has recorded it, the answer never came),
// and is restarted on the same data dir. The fake X API's own record must show each item once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
let fake: FakeXApi;
let feeds: FeedServer;
let items: RssItemSpec[];
const running: ServeProcess[] = [];

const item = (n: number): RssItemSpec => ({
  title: `Story ${n}`, link: `https://example.com/story/${n}`, guid: `story-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(),
});

async function serve(): Promise<ServeProcess> {
  const proc = await startServeProcess({ dataDir: join(dir, 'data'), env: childEnvFor(fake, dir) });
  running.push(proc);
  return proc;
}

const state = (proc: ServeProcess) => callApi<StateSnapshot>(proc, 'GET', '/api/state');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-once-'));
  fake = await startFakeXApi();
  items = [item(1)];
  feeds = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'News', items }) } });
});

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.stop('SIGKILL');
  await fake.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a post in flight when the process is killed', () => {
  it.each([
    [true, /found on the account's timeline/],
    [false, /duplicate/i],
  ])('is confirmed after the restart (timeline look: %s) and never posted twice', async (checkTimelineBeforeResend, note) => {
    fake.inject({ type: 'hang-after-record' }, { path: '/2/tweets', method: 'POST' });
    const first = await serve();
    await callApi(first, 'PUT', '/api/settings', { minPostGapSeconds: 0, retryBaseSeconds: 1, retryMaxSeconds: 2, checkTimelineBeforeResend });
    await callApi(first, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 1 });

    await vi.waitFor(() => expect(fake.posts).toHaveLength(1), { timeout: 15_000, interval: 50 });
    expect((await state(first)).tasks[0]?.status).toBe('running');
    await first.stop('SIGKILL');

    items = [item(2), item(1)];
    const second = await serve();
    await vi.waitFor(async () => {
      const tasks = (await state(second)).tasks;
      expect(tasks.find((t) => t.itemTitle === 'Story 1')?.status).toBe('completed');
    }, { timeout: 20_000, interval: 100 });
    const story1 = (await state(second)).tasks.find((t) => t.itemTitle === 'Story 1');
    expect(story1?.note).toMatch(note);

    await callApi(second, 'POST', '/api/poll');
    await vi.waitFor(async () => {
      const tasks = (await state(second)).tasks;
      expect(tasks.find((t) => t.itemTitle === 'Story 2')?.status).toBe('completed');
    }, { timeout: 20_000, interval: 100 });

    const texts = fake.posts.map((p) => p.text);
    expect(texts.filter((t) => t.startsWith('Story 1'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Story 2'))).toHaveLength(1);
  });

  it('keeps every task across a kill in the middle of a burst of new items', async () => {
    items = Array.from({ length: 30 }, (_, i) => item(30 - i));
    const first = await serve();
    await callApi(first, 'PUT', '/api/settings', { minPostGapSeconds: 0 });
    await callApi(first, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 30 });
    await vi.waitFor(() => expect(fake.posts.length).toBeGreaterThan(3), { timeout: 15_000, interval: 10 });
    await first.stop('SIGKILL');

    const second = await serve();
    await vi.waitFor(async () => {
      const tasks = (await state(second)).tasks;
      expect(tasks).toHaveLength(30);
      expect(tasks.every((t) => t.status === 'completed')).toBe(true);
    }, { timeout: 30_000, interval: 200 });
    const texts = fake.posts.map((p) => p.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toHaveLength(30);
  });
});
