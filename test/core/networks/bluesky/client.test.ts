import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BLUESKY_IMAGE_NOTE, blueskyPostUrl, createBlueskyDestination, type BlueskyDestination, type BlueskyDestinationOptions,
} from '../../../../main/core/networks/bluesky/client';
import type { BlueskySessionData } from '../../../../main/core/networks/bluesky/session';
import { tidFor, tidFromKey } from '../../../../main/core/networks/bluesky/tid';
import { createFakeClock } from '../../../support/fake-clock';
import { startFakeBluesky, type FakeBluesky } from '../../../support/fake-bluesky';
import { capturingLogger, failureOf, PNG } from '../../../support/client-test-kit';

let pds: FakeBluesky;
let images: Server;
let imagesUrl: string;
let log: ReturnType<typeof capturingLogger>;
let sessions: BlueskySessionData[];
const clock = createFakeClock();

function destination(overrides: Partial<BlueskyDestinationOptions> = {}): BlueskyDestination {
  return createBlueskyDestination({
    identifier: pds.account.handle,
    appPassword: pds.account.appPassword,
    service: pds.url,
    log,
    clock,
    timeoutMs: 5_000,
    allowLoopbackImages: true,
    onSession: (s) => void sessions.push(s),
    ...overrides,
  });
}

let keyCounter = 0;
function newKey(): string {
  keyCounter++;
  return tidFor(clock.now() + keyCounter, `task-${keyCounter}`);
}

