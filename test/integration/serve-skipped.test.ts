// The skipped log from the outside: a real `crier serve` posting to the HTTPS fake X API. What a
// poll does not post is listed by GET /api/skipped (one feed's with ?feedId=); POST
// /api/skipped/:id/post posts it anyway with the feed's template; refusals answer in words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SkippedItem, StateSnapshot, Task } from '../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
let fake: FakeXApi;
let feeds: FeedServer;
let items: RssItemSpec[];
let proc: ServeProcess;

const item = (n: number, title = `Story ${n}`): RssItemSpec => ({
  title, link: `https://example.com/story/${n}`, guid: `story-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(),
});
const state = () => callApi<StateSnapshot>(proc, 'GET', '/api/state');

async function refusal(method: string, path: string): Promise<{ status: number; error: { code: string; message: string } }> {
  const res = await fetch(`${proc.origin}${path}`, method === 'GET' ? { headers: proc.auth } : { method, headers: { ...proc.auth, 'Content-Type': 'application/json' }, body: '{}' });
  return { status: res.status, ...(await res.json() as { error: { code: string; message: string } }) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-skipped-serve-'));
  fake = await startFakeXApi();
  items = [item(2), item(1)];
  feeds = await startFeedServer({
    '/feed.xml': { body: () => rssDocument({ title: 'News', items }) },
    '/other.xml': { body: () => rssDocument({ title: 'Other', items: [{ ...item(9), guid: 'other-9', link: 'https://other.example.com/9' }] }) },
  });
  proc = await startServeProcess({ dataDir: join(dir, 'data'), env: childEnvFor(fake, dir) });
  await callApi(proc, 'PUT', '/api/settings', { minPostGapSeconds: 0 });
});

afterAll(async () => {
  await proc?.stop('SIGKILL');
  await fake.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the skipped log through crier serve', () => {
  it('lists a baseline and a filtered item, posts one anyway, and refuses it a second time', async () => {
    const feed = await callApi<{ id: string }>(proc, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), exclude: ['sponsored'], template: 'Read: {title} {link}' });
    await callApi(proc, 'POST', '/api/feeds', { url: feeds.url('/other.xml') });
    await vi.waitFor(async () => expect((await state()).feeds.every((f) => f.health.lastStatus === 200)).toBe(true), { timeout: 15_000, interval: 50 });
    items = [item(3, 'Story 3, sponsored'), item(2), item(1)];
    await callApi(proc, 'POST', `/api/feeds/${feed.id}/poll`);

    const log = await callApi<SkippedItem[]>(proc, 'GET', `/api/skipped?feedId=${feed.id}`);
    expect(log.map((s) => s.item.title)).toEqual(['Story 3, sponsored', 'Story 2', 'Story 1']);
    expect(log[0]!.reason).toMatch(/sponsored/);
    expect((await callApi<SkippedItem[]>(proc, 'GET', '/api/skipped')).length).toBe(4);

    const task = await callApi<Task>(proc, 'POST', `/api/skipped/${log[0]!.id}/post`, {});
    expect(task).toMatchObject({ feedId: feed.id, itemId: 'story-3', text: 'Read: Story 3, sponsored https://example.com/story/3' });
    await vi.waitFor(async () => expect((await state()).tasks.find((t) => t.id === task.id)?.status).toBe('completed'), { timeout: 15_000, interval: 50 });
    expect(fake.posts.map((p) => p.text)).toEqual(['Read: Story 3, sponsored https://example.com/story/3']);
    expect((await callApi<SkippedItem[]>(proc, 'GET', `/api/skipped?feedId=${feed.id}`)).map((s) => s.item.title)).toEqual(['Story 2', 'Story 1']);

    expect(await refusal('POST', `/api/skipped/${log[0]!.id}/post`)).toMatchObject({ status: 404, error: { code: 'not-found', message: expect.stringMatching(/not in the skipped log/) } });
  });

  it('refuses an empty feed id in words', async () => {
    expect(await refusal('GET', '/api/skipped?feedId=')).toMatchObject({ status: 400, error: { code: 'validation' } });
  });
});
