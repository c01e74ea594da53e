import { createServer, type Server } from 'node:http';
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXClient, IMAGE_FAILED_NOTE, type XClientOptions } from '../../../main/core/x/client';
import type { XClient, XFailure } from '../../../main/core/x/types';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api';
import { capturingLogger, failureOf, PNG } from '../../support/client-test-kit';

let fake: FakeXApi;
let agent: Agent;
let images: Server;
let imagesUrl: string;
const log = capturingLogger();
const failures: XFailure[] = [];

function client(overrides: Partial<XClientOptions> = {}): XClient {
  // The images are served on 127.0.0.1, which only the engine's test option lets through.
  return createXClient({
    credentials: fake.credentials, apiBase: fake.url, log, httpsAgent: agent, timeoutMs: 5_000, allowLoopbackImages: true, ...overrides,
  });
}

beforeAll(async () => {
  fake = await startFakeXApi();
  agent = new Agent({ ca: fake.caPem });
  images = createServer((req, res) => {
    if (req.url === '/pic.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    } else if (req.url === '/page.html') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end('<html>not an image</html>');
    } else if (req.url === '/huge.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.concat([PNG, Buffer.alloc(64 * 1024)]));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const address = images.address();
  imagesUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterEach(() => {
  fake.reset();
});

afterAll(async () => {
  // Whatever else happened, nothing that left the client may carry a credential.
  const everything = JSON.stringify({ failures, log: log.lines });
  for (const secret of Object.values(fake.credentials)) expect(everything).not.toContain(secret);
  agent.destroy();
  await fake.close();
  await new Promise((resolve) => images.close(resolve));
});

describe('createXClient', () => {
  it('posts to the overridden API base with a signature the fake verifies', async () => {
    const result = await client().post({ text: 'Hello from Crier', imageUrl: null });
    expect(fake.posts).toEqual([expect.objectContaining({ text: 'Hello from Crier', mediaIds: [] })]);
    expect(fake.requests.every((r) => r.signed)).toBe(true);
    expect(result).toEqual({ postId: fake.posts[0]?.id, postUrl: `https://x.com/i/status/${fake.posts[0]?.id}`, note: null });
  });

  it('returns the handle from users/me and uses it in later post URLs', async () => {
    const x = client();
    expect(await x.me()).toEqual({ handle: fake.handle });
    const result = await x.post({ text: 'with a handle', imageUrl: null });
    expect(result.postUrl).toBe(`https://x.com/${fake.handle}/status/${result.postId}`);
  });

  it('is rejected by the fake when signed with the wrong secret', async () => {
    const x = client({ credentials: { ...fake.credentials, appSecret: 'not-the-secret' } });
    const failure = await failureOf(x.post({ text: 'bad signature', imageUrl: null }));
    failures.push(failure);
    expect(failure.kind).toBe('auth');
    expect(fake.posts).toEqual([]);
    expect(fake.requests[0]?.signed).toBe(false);
  });

  it("maps X's duplicate-content 403 to 'duplicate'", async () => {
    const x = client();
    await x.post({ text: 'same words', imageUrl: null });
    const failure = await failureOf(x.post({ text: 'same words', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'duplicate', httpStatus: 403 });
    expect(fake.posts).toHaveLength(1);
  });

  it('maps a 429 to rate-limited with the reset time from x-rate-limit-reset', async () => {
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000 });
    const failure = await failureOf(client().post({ text: 'limited', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'rate-limited', httpStatus: 429, resetAt: 2_000_000_000_000 });
  });

  it('waits for the 24-hour user limit when X says it is exhausted', async () => {
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000, userResetAt: 2_000_050_000 });
    const failure = await failureOf(client().post({ text: 'daily limit', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'rate-limited', resetAt: 2_000_050_000_000 });
  });

  it('says a 429 for the developer app’s spent 24-hour limit holds the whole app, and the user’s own does not', async () => {
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000, appResetAt: 2_000_080_000 });
    const app = await failureOf(client().post({ text: 'app limit', imageUrl: null }));
    failures.push(app);
    expect(app).toMatchObject({ kind: 'rate-limited', resetAt: 2_000_080_000_000, appWide: true });
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000, userResetAt: 2_000_050_000 });
    const user = await failureOf(client().post({ text: 'user limit', imageUrl: null }));
    failures.push(user);
    expect(user.appWide).toBeUndefined();
  });

  it('says a 402 holds the whole developer app: X bills the app', async () => {
    fake.inject({ type: 'status', status: 402 });
    const failure = await failureOf(client().post({ text: 'no credits', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'credits-depleted', appWide: true });
  });

  it.each([
    [401, 'auth'],
    [402, 'credits-depleted'],
    [403, 'forbidden'],
    [500, 'server'],
    [503, 'server'],
  ] as const)('maps an injected %i to %s', async (status, kind) => {
    fake.inject({ type: 'status', status });
    const failure = await failureOf(client().post({ text: `status ${status}`, imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind, httpStatus: status });
    expect(failure.inDoubt).toBeFalsy();
  });

  it("maps a 400 to invalid-post and keeps X's explanation", async () => {
    fake.inject({ type: 'status', status: 400, detail: 'Your Tweet text is too long.' });
    const failure = await failureOf(client().post({ text: 'too long, says X', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'invalid-post', httpStatus: 400 });
    expect(failure.message).toContain('Your Tweet text is too long.');
  });

  it('gives up on a server that never answers and reports the post as in doubt', async () => {
    fake.inject({ type: 'hang' });
    const failure = await failureOf(client({ timeoutMs: 300 }).post({ text: 'into the void', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'network', inDoubt: true });
  });

  it('reports a connection dropped after X recorded the post as in doubt', async () => {
    fake.inject({ type: 'drop-after-record' });
    const failure = await failureOf(client().post({ text: 'lost answer', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'network', inDoubt: true });
    expect(fake.posts.map((p) => p.text)).toEqual(['lost answer']);
  });

  it('maps a failed name lookup to offline, not in doubt', async () => {
    const failure = await failureOf(client({ apiBase: 'https://no-such-host.invalid' }).post({ text: 'offline', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'offline', inDoubt: false });
  });

  it('maps a refused connection to a network failure that is not in doubt', async () => {
    const failure = await failureOf(client({ apiBase: 'https://127.0.0.1:1' }).post({ text: 'refused', imageUrl: null }));
    failures.push(failure);
    expect(failure).toMatchObject({ kind: 'network', inDoubt: false });
  });

  it('maps a 401 from users/me to auth', async () => {
    fake.inject({ type: 'status', status: 401 }, { path: '/2/users/me' });
    const failure = await failureOf(client().me());
    failures.push(failure);
    expect(failure.kind).toBe('auth');
  });
});

describe('posting with an image', () => {
  it('uploads the image through the v2 media upload and attaches it', async () => {
    const result = await client().post({ text: 'with a picture', imageUrl: `${imagesUrl}/pic.png` });
    expect(result.note).toBeNull();
    const [post] = fake.posts;
    expect(post?.mediaIds).toHaveLength(1);
    const media = fake.media.get(post?.mediaIds[0] ?? '');
    expect(media).toMatchObject({ mediaType: 'image/png', totalBytes: PNG.length, finalized: true });
    expect(media?.bytes.equals(PNG)).toBe(true);
    expect(fake.requests.map((r) => `${r.method} ${r.path.replace(/\d{6,}/, ':id')}`)).toEqual([
      'POST /2/media/upload/initialize',
      'POST /2/media/upload/:id/append',
      'POST /2/media/upload/:id/finalize',
      'POST /2/tweets',
    ]);
  });

  it.each([
    ['a missing image', '/gone.png'],
    ['a file that is not an image', '/page.html'],
  ])('posts the text alone with a note after %s', async (_, path) => {
    const result = await client().post({ text: `no picture ${path}`, imageUrl: `${imagesUrl}${path}` });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(fake.posts).toEqual([expect.objectContaining({ mediaIds: [] })]);
  });

  it('posts the text alone with a note when the image is over the size cap', async () => {
    const result = await client({ maxImageBytes: 1024 }).post({ text: 'too big a picture', imageUrl: `${imagesUrl}/huge.png` });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(fake.posts).toEqual([expect.objectContaining({ mediaIds: [] })]);
  });

  it('posts the text alone with a note when X rejects the upload', async () => {
    fake.inject({ type: 'status', status: 400, detail: 'Unsupported media.' }, { path: '/2/media/upload/initialize' });
    const result = await client().post({ text: 'upload refused', imageUrl: `${imagesUrl}/pic.png` });
    expect(result.note).toBe(IMAGE_FAILED_NOTE);
    expect(fake.posts).toEqual([expect.objectContaining({ text: 'upload refused', mediaIds: [] })]);
  });

  it('keeps the image and rejects when the upload is rate limited', async () => {
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000 }, { path: '/2/media/upload/initialize' });
    const failure = await failureOf(client().post({ text: 'upload limited', imageUrl: `${imagesUrl}/pic.png` }));
    failures.push(failure);
    expect(failure.kind).toBe('rate-limited');
    expect(fake.posts).toEqual([]);
  });
});

describe('secrets', () => {
  it('never puts a credential in a failure or a log line, even at debug level', async () => {
    const injected = [401, 402, 403, 400, 500].map((status) => ({ type: 'status', status }) as const);
    for (const fault of injected) fake.inject(fault);
    fake.inject({ type: 'rate-limit', resetAt: 2_000_000_000 });
    fake.inject({ type: 'drop-after-record' });
    const x = client();
    const seen: XFailure[] = [];
    for (let i = 0; i < injected.length + 2; i++) seen.push(await failureOf(x.post({ text: `secret probe ${i}`, imageUrl: null })));
    seen.push(await failureOf(client({ credentials: { ...fake.credentials, accessSecret: 'wrong-secret-xyz' } }).me()));
    failures.push(...seen);
    expect(seen.map((f) => f.kind)).toEqual(['auth', 'credits-depleted', 'forbidden', 'invalid-post', 'server', 'rate-limited', 'network', 'auth']);
    const everything = JSON.stringify({ seen, log: log.lines });
    for (const secret of Object.values(fake.credentials)) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/oauth_signature|OAuth oauth_/);
  });
});
