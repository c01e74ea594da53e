// Review mode and deleting a post through the engine's one surface (AppService): a real store in a
// temp dir, real fetches from a loopback feed server, the real parser, a fake clock and a scripted
// X client. A review that is never answered never posts; approved items post in approval order;
// a deleted post is recorded durably and the item is never posted again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { ALREADY_GONE_NOTE } from '../../main/core/tasks/delete-post';
import { XError, type PostRequest, type XClient, type XFailure } from '../../main/core/x/types';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';

const HOUR = 3_600_000;
/** Real fetches and a parser worker: generous on a loaded machine, checked often. */
const SOON = { timeout: 15_000, interval: 20 };

interface Harness {
  service: EngineService;
  clock: FakeClock;
  posts: PostRequest[];
  deleted: string[];
  /** What the next deletePost answers; default: deleted. */
  deleteAnswer: { alreadyGone: boolean } | XFailure;
  reopen(): Promise<void>;
}

let dir: string;
let server: FeedServer;
let items: RssItemSpec[];
let open: Harness[] = [];

const item = (n: number): RssItemSpec => ({
  title: `Item ${n}`, link: `https://example.com/posts/${n}`, guid: `guid-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(),
});

async function harness(options: { connected?: boolean } = {}): Promise<Harness> {
  const clock = createFakeClock();
  const h = { clock, posts: [] as PostRequest[], deleted: [] as string[], deleteAnswer: { alreadyGone: false } } as Harness;
  const client: XClient = {
    async post(request) {
      h.posts.push(request);
      return { postId: `18600000000000000${h.posts.length}`, postUrl: `https://x.com/crier/status/18600000000000000${h.posts.length}`, note: null };
    },
    async me() { return { handle: 'crier' }; },
    async deletePost(postId) {
      const answer = h.deleteAnswer;
      if ('kind' in answer) throw new XError(answer);
      h.deleted.push(postId);
      return answer;
    },
  };
  const connected = options.connected ?? true;
  const account: AccountPort = {
    client: () => (connected ? client : null),
    state: () => ({ connected, handle: null, method: connected ? 'oauth1' : null, secretsProtected: true }),
    setHandle() {}, connect: async () => {}, disconnect: async () => {},
  };
  const make = (): EngineService => {
    const service = createAppService({
      clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }), account, random: () => 0.5,
    });
    service.start();
    return service;
  };
  h.service = make();
  h.reopen = async () => { await h.service.close(); h.service = make(); };
  open.push(h);
  await h.service.updateSettings({ minPostGapSeconds: 0 });
  return h;
}

async function tasks(h: Harness): Promise<Task[]> {
  return (await h.service.getState()).tasks;
}
const byTitle = async (h: Harness, title: string): Promise<Task> => (await tasks(h)).find((t) => t.itemTitle === title)!;

/** A feed whose first check saw items 1–2; then items 3–5 are published. */
async function feedWithNewItems(h: Harness, fields: { review?: boolean } = {}): Promise<string> {
  const feed = await h.service.addFeed({ url: server.url('/feed.xml'), ...fields });
  await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.health.lastStatus).toBe(200), SOON);
  items = [item(5), item(4), item(3), item(2), item(1)];
  await h.service.pollNow(feed.id);
  await h.clock.tick(0);
  await h.clock.settle();
  return feed.id;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-review-'));
  items = [item(2), item(1)];
  server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Example', items }) } });
});

