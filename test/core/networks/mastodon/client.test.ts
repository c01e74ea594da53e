import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  createMastodonDestination, idempotencyKeyFor, IMAGE_FAILED_NOTE, type MastodonDestination, type MastodonOptions,
} from '../../../../main/core/networks/mastodon/client';
import type { Logger } from '../../../../main/core/ports';
import { XError, type XFailure } from '../../../../main/core/x/types';
import { startFakeMastodon, type FakeMastodon } from '../../../support/fake-mastodon';
import { PNG, type LogLine } from '../../../support/client-test-kit';

let mastodon: FakeMastodon;
let images: Server;
let imagesUrl: string;
let lines: LogLine[];
let sleeps: number[];
let consoleSpies: MockInstance[];

const logger: Logger = {
  debug: (msg, fields) => lines.push({ level: 'debug', msg, fields }),
  info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
};

function destination(overrides: Partial<MastodonOptions> = {}): MastodonDestination {
  return createMastodonDestination({
    instanceUrl: mastodon.url,
    accessToken: mastodon.token,
    log: logger,
    allowLoopbackHttp: true,
    allowLoopbackImages: true,
    sleep: async (ms) => { sleeps.push(ms); },
    ...overrides,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<XFailure> {
  const err: unknown = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(XError);
  return (err as XError).failure;
}

beforeAll(async () => {
  images = createServer((req, res) => {
    if (req.url === '/pic.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>not an image</html>');
    }
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const address = images.address();
  imagesUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => images.close(resolve));
});

beforeEach(async () => {
  lines = [];
  sleeps = [];
  // masto logs through console: at the level the client sets, nothing over HTTP.
  consoleSpies = (['debug', 'info', 'log', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level));
  mastodon = await startFakeMastodon();
});

afterEach(async () => {
  // No line the client logged, and no failure it produced, may carry the access token.
  expect(JSON.stringify(lines)).not.toContain(mastodon.token);
  expect(consoleSpies.flatMap((spy) => spy.mock.calls)).toEqual([]);
  vi.restoreAllMocks();
  await mastodon.close();
});

describe('post', () => {
  it("posts a public status with an Idempotency-Key derived from the task's key, and answers its id and url", async () => {
    const result = await destination().post({ text: 'Hello from Crier https://example.com/a', imageUrl: null, key: 'task-1' });

    const [status] = mastodon.live();
    expect(result).toEqual({ postId: status?.id, postUrl: `${mastodon.url}/@crier/${status?.id}`, note: null });
    expect(status?.text).toBe('Hello from Crier https://example.com/a');
    expect(status?.visibility).toBe('public');
    const request = mastodon.requests.find((r) => r.path === '/api/v1/statuses');
    expect(request?.idempotencyKey).toBe(idempotencyKeyFor('task-1'));
    expect(request?.authorized).toBe(true);
  });

  it('derives the same header-safe key on every attempt, and different keys for different tasks', () => {
    expect(idempotencyKeyFor('task 1 ✓')).toBe(idempotencyKeyFor('task 1 ✓'));
    expect(idempotencyKeyFor('task 1 ✓')).toMatch(/^crier-[0-9a-f]{40}$/);
    expect(idempotencyKeyFor('task-1')).not.toBe(idempotencyKeyFor('task-2'));
  });

  it('answers the first status to a retry with the same key: one status on the instance', async () => {
    const mastodonDestination = destination();
    const first = await mastodonDestination.post({ text: 'Only once', imageUrl: null, key: 'task-1' });
    const retry = await mastodonDestination.post({ text: 'Only once', imageUrl: null, key: 'task-1' });

    expect(retry.postId).toBe(first.postId);
    expect(mastodon.live()).toHaveLength(1);
    expect(mastodon.requests.filter((r) => r.path === '/api/v1/statuses').map((r) => r.idempotencyKey))
      .toEqual([idempotencyKeyFor('task-1'), idempotencyKeyFor('task-1')]);
  });

  it('makes a second status for a second task with the same text', async () => {
    await destination().post({ text: 'Same words', imageUrl: null, key: 'task-1' });
    await destination().post({ text: 'Same words', imageUrl: null, key: 'task-2' });
    expect(mastodon.live()).toHaveLength(2);
  });

  it("rejects a status over the instance's limit as an invalid post, in the instance's words", async () => {
    await mastodon.close();
    mastodon = await startFakeMastodon({ maxCharacters: 20 });
    const failure = await failureOf(destination().post({ text: 'x'.repeat(21), imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'invalid-post', httpStatus: 422 });
    expect(failure.message).toContain('Text character limit of 20 exceeded');
    expect(failure.inDoubt).toBeFalsy();
  });
});

describe('a post in doubt', () => {
  it('leaves a dropped answer in doubt, and findPost finds the status through its source (content is HTML)', async () => {
    const since = Date.now() - 1000;
    mastodon.inject({ type: 'drop-after-record' }, { path: '/api/v1/statuses', method: 'POST' });
    const text = 'New post: "Tom & Jerry" <3\nhttps://example.com/tom-and-jerry';

    const failure = await failureOf(destination().post({ text, imageUrl: null, key: 'task-7' }));
    expect(failure).toMatchObject({ kind: 'network', inDoubt: true });
    const [status] = mastodon.live();
    expect(status?.content).not.toBe(text);

    const found = await destination().findPost({ key: 'task-7', text, since });
    expect(found).toEqual({ postId: status?.id, postUrl: `${mastodon.url}/@crier/${status?.id}`, note: null });
    expect(mastodon.requests.some((r) => r.path === `/api/v1/statuses/${status?.id}/source`)).toBe(true);
    const list = mastodon.requests.find((r) => r.path === `/api/v1/accounts/${mastodon.accountId}/statuses`);
    expect(list?.query).toMatchObject({ exclude_reblogs: 'true', exclude_replies: 'true' });
  });

  it('answers the first status to a retry with the same key after a dropped answer: still one status', async () => {
    mastodon.inject({ type: 'drop-after-record' }, { path: '/api/v1/statuses' });
    await failureOf(destination().post({ text: 'Dropped once', imageUrl: null, key: 'task-9' }));
    const retry = await destination().post({ text: 'Dropped once', imageUrl: null, key: 'task-9' });
    expect(mastodon.live().map((s) => s.id)).toEqual([retry.postId]);
  });

  it('on an instance that answers a repeated key with 500 (mastodon#40399), the retry stays in doubt and findPost finds the first', async () => {
    await mastodon.close();
    mastodon = await startFakeMastodon({ keyRepeatAnswers500: true });
    const since = Date.now() - 1000;
    mastodon.inject({ type: 'drop-after-record' }, { path: '/api/v1/statuses' });
    await failureOf(destination().post({ text: 'Twice asked', imageUrl: null, key: 'k' }));

    const retry = await failureOf(destination().post({ text: 'Twice asked', imageUrl: null, key: 'k' }));
    expect(retry).toMatchObject({ kind: 'server', httpStatus: 500, inDoubt: true });
    expect((await destination().findPost({ key: 'k', text: 'Twice asked', since }))?.postId).toBe(mastodon.live()[0]?.id);
    expect(mastodon.live()).toHaveLength(1);
  });

  it('finds nothing when no status since `since` has the text, even one before it that has', async () => {
    const since = Date.now();
    mastodon.addStatus('Posted yesterday', since - 86_400_000);
    mastodon.addStatus('Something else', since + 10);

    expect(await destination().findPost({ key: 'k', text: 'Posted yesterday', since })).toBeNull();
    // Only the status since `since` had its source read.
    expect(mastodon.requests.filter((r) => r.path.endsWith('/source'))).toHaveLength(1);
  });

  it('pages back through the account while statuses are newer than `since`, oldest candidate first', async () => {
    const since = Date.now() - 60_000;
    const mine = mastodon.addStatus('The one in doubt', since + 1);
    for (let i = 0; i < 45; i += 1) mastodon.addStatus(`Later post ${i}`, since + 1000 + i);

    const found = await destination().findPost({ key: 'k', text: 'The one in doubt', since });

    expect(found?.postId).toBe(mine.id);
    const pages = mastodon.requests.filter((r) => r.path.endsWith(`/accounts/${mastodon.accountId}/statuses`));
    expect(pages).toHaveLength(2);
    expect(pages[1]?.query.max_id).toBeDefined();
    // The oldest candidate is the one read first, and the match ends the look.
    expect(mastodon.requests.filter((r) => r.path.endsWith('/source'))).toHaveLength(1);
  });

  it('finds the status after the key is forgotten: a retry past the window would make a second one', async () => {
    let now = Date.now();
    await mastodon.close();
    mastodon = await startFakeMastodon({ now: () => now });
    mastodon.inject({ type: 'drop-after-record' }, { path: '/api/v1/statuses' });
    const since = now - 1000;
    await failureOf(destination().post({ text: 'Hours ago', imageUrl: null, key: 'k' }));

    now += 2 * 3_600_000;
    expect((await destination().findPost({ key: 'k', text: 'Hours ago', since }))?.postId).toBe(mastodon.live()[0]?.id);
    // What the look prevents: the instance no longer knows the key.
    await destination().post({ text: 'Hours ago', imageUrl: null, key: 'k' });
    expect(mastodon.live()).toHaveLength(2);
  });

  it('leaves a request that timed out in doubt', async () => {
    mastodon.inject({ type: 'hang-after-record' }, { path: '/api/v1/statuses' });
    const failure = await failureOf(destination({ timeoutMs: 300 }).post({ text: 'slow', imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'network', inDoubt: true });
    expect(failure.message).toMatch(/did not answer in time/);
  });

  it('leaves a 500 to a post in doubt (mastodon#40399 answers 500 to a retry whose key made a status), a 503 not', async () => {
    mastodon.inject({ type: 'status', status: 500, error: 'We are sorry, but something went wrong' }, { path: '/api/v1/statuses' });
    expect(await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' })))
      .toMatchObject({ kind: 'server', httpStatus: 500, inDoubt: true });

    mastodon.inject({ type: 'status', status: 503 }, { path: '/api/v1/statuses' });
    expect(await failureOf(destination().post({ text: 'b', imageUrl: null, key: 'k2' })))
      .toMatchObject({ kind: 'server', httpStatus: 503, inDoubt: false });
  });

  it("takes a proxy's HTML error page to a post as a server failure in doubt", async () => {
    mastodon.inject({ type: 'status', status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' }, { path: '/api/v1/statuses' });
    expect(await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' })))
      .toMatchObject({ kind: 'server', inDoubt: true });
  });

  it('follows no redirect: a post to an instance alias fails, not in doubt, and nothing reaches the target', async () => {
    const target = mastodon;
    mastodon = await startFakeMastodon({ redirectTo: target.url });
    const failure = await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'unknown', inDoubt: false });
    expect(failure.message).toMatch(/redirected the request/);
    expect(target.requests).toHaveLength(0);
    await mastodon.close();
    mastodon = target;
  });

  it('does not leave a refused connection in doubt: nothing was sent', async () => {
    const url = mastodon.url;
    await mastodon.close();
    const failure = await failureOf(destination({ instanceUrl: url }).post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'network', inDoubt: false });
    mastodon = await startFakeMastodon();
  });
});

describe('images', () => {
  it('uploads the image, waits while the instance answers 202 and 206, then posts with it', async () => {
    await mastodon.close();
    mastodon = await startFakeMastodon({ mediaProcessingPolls: 2 });

    const result = await destination().post({ text: 'With a picture', imageUrl: `${imagesUrl}/pic.png`, key: 'k' });

    expect(result.note).toBeNull();
    const [status] = mastodon.live();
    const [media] = [...mastodon.media.values()];
    expect(status?.mediaIds).toEqual([media?.id]);
    expect(media).toMatchObject({ type: 'image/png', size: PNG.length });
    expect(mastodon.requests.map((r) => `${r.method} ${r.path.replace(/\d{5,}/g, ':id')} ${r.status}`)).toEqual([
      'POST /api/v2/media 202',
      'GET /api/v1/media/:id 206',
      'GET /api/v1/media/:id 206',
      'GET /api/v1/media/:id 200',
      'POST /api/v1/statuses 200',
    ]);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('posts the text alone, with a note, when the image is not an image', async () => {
    const result = await destination().post({ text: 'Picture broken', imageUrl: `${imagesUrl}/page.html`, key: 'k' });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(mastodon.live()[0]?.mediaIds).toEqual([]);
    expect(mastodon.requests.some((r) => r.path === '/api/v2/media')).toBe(false);
  });

  it('posts the text alone, with a note, when the instance never finishes processing the image', async () => {
    await mastodon.close();
    mastodon = await startFakeMastodon({ mediaProcessingPolls: 10 });
    const result = await destination({ mediaPollAttempts: 3 }).post({ text: 'Slow picture', imageUrl: `${imagesUrl}/pic.png`, key: 'k' });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(mastodon.live()[0]?.mediaIds).toEqual([]);
    expect(sleeps).toHaveLength(3);
  });

  it('waits rather than posting without the image when the upload is rate limited', async () => {
    mastodon.inject({ type: 'rate-limit', reset: '2030-01-01T00:00:00.000Z' }, { path: '/api/v2/media' });
    const failure = await failureOf(destination().post({ text: 'a', imageUrl: `${imagesUrl}/pic.png`, key: 'k' }));
    expect(failure.kind).toBe('rate-limited');
    expect(mastodon.live()).toHaveLength(0);
  });
});

describe('failures', () => {
  it("maps a 429 to rate-limited with the ISO 8601 X-RateLimit-Reset as resetAt", async () => {
    mastodon.inject({ type: 'rate-limit', reset: '2030-05-06T07:08:09.000Z' }, { path: '/api/v1/statuses' });
    const failure = await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'rate-limited', httpStatus: 429, resetAt: Date.parse('2030-05-06T07:08:09.000Z') });
    expect(failure.inDoubt).toBeFalsy();
  });

  it('maps a 429 without a readable reset to rate-limited without resetAt', async () => {
    mastodon.inject({ type: 'rate-limit', reset: '1767225600' }, { path: '/api/v1/statuses' });
    const failure = await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure.kind).toBe('rate-limited');
    expect(failure.resetAt).toBeUndefined();
  });

  it('maps a refused token to auth, without the token in the message or the log', async () => {
    const failure = await failureOf(destination({ accessToken: 'wrong-token-123456' }).post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'auth', httpStatus: 401 });
    expect(failure.message).toContain('The access token is invalid');
    expect(failure.message).not.toContain('wrong-token-123456');
    expect(JSON.stringify(lines)).not.toContain('wrong-token-123456');
    expect(mastodon.requests[0]?.authorized).toBe(false);
  });

  it('maps a 403 (a token without write scopes) to auth, in the instance\'s words', async () => {
    mastodon.inject({ type: 'status', status: 403, error: 'This action is outside the authorized scopes' }, { path: '/api/v1/statuses' });
    const failure = await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure).toMatchObject({ kind: 'auth', httpStatus: 403 });
    expect(failure.message).toContain('This action is outside the authorized scopes');
  });

  it('keeps the token out of messages even when the instance echoes it', async () => {
    mastodon.inject({ type: 'status', status: 422, error: `Bad token ${mastodon.token} here` }, { path: '/api/v1/statuses' });
    const failure = await failureOf(destination().post({ text: 'a', imageUrl: null, key: 'k' }));
    expect(failure.message).not.toContain(mastodon.token);
    expect(failure.message).toContain('[redacted]');
  });

  it('maps a 5xx on a read to server, not in doubt', async () => {
    mastodon.inject({ type: 'status', status: 500 }, { path: /\/statuses$/, method: 'GET' });
    const failure = await failureOf(destination().findPost({ key: 'k', text: 'a', since: 0 }));
    expect(failure).toMatchObject({ kind: 'server', httpStatus: 500, inDoubt: false });
  });
});

describe('account, instance and deletion', () => {
  it('reads the handle as user@instance through verify_credentials', async () => {
    const host = new URL(mastodon.url).host;
    expect(await destination().me()).toEqual({ handle: `crier@${host}` });
    expect(await destination().verify()).toEqual({ handle: `crier@${host}`, accountId: mastodon.accountId, url: `${mastodon.url}/@crier` });
  });

  it('deletes a status, and says it is already gone the second time', async () => {
    const d = destination();
    const { postId } = await d.post({ text: 'Delete me', imageUrl: null, key: 'k' });
    expect(await d.deletePost(postId)).toEqual({ alreadyGone: false });
    expect(mastodon.live()).toHaveLength(0);
    expect(await d.deletePost(postId)).toEqual({ alreadyGone: true });
  });

  it("reads the instance's limit and reserved URL length from /api/v2/instance, once per client", async () => {
    await mastodon.close();
    mastodon = await startFakeMastodon({ maxCharacters: 1000, charactersReservedPerUrl: 30 });
    const d = destination();
    expect(await d.instanceRules()).toEqual({ maxCharacters: 1000, charactersReservedPerUrl: 30 });
    const rules = await d.lengthRules();
    expect(rules.limit).toBe(1000);
    expect(rules.count('see https://example.com/a-long-path-indeed')).toBe(4 + 30);
    expect(mastodon.requests.filter((r) => r.path === '/api/v2/instance')).toHaveLength(1);
  });

  it('asks again for the limits after the instance could not be reached, and keeps them once read', async () => {
    mastodon.inject({ type: 'status', status: 502 }, { path: /^\/api\/v[12]\/instance$/, times: 2 });
    const d = destination();
    expect(await d.instanceRules()).toEqual({ maxCharacters: 500, charactersReservedPerUrl: 23 });
    expect(await d.instanceRules()).toEqual({ maxCharacters: 500, charactersReservedPerUrl: 23 });
    await d.instanceRules();
    expect(mastodon.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/api/v2/instance 502', '/api/v1/instance 502', '/api/v2/instance 200',
    ]);
  });

  it('falls back to /api/v1/instance, then to 500 and 23', async () => {
    await mastodon.close();
    mastodon = await startFakeMastodon({ maxCharacters: 777, instanceApis: ['v1'] });
    expect(await destination().instanceRules()).toEqual({ maxCharacters: 777, charactersReservedPerUrl: 23 });

    await mastodon.close();
    mastodon = await startFakeMastodon({ instanceApis: [] });
    expect(await destination().instanceRules()).toEqual({ maxCharacters: 500, charactersReservedPerUrl: 23 });
  });
});
