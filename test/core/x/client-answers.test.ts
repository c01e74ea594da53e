// X's answers the client must read right, over real HTTPS against the fake X API: a 2xx without
// a post, an answer that cannot be read, 429 headers that are absurd or add a retry-after, and the
// timeline look for a post in doubt (t.co links put back, one users/me for all looks, a billed read
// of at most 5 posts).
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXClient, TIMELINE_LOOK_POSTS } from '../../../main/core/x/client';
import type { XClient } from '../../../main/core/x/types';
import { silentLogger } from '../../../main/core/ports';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api';
import { failureOf } from '../../support/client-test-kit';

let fake: FakeXApi;
let agent: Agent;

function client(): XClient {
  return createXClient({ credentials: fake.credentials, apiBase: fake.url, log: silentLogger, httpsAgent: agent, timeoutMs: 5_000 });
}

function looker(): XClient & Required<Pick<XClient, 'findPost'>> {
  const x = client();
  if (!x.findPost) throw new Error('the X client has no findPost');
  return x as XClient & Required<Pick<XClient, 'findPost'>>;
}

beforeAll(async () => {
  fake = await startFakeXApi();
  agent = new Agent({ ca: fake.caPem });
});
afterEach(() => fake.reset());
afterAll(async () => {
  agent.destroy();
  await fake.close();
});

describe('answers without a post', () => {
  it("fails a 200 carrying X's errors with X's own message, not in doubt", async () => {
    fake.inject({ type: 'ok-with-errors', message: 'Your account is temporarily locked.' }, { path: '/2/tweets' });
    const failure = await failureOf(client().post({ text: 'locked', imageUrl: null }));
    expect(failure).toMatchObject({ kind: 'unknown', inDoubt: false });
    expect(failure.message).toBe('X answered without creating the post: Your account is temporarily locked.');
    expect(fake.posts).toEqual([]);
  });

  it('treats a 201 whose body cannot be read as in doubt: the post may be on X', async () => {
    fake.inject({ type: 'unreadable-after-record' }, { path: '/2/tweets' });
    const failure = await failureOf(client().post({ text: 'garbled answer', imageUrl: null }));
    expect(failure.inDoubt).toBe(true);
    expect(fake.posts.map((p) => p.text)).toEqual(['garbled answer']);
  });
});

describe('429 headers', () => {
  it('does not throw on a reset beyond the range of a date, and reports no reset', async () => {
    fake.inject({ type: 'rate-limit', resetAt: '99999999999999999' }, { path: '/2/tweets' });
    const failure = await failureOf(client().post({ text: 'absurd', imageUrl: null }));
    expect(failure.kind).toBe('rate-limited');
    expect(failure).not.toHaveProperty('resetAt');
    expect(failure.message).toBe("X's rate limit is reached; posting waits.");
  });

  it('passes on a retry-after in seconds', async () => {
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000, retryAfter: '90' }, { path: '/2/tweets' });
    const failure = await failureOf(client().post({ text: 'retry after', imageUrl: null }));
    expect(failure).toMatchObject({ kind: 'rate-limited', resetAt: 2_000_000_000_000, retryAfterMs: 90_000 });
  });

  it("takes the later of the reset, an exhausted 24-hour app limit and a retry-after date", async () => {
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000, appResetAt: 2_000_003_600, retryAfter: new Date(2_000_007_200_000).toUTCString() }, { path: '/2/tweets' });
    const failure = await failureOf(client().post({ text: 'app limit', imageUrl: null }));
    expect(failure.resetAt).toBe(2_000_007_200_000);
  });
});

describe('looking for a post on the timeline', () => {
  const since = (): number => Date.now() - 60_000;

  it('finds a post X shows with t.co links and escaped text, by the text as sent', async () => {
    const text = 'Q&A: <b> tags & more https://example.com/posts/1?a=1&b=2 — via https://blog.example.org/x';
    const posted = await client().post({ text, imageUrl: null });
    const found = await looker().findPost({ text, since: since() });
    expect(found).toEqual({ postId: posted.postId, postUrl: `https://x.com/${fake.handle}/status/${posted.postId}`, note: null });
  });

  it('asks for the newest 5 own posts since the start, without replies and reposts, with their links', async () => {
    await looker().findPost({ text: 'anything', since: Date.UTC(2026, 0, 15, 11, 55, 30, 500) });
    const read = fake.requests.find((r) => r.path === `/2/users/${fake.userId}/tweets`);
    expect(read?.query).toEqual({
      start_time: '2026-01-15T11:55:30Z', exclude: 'replies,retweets', max_results: String(TIMELINE_LOOK_POSTS),
      'tweet.fields': 'entities,created_at',
    });
    expect(read?.signed).toBe(true);
  });

  it('asks users/me once for the user id, then reuses it', async () => {
    const x = looker();
    await x.findPost({ text: 'a', since: since() });
    await x.findPost({ text: 'b', since: since() });
    expect(fake.requests.map((r) => r.path)).toEqual(['/2/users/me', `/2/users/${fake.userId}/tweets`, `/2/users/${fake.userId}/tweets`]);
  });

  it('does not take a post whose text differs only in its link', async () => {
    await client().post({ text: 'Weekly digest https://example.com/digest/1', imageUrl: null });
    expect(await looker().findPost({ text: 'Weekly digest https://example.com/digest/2', since: since() })).toBeNull();
  });

  it('matches a post with an image, whose extra media link X appends', async () => {
    const post = fake.addPost('With a picture https://example.com/p', Date.now(), ['1234567']);
    expect(await looker().findPost({ text: 'With a picture https://example.com/p', since: since() })).toMatchObject({ postId: post.id });
  });

  it('reads at most 5 posts, however many there are, and misses an older one', async () => {
    const older = fake.addPost('The one in doubt', Date.now() - 30_000);
    for (let i = 0; i < 7; i++) fake.addPost(`Later post ${i}`, Date.now() - 20_000 + i);
    expect(await looker().findPost({ text: older.text, since: since() })).toBeNull();
    expect(fake.postsRead).toBe(5);
  });

  it('leaves out posts outside the window', async () => {
    fake.addPost('Too early', Date.now() - 10 * 60_000);
    expect(await looker().findPost({ text: 'Too early', since: since() })).toBeNull();
    expect(fake.postsRead).toBe(0);
  });

  it('rejects with a mapped failure when X refuses the read', async () => {
    fake.inject({ type: 'status', status: 503 }, { path: /\/tweets$/ });
    const failure = await failureOf(looker().findPost({ text: 'x', since: since() }));
    expect(failure).toMatchObject({ kind: 'server', httpStatus: 503 });
  });
});