afterEach(async () => {
  for (const h of open) await h.service.close();
  open = [];
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a feed in review mode', () => {
  it('makes its new items tasks in review, which never post however long they wait, even across a restart', async () => {
    const h = await harness();
    await feedWithNewItems(h, { review: true });
    expect((await tasks(h)).map((t) => t.status)).toEqual(['review', 'review', 'review']);
    expect((await h.service.getState()).queue.counts).toMatchObject({ review: 3, pending: 0 });
    await vi.waitFor(async () => expect((await h.service.getState()).feeds[0]?.counts).toEqual({ posted: 0, pending: 0, failed: 0, review: 3 }), SOON);
    await h.clock.tick(24 * HOUR);
    await h.reopen();
    await h.clock.tick(24 * HOUR);
    expect(h.posts).toEqual([]);
    expect((await tasks(h)).map((t) => t.status)).toEqual(['review', 'review', 'review']);
  });

  it('posts approved items in the order they were approved, after the tasks already waiting, and skips the others as no failure', async () => {
    const h = await harness();
    await h.service.pause();
    const feedId = await feedWithNewItems(h, { review: true });
    // With review mode off, a new item is pending at once: it waits before the approvals below.
    await h.service.updateFeed(feedId, { review: false });
    items = [item(6), item(5), item(4), item(3), item(2), item(1)];
    await h.service.pollNow(feedId);
    const [i3, i4, i5] = [await byTitle(h, 'Item 3'), await byTitle(h, 'Item 4'), await byTitle(h, 'Item 5')];
    expect((await byTitle(h, 'Item 6')).status).toBe('pending');
    expect(await h.service.approveTasks([i5.id, i3.id])).toBe(2);
    expect(await h.service.skipTasks([i4.id, i5.id])).toBe(1);
    await h.service.resume();
    await h.clock.tick(0);
    await h.clock.settle();
    expect(h.posts.map((p) => p.text.split(' ').slice(0, 2).join(' '))).toEqual(['Item 6', 'Item 5', 'Item 3']);
    const skipped = await byTitle(h, 'Item 4');
    expect(skipped).toMatchObject({ status: 'cancelled', skipped: true, note: 'Skipped in review' });
    expect((await h.service.getState()).feeds[0]?.counts).toEqual({ posted: 3, pending: 0, failed: 0 });
  });

  it('lets a task in review be edited, and turning review mode off leaves the waiting ones waiting', async () => {
    const h = await harness();
    const feedId = await feedWithNewItems(h, { review: true });
    const t = await byTitle(h, 'Item 3');
    const edited = await h.service.editTask(t.id, `Edited ${t.text}`, t.updatedAt);
    expect(edited).toMatchObject({ status: 'review', text: `Edited ${t.text}` });
    await h.service.updateFeed(feedId, { review: false });
    await h.clock.tick(HOUR);
    expect(h.posts).toEqual([]);
    expect((await h.service.getState()).feeds[0]?.review).toBe(false);
  });

  it('skips the tasks in review of a feed that is removed, keeping them in the history', async () => {
    const h = await harness();
    const feedId = await feedWithNewItems(h, { review: true });
    await h.service.removeFeed(feedId);
    expect((await tasks(h)).map((t) => [t.status, t.skipped])).toEqual([['cancelled', true], ['cancelled', true], ['cancelled', true]]);
  });

  it('refuses a list of ids that is not a list, naming the field', async () => {
    const h = await harness();
    await expect(h.service.approveTasks('x' as never)).rejects.toMatchObject({ code: 'validation', field: 'ids' });
    await expect(h.service.skipTasks(['../x'])).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('deleting a post', () => {
  async function posted(h: Harness): Promise<Task> {
    await feedWithNewItems(h);
    await vi.waitFor(async () => expect((await tasks(h)).every((t) => t.status === 'completed')).toBe(true), SOON);
    return byTitle(h, 'Item 3');
  }

  it('deletes it on X, records when, keeps its post id and link across a restart, and never posts the item again', async () => {
    const h = await harness();
    const task = await posted(h);
    const answer = await h.service.deletePost(task.id);
    expect(h.deleted).toEqual([task.postId]);
    expect(answer).toMatchObject({ status: 'completed', postId: task.postId, postUrl: task.postUrl, note: task.note });
    expect(answer.deletedAt).toBe(new Date(h.clock.now()).toISOString());
    await h.reopen();
    expect(await byTitle(h, 'Item 3')).toEqual(answer);
    const before = h.posts.length;
    await h.service.pollNow();
    await h.clock.tick(HOUR);
    expect(h.posts.length).toBe(before);
    await expect(h.service.deletePost(task.id)).rejects.toMatchObject({ code: 'conflict', message: 'This post was already deleted from X.' });
  });

  it('records a post X no longer has as deleted, with a note', async () => {
    const h = await harness();
    const task = await posted(h);
    h.deleteAnswer = { alreadyGone: true };
    expect(await h.service.deletePost(task.id)).toMatchObject({ note: ALREADY_GONE_NOTE, deletedAt: expect.any(String) });
  });

  it('rejects with X’s words when X refuses, and records nothing', async () => {
    const h = await harness();
    const task = await posted(h);
    h.deleteAnswer = { kind: 'forbidden', message: 'X refused: You are not allowed to delete this Tweet.', httpStatus: 403 };
    await expect(h.service.deletePost(task.id)).rejects.toMatchObject({ code: 'x-refused', message: 'X refused: You are not allowed to delete this Tweet.' });
    expect(await byTitle(h, 'Item 3')).toEqual(task);
  });

  it('refuses a task that is not a live post with an id', async () => {
    const h = await harness();
    await h.service.pause();
    await feedWithNewItems(h);
    const pending = await byTitle(h, 'Item 3');
    await expect(h.service.deletePost(pending.id)).rejects.toMatchObject({ code: 'conflict', message: 'Only a posted task\'s post can be deleted from X; this one is pending.' });
    await expect(h.service.deletePost('no-such-task')).rejects.toMatchObject({ code: 'not-found' });
    await h.service.updateSettings({ dryRun: true });
    await h.service.resume();
    await vi.waitFor(async () => expect((await byTitle(h, 'Item 3')).status).toBe('completed'), SOON);
    await expect(h.service.deletePost(pending.id)).rejects.toMatchObject({ code: 'conflict', message: 'This task was a dry run: nothing of it is on X to delete.' });
  });
});