beforeAll(async () => {
  pds = await startFakeBluesky();
  images = createServer((req, res) => {
    if (req.url === '/pic.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    } else if (req.url === '/huge.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.concat([PNG, Buffer.alloc(1_000_001)]));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const address = images.address();
  imagesUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await pds.close();
  await new Promise<void>((resolve) => images.close(() => resolve()));
});

beforeEach(() => {
  pds.reset();
  pds.setAppPassword('abcd-efgh-ijkl-mnop');
  log = capturingLogger();
  sessions = [];
});

afterEach(() => {
  // No secret in any log line, whatever the test did.
  const logged = JSON.stringify(log.lines);
  expect(logged).not.toContain(pds.account.appPassword);
  for (const s of sessions) {
    expect(logged).not.toContain(s.accessJwt);
    expect(logged).not.toContain(s.refreshJwt);
  }
  expect(logged).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
});

describe('posting', () => {
  it('logs in with the app password and posts under the TID key, with a link facet at the right UTF-8 byte offsets', async () => {
    const key = newKey();
    const text = 'Café ☕ 日本語のニュース 👩‍👩‍👧 https://example.com/a?b=1 and (https://例え.jp/パス).';
    const result = await destination().post({ text, imageUrl: null, key });

    const [record] = pds.records();
    expect(record?.rkey).toBe(key);
    expect(result.postId).toBe(`at://${pds.account.did}/app.bsky.feed.post/${key}`);
    expect(result.postUrl).toBe(`https://bsky.app/profile/${pds.account.handle}/post/${key}`);
    expect(result.postUrl).toBe(blueskyPostUrl(pds.account.handle, key));
    expect(record?.value.text).toBe(text);

    const bytes = Buffer.from(text, 'utf8');
    const facets = record?.value.facets as { index: { byteStart: number; byteEnd: number }; features: { uri: string }[] }[];
    expect(facets.map((f) => bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'))).toEqual([
      'https://example.com/a?b=1',
      'https://例え.jp/パス',
    ]);
    expect(facets.map((f) => f.features[0]?.uri)).toEqual(['https://example.com/a?b=1', 'https://例え.jp/パス']);
    expect(sessions).toHaveLength(1);
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.repo.createRecord').every((r) => r.auth === 'access')).toBe(true);
  });

  it('shortens a long link in the displayed text while its facet keeps the full URL, so the post fits', async () => {
    const url = `https://example.com/articles/2026/01/${'a-long-slug-'.repeat(12)}end?utm_source=feed`;
    const text = `${'Word '.repeat(52)}${url}`;
    expect([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length).toBeGreaterThan(300);
    await destination().post({ text, imageUrl: null, key: newKey() });

    const value = pds.records()[0]?.value as { text: string; facets: { index: { byteStart: number; byteEnd: number }; features: { uri: string }[] }[] };
    expect(value.text).toBe(`${'Word '.repeat(52)}example.com/articles/202…`);
    const facet = value.facets[0];
    expect(Buffer.from(value.text).subarray(facet?.index.byteStart, facet?.index.byteEnd).toString()).toBe('example.com/articles/202…');
    expect(facet?.features[0]?.uri).toBe(url);
  });

  it('refuses a post over 300 graphemes without sending it, in words', async () => {
    const failure = await failureOf(destination().post({ text: 'é'.repeat(301), imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'invalid-post', inDoubt: false });
    expect(failure.message).toBe('The post is 301 characters; Bluesky allows 300.');
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.repo.createRecord')).toHaveLength(0);
  });

  it('takes 300 graphemes of family emoji though they are far more than 300 code points, and refuses 3,001 bytes in fewer graphemes', async () => {
    const family = '👩‍👩‍👧‍👦'; // 1 grapheme, 25 bytes
    await destination().post({ text: family.repeat(100), imageUrl: null, key: newKey() });
    expect(pds.records()).toHaveLength(1);
    const failure = await failureOf(destination().post({ text: family.repeat(121), imageUrl: null, key: newKey() }));
    expect(failure.message).toBe('The post is 3025 bytes of text; Bluesky allows 3000.');
  });

  it('posts the card as an external embed with the image uploaded as a blob', async () => {
    const card = { url: 'https://example.com/post', title: 'A title', description: 'What it says', imageUrl: `${imagesUrl}/pic.png` };
    const result = await destination().post({ text: 'New: https://example.com/post', imageUrl: null, key: newKey(), card });

    expect(result.note).toBeNull();
    const embed = pds.records()[0]?.value.embed as { $type: string; external: { uri: string; title: string; description: string; thumb?: { ref: { $link: string }; mimeType: string; size: number } } };
    expect(embed.$type).toBe('app.bsky.embed.external');
    expect(embed.external).toMatchObject({ uri: card.url, title: 'A title', description: 'What it says' });
    expect(embed.external.thumb).toMatchObject({ mimeType: 'image/png', size: PNG.length });
    expect(pds.blobs().has(embed.external.thumb?.ref.$link ?? '')).toBe(true);
  });

  it('posts the card without a thumb when the image is over 1,000,000 bytes, and says so in the note', async () => {
    const card = { url: 'https://example.com/post', title: 'T', description: '', imageUrl: `${imagesUrl}/huge.png` };
    const result = await destination().post({ text: 'https://example.com/post', imageUrl: null, key: newKey(), card });

    expect(result.note).toBe(BLUESKY_IMAGE_NOTE);
    const embed = pds.records()[0]?.value.embed as { external: Record<string, unknown> };
    expect(embed.external).toEqual({ uri: card.url, title: 'T', description: '' });
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.repo.uploadBlob')).toHaveLength(0);
    expect(log.lines.some((l) => l.level === 'warn' && String(l.fields?.reason).includes('larger than 1000000 bytes'))).toBe(true);
  });

  it("uses the item's image as the card's thumb when the card has none of its own", async () => {
    const card = { url: 'https://example.com/y', title: 'Y', description: '', imageUrl: null };
    await destination().post({ text: 'https://example.com/y', imageUrl: `${imagesUrl}/pic.png`, key: newKey(), card });
    const embed = pds.records()[0]?.value.embed as { external: { thumb?: { mimeType: string } } };
    expect(embed.external.thumb?.mimeType).toBe('image/png');
  });

  it('posts a card with no image as an embed without a thumb, and a post without a card with its image', async () => {
    const card = { url: 'https://example.com/x', title: 'X', description: 'D', imageUrl: null };
    await destination().post({ text: 'https://example.com/x', imageUrl: null, key: newKey(), card });
    await destination().post({ text: 'picture', imageUrl: `${imagesUrl}/pic.png`, key: newKey() });

    const [withCard, withImage] = pds.records();
    expect(withCard?.value.embed).toEqual({ $type: 'app.bsky.embed.external', external: { uri: card.url, title: 'X', description: 'D' } });
    expect((withImage?.value.embed as { $type: string }).$type).toBe('app.bsky.embed.images');
  });
});

describe('exactly once', () => {
  it('posts once when the same key is posted twice: the second sees the generic error, finds the first and reports it posted', async () => {
    const key = newKey();
    const first = await destination().post({ text: 'once', imageUrl: null, key });
    const second = await destination().post({ text: 'once', imageUrl: null, key });

    expect(pds.records()).toHaveLength(1);
    expect(second).toEqual(first);
    const creates = pds.requests().filter((r) => r.nsid === 'com.atproto.repo.createRecord');
    expect(creates.map((r) => r.status)).toEqual([200, 500]);
  });

  it('also treats an explicit "record exists" refusal (the error atproto#4728 brings) as the first post, once the lookup finds it', async () => {
    const key = newKey();
    const bsky = destination();
    const first = await bsky.post({ text: 'once', imageUrl: null, key });
    pds.inject({ type: 'status', status: 409, error: 'RecordAlreadyExists', message: 'Record already exists' }, { nsid: 'com.atproto.repo.createRecord' });
    expect(await bsky.post({ text: 'once', imageUrl: null, key })).toEqual(first);
    expect(pds.records()).toHaveLength(1);
  });

  it('calls a dropped answer in doubt, and findPost then finds the post by its key', async () => {
    const key = newKey();
    const bsky = destination();
    pds.inject({ type: 'drop-after-record' }, { nsid: 'com.atproto.repo.createRecord' });
    const failure = await failureOf(bsky.post({ text: 'lost answer', imageUrl: null, key }));
    expect(failure).toMatchObject({ kind: 'network', inDoubt: true });
    expect(failure.message).toContain('may be on Bluesky');

    const found = await bsky.findPost({ key, text: 'lost answer', since: clock.now() });
    expect(found?.postId).toBe(`at://${pds.account.did}/app.bsky.feed.post/${key}`);
    expect(pds.records()).toHaveLength(1);
  });

  it('findPost answers null when nothing was stored under the key', async () => {
    expect(await destination().findPost({ key: newKey(), text: 'x', since: 0 })).toBeNull();
  });

  it('derives the same TID from a key that is not one, so a task with an older key still posts once', async () => {
    const bsky = destination();
    await bsky.post({ text: 'old key', imageUrl: null, key: 'task-0001' });
    expect(pds.records()[0]?.rkey).toBe(tidFromKey('task-0001'));
    expect((await bsky.findPost({ key: 'task-0001', text: 'old key', since: 0 }))?.postId).toContain(tidFromKey('task-0001'));
  });

  it('calls a 5xx on create a server failure, not in doubt, when the lookup shows nothing was stored', async () => {
    pds.inject({ type: 'status', status: 502, error: 'UpstreamFailure', message: 'Upstream Failure' }, { nsid: 'com.atproto.repo.createRecord' });
    const failure = await failureOf(destination().post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'server', httpStatus: 502, inDoubt: false });
    expect(failure.message).toContain('Upstream Failure');
  });

  it('keeps a 5xx in doubt when the lookup after it fails too', async () => {
    pds.inject({ type: 'status', status: 500 }, { nsid: 'com.atproto.repo.createRecord' });
    pds.inject({ type: 'status', status: 503 }, { nsid: 'com.atproto.repo.getRecord' });
    const failure = await failureOf(destination().post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'server', httpStatus: 500, inDoubt: true });
  });
});

describe('failures', () => {
  it('maps a 429 with ratelimit-reset in epoch seconds to rate-limited with that instant', async () => {
    const bsky = destination();
    await bsky.me();
    const reset = Math.floor(clock.now() / 1000) + 900;
    pds.inject({ type: 'rate-limit', reset: String(reset) }, { nsid: 'com.atproto.repo.createRecord' });
    const failure = await failureOf(bsky.post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'rate-limited', httpStatus: 429, resetAt: reset * 1000 });
    expect(failure.retryAfterMs).toBeUndefined();
  });

  it('maps a 429 with ratelimit-reset as a delta in seconds to an instant on the engine clock and a relative wait', async () => {
    const bsky = destination();
    pds.inject({ type: 'rate-limit', reset: '120' }, { nsid: 'com.atproto.repo.createRecord' });
    const failure = await failureOf(bsky.post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'rate-limited', resetAt: clock.now() + 120_000, retryAfterMs: 120_000 });
  });

  it("maps a 400 InvalidRequest to invalid-post with Bluesky's words", async () => {
    pds.inject({ type: 'status', status: 400, error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: Record/langs must be an array' }, { nsid: 'com.atproto.repo.createRecord' });
    const failure = await failureOf(destination().post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'invalid-post', httpStatus: 400 });
    expect(failure.message).toBe('Bluesky refused the request: Invalid app.bsky.feed.post record: Record/langs must be an array');
    expect(failure.inDoubt).toBeFalsy();
  });

  it('maps a refused app password to auth with the reason, without the password anywhere', async () => {
    const failure = await failureOf(destination({ appPassword: 'wrong-pass-word' }).post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'auth', httpStatus: 401, inDoubt: false });
    expect(failure.message).toBe('Bluesky refused the login with the app password: Invalid identifier or password');
    expect(failure.message).not.toContain('wrong-pass-word');
    expect(pds.records()).toHaveLength(0);
  });

  it('refuses a plain-http service URL off this machine before sending the app password', async () => {
    const failure = await failureOf(destination({ service: 'http://pds.example.com' }).me());
    expect(failure).toMatchObject({ kind: 'auth', inDoubt: false });
    expect(failure.message).toBe('The Bluesky service URL must start with https:// (http:// would send the app password readable).');
    expect(pds.requests()).toHaveLength(0);
  });

  it('calls a refused connection not in doubt: nothing was sent', async () => {
    const closed = await startFakeBluesky();
    const url = closed.url;
    await closed.close();
    const failure = await failureOf(destination({ service: url }).post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'network', inDoubt: false });
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('calls a create that never answers in doubt once the deadline passes', async () => {
    await destination().me();
    // A stored session: the short deadline then bounds the hanging create alone, never a login.
    const bsky = destination({ timeoutMs: 300, session: sessions[0] ?? null });
    pds.inject({ type: 'hang' }, { nsid: 'com.atproto.repo.createRecord' });
    const failure = await failureOf(bsky.post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure).toMatchObject({ kind: 'network', inDoubt: true });
    expect(failure.message).toBe('Bluesky did not answer in time; the post may be on Bluesky.');
  });
});

describe('session', () => {
  it('refreshes an expired access token once and resends the request', async () => {
    const bsky = destination();
    await bsky.post({ text: 'one', imageUrl: null, key: newKey() });
    pds.expireAccessTokens();
    await bsky.post({ text: 'two', imageUrl: null, key: newKey() });

    expect(pds.records()).toHaveLength(2);
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.server.refreshSession')).toHaveLength(1);
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.server.createSession')).toHaveLength(1);
    expect(sessions).toHaveLength(2);
    expect(pds.requests().find((r) => r.nsid === 'com.atproto.server.refreshSession')?.auth).toBe('refresh');
  });

  it('makes one refresh for requests racing on an expired token, the late ones included', async () => {
    const bsky = destination();
    await bsky.me();
    pds.expireAccessTokens();
    const release = pds.holdRefreshes();
    const racing = [0, 1, 2, 3].map(() => bsky.findPost({ key: newKey(), text: '', since: 0 }));
    // Let all four get their ExpiredToken while the refresh is held.
    for (let i = 0; i < 1000 && pds.requests().filter((r) => r.status === 400 && r.nsid === 'com.atproto.repo.getRecord').length < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(pds.requests().filter((r) => r.status === 400 && r.nsid === 'com.atproto.repo.getRecord')).toHaveLength(4);
    release();
    expect(await Promise.all(racing)).toEqual([null, null, null, null]);
    // A request sent with the old token after the refresh is resent without another refresh.
    await bsky.post({ text: 'after', imageUrl: null, key: newKey() });
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.server.refreshSession')).toHaveLength(1);
  });

  it('resends a request whose expired-token answer arrives after the refresh, without refreshing again', async () => {
    let holdNext = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Real requests to the fake; only the delivery of one answer is delayed.
    const slowFetch: typeof fetch = async (input, init) => {
      const hold = holdNext && String(input instanceof Request ? input.url : input).includes('getRecord');
      if (hold) holdNext = false;
      const response = await fetch(input, init);
      if (hold) await gate;
      return response;
    };
    const bsky = destination({ fetch: slowFetch });
    await bsky.me();
    pds.expireAccessTokens();
    holdNext = true;
    const late = bsky.findPost({ key: newKey(), text: '', since: 0 });
    while (pds.requests().filter((r) => r.nsid === 'com.atproto.repo.getRecord').length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await bsky.findPost({ key: newKey(), text: '', since: 0 })).toBeNull();
    release();
    expect(await late).toBeNull();
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.server.refreshSession')).toHaveLength(1);
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.repo.getRecord').map((r) => r.status)).toEqual([400, 400, 400, 400]);
  });

  it('logs in again with the app password when the refresh token is refused', async () => {
    const bsky = destination();
    await bsky.me();
    pds.expireAccessTokens();
    pds.expireRefreshTokens();
    await bsky.post({ text: 'still posts', imageUrl: null, key: newKey() });
    expect(pds.records()).toHaveLength(1);
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.server.createSession')).toHaveLength(2);
  });

  it('fails with auth and both reasons when the refresh and the new login are refused', async () => {
    const bsky = destination();
    await bsky.me();
    pds.expireAccessTokens();
    pds.expireRefreshTokens();
    pds.setAppPassword('revoked-and-replaced');
    const failure = await failureOf(bsky.post({ text: 'x', imageUrl: null, key: newKey() }));
    expect(failure.kind).toBe('auth');
    expect(failure.message).toBe('Bluesky refused the session: Token has been revoked Logging in again failed too: Bluesky refused the login with the app password: Invalid identifier or password');
    expect(failure.inDoubt).toBeFalsy();
    expect(pds.records()).toHaveLength(0);
  });

  it('still posts when storing the new session fails', async () => {
    const bsky = destination({ onSession: () => { throw new Error('disk full'); } });
    await bsky.post({ text: 'posted anyway', imageUrl: null, key: newKey() });
    expect(pds.records()).toHaveLength(1);
    expect(log.lines.some((l) => l.level === 'warn' && l.msg === 'could not hand on the new Bluesky session')).toBe(true);
  });

  it('uses a stored session without logging in, and hands back each new one', async () => {
    const first = destination();
    await first.me();
    const stored = sessions[0];
    expect(stored).toBeDefined();
    const again = destination({ session: stored ?? null });
    expect(await again.me()).toEqual({ handle: pds.account.handle });
    expect(pds.requests().filter((r) => r.nsid === 'com.atproto.server.createSession')).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('keeps the app password and session tokens out of every log line and failure message, through login, refresh and failures', async () => {
    const bsky = destination();
    await bsky.post({ text: 'one', imageUrl: null, key: newKey() });
    pds.expireAccessTokens();
    await bsky.post({ text: 'two', imageUrl: null, key: newKey() });
    pds.inject({ type: 'status', status: 400, error: 'InvalidRequest', message: 'refused' }, { nsid: 'com.atproto.repo.createRecord' });
    const refused = await failureOf(bsky.post({ text: 'three', imageUrl: null, key: newKey() }));
    pds.expireAccessTokens();
    pds.expireRefreshTokens();
    pds.setAppPassword('changed-pass-word');
    const locked = await failureOf(bsky.me());

    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['logged in to Bluesky', 'refreshed the Bluesky session', 'bluesky request failed']));
    const said = JSON.stringify([log.lines, refused, locked]);
    for (const secret of ['abcd-efgh-ijkl-mnop', ...sessions.flatMap((s) => [s.accessJwt, s.refreshJwt])]) expect(said).not.toContain(secret);
    // The tokens did travel where they belong: in the Authorization header.
    expect(pds.requests().some((r) => r.authorization === `Bearer ${sessions[0]?.accessJwt}`)).toBe(true);
  });
});

describe('deletePost', () => {
  it('deletes the record, and says alreadyGone the second time', async () => {
    const bsky = destination();
    const { postId } = await bsky.post({ text: 'to delete', imageUrl: null, key: newKey() });
    expect(await bsky.deletePost(postId)).toEqual({ alreadyGone: false });
    expect(pds.records()).toHaveLength(0);
    expect(await bsky.deletePost(postId)).toEqual({ alreadyGone: true });
  });

  it("refuses another account's post", async () => {
    const failure = await failureOf(destination().deletePost(`at://did:plc:someoneelse/app.bsky.feed.post/${newKey()}`));
    expect(failure.kind).toBe('forbidden');
  });
});

describe('blueskyPostUrl', () => {
  it('writes a DID with its colons, as bsky.app does, and encodes anything a handle cannot hold', () => {
    expect(blueskyPostUrl('did:plc:abc234', '3jzfcijpj2z2a')).toBe('https://bsky.app/profile/did:plc:abc234/post/3jzfcijpj2z2a');
    expect(blueskyPostUrl('a/b?c', 'k')).toBe('https://bsky.app/profile/a%2Fb%3Fc/post/k');
  });
});
