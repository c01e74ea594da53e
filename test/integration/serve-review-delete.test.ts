// Review mode and deleting a post, proven from the outside: a real `crier serve` posting to the
// HTTPS fake X API. Items of a feed in review wait; approved ones post in approval order; a skipped
// one never posts. A post is deleted with DELETE /2/tweets/:id and recorded; X refusing answers
// 502 with X's words and records nothing; a post already gone from X is recorded as such.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StateSnapshot, Task } from '../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
let fake: FakeXApi;
let feeds: FeedServer;
let items: RssItemSpec[];
let proc: ServeProcess;

const item = (n: number): RssItemSpec => ({
  title: `Story ${n}`, link: `https://example.com/story/${n}`, guid: `story-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(),
});
const state = () => callApi<StateSnapshot>(proc, 'GET', '/api/state');
const story = async (n: number): Promise<Task> => (await state()).tasks.find((t) => t.itemTitle === `Story ${n}`)!;

/** The status and error body of a call expected to fail. */
async function refusal(method: string, path: string, body?: unknown): Promise<{ status: number; error: { code: string; message: string } }> {
  const res = await fetch(`${proc.origin}${path}`, {
    method, headers: { ...proc.auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, ...(await res.json() as { error: { code: string; message: string } }) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-review-serve-'));
  fake = await startFakeXApi();
  items = [item(2), item(1)];
  feeds = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'News', items }) } });
  proc = await startServeProcess({ dataDir: join(dir, 'data'), env: childEnvFor(fake, dir) });
  await callApi(proc, 'PUT', '/api/settings', { minPostGapSeconds: 0 });
});

afterAll(async () => {
  await proc?.stop('SIGKILL');
  await fake.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('review mode through crier serve', () => {
  it('holds new items in review, posts the approved ones in approval order and never the skipped one', async () => {
    const feed = await callApi<{ id: string; review: boolean }>(proc, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), review: true });
    expect(feed.review).toBe(true);
    await vi.waitFor(async () => expect((await state()).feeds[0]?.health.lastStatus).toBe(200), { timeout: 15_000, interval: 50 });
    items = [item(5), item(4), item(3), item(2), item(1)];
    await callApi(proc, 'POST', '/api/poll');
    await vi.waitFor(async () => expect((await state()).queue.counts.review).toBe(3), { timeout: 15_000, interval: 50 });
    expect(fake.posts).toEqual([]);

    const [s3, s4, s5] = [await story(3), await story(4), await story(5)];
    expect(await callApi(proc, 'POST', '/api/tasks/approve', { ids: [s5.id, s3.id, 'no-such-task'] })).toEqual({ approved: 2 });
    expect(await callApi(proc, 'POST', '/api/tasks/skip', { ids: [s4.id, s5.id] })).toEqual({ skipped: 1 });
    await vi.waitFor(async () => expect((await story(3)).status).toBe('completed'), { timeout: 15_000, interval: 50 });
    expect(fake.posts.map((p) => p.text.split(' ').slice(0, 2).join(' '))).toEqual(['Story 5', 'Story 3']);
    expect(await story(4)).toMatchObject({ status: 'cancelled', skipped: true, note: 'Skipped in review' });
    expect((await state()).queue.counts).toMatchObject({ review: 0, failed: 0 });
  });

  it('refuses a bulk body without a list of ids', async () => {
    expect(await refusal('POST', '/api/tasks/approve', { ids: 'all' })).toMatchObject({ status: 400, error: { code: 'validation' } });
  });
});

describe('deleting a post through crier serve', () => {
  it('deletes it on X with one DELETE and records when, keeping its post id and link', async () => {
    const s5 = await story(5);
    const deleted = await callApi<Task>(proc, 'POST', `/api/tasks/${s5.id}/delete-post`, {});
    expect(deleted).toMatchObject({ status: 'completed', postId: s5.postId, postUrl: s5.postUrl, deletedAt: expect.any(String) });
    expect(fake.posts.map((p) => p.id)).not.toContain(s5.postId);
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/2/tweets/${s5.postId}`]);
    expect(await story(5)).toEqual(deleted);
    expect(await refusal('POST', `/api/tasks/${s5.id}/delete-post`)).toMatchObject({ status: 409, error: { code: 'conflict', message: 'This post was already deleted from X.' } });
  });

  it('answers 502 with X’s words when X refuses, and records nothing', async () => {
    const s3 = await story(3);
    fake.inject({ type: 'status', status: 403, detail: 'You are not allowed to delete this Tweet.' }, { path: `/2/tweets/${s3.postId}`, method: 'DELETE' });
    const answer = await refusal('POST', `/api/tasks/${s3.id}/delete-post`);
    expect(answer).toMatchObject({ status: 502, error: { code: 'x-refused' } });
    expect(answer.error.message).toContain('You are not allowed to delete this Tweet.');
    expect(await story(3)).toEqual(s3);
    expect(fake.posts.map((p) => p.id)).toContain(s3.postId);
  });

  it('records a post already gone from X as deleted, with a note', async () => {
    const s3 = await story(3);
    fake.posts.splice(fake.posts.findIndex((p) => p.id === s3.postId), 1);
    expect(await callApi<Task>(proc, 'POST', `/api/tasks/${s3.id}/delete-post`, {})).toMatchObject({ deletedAt: expect.any(String), note: 'already gone from X' });
  });

  it('refuses a task that was never posted, and an unknown one', async () => {
    const s4 = await story(4);
    expect(await refusal('POST', `/api/tasks/${s4.id}/delete-post`)).toMatchObject({ status: 409, error: { code: 'conflict' } });
    expect(await refusal('POST', '/api/tasks/no-such-task/delete-post')).toMatchObject({ status: 404, error: { code: 'not-found' } });
  });
});
