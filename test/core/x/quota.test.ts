// X's posting budget from answer headers: the pure reading (table-driven, absurd values ignored),
// the board that says only when a number changed, and the client plugin over real HTTPS against
// the fake X API (a 201's headers, a 429's, and never another endpoint's window).
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { createXClient } from '../../../main/core/x/client';
import { createQuotaBoard, isPostTweets, readQuota, type QuotaReading } from '../../../main/core/x/quota';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api';

const NOW = 1_800_000_000_000;
const NOW_S = NOW / 1000;
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

const windowHeaders = (limit: string, remaining: string, reset: string): Record<string, string> =>
  ({ 'x-rate-limit-limit': limit, 'x-rate-limit-remaining': remaining, 'x-rate-limit-reset': reset });

describe('readQuota', () => {
  const cases: { name: string; headers: Record<string, string | string[]>; expected: QuotaReading }[] = [
    { name: 'reads the 15-minute window', headers: windowHeaders('100', '98', String(NOW_S + 600)),
      expected: { window: { limit: 100, remaining: 98, resetsAt: iso(NOW_S + 600) } } },
    { name: 'reads both 24-hour limits', headers: {
      'x-user-limit-24hour-limit': '17', 'x-user-limit-24hour-remaining': '16', 'x-user-limit-24hour-reset': String(NOW_S + 80_000),
      'x-app-limit-24hour-limit': '1500', 'x-app-limit-24hour-remaining': '1480', 'x-app-limit-24hour-reset': String(NOW_S + 3_600),
    }, expected: {
      user24h: { limit: 17, remaining: 16, resetsAt: iso(NOW_S + 80_000) },
      app24h: { limit: 1500, remaining: 1480, resetsAt: iso(NOW_S + 3_600) },
    } },
    { name: 'trims spaces and takes the first of repeated headers', headers: { 'x-rate-limit-limit': [' 50 ', '60'], 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(NOW_S) },
      expected: { window: { limit: 50, remaining: 0, resetsAt: iso(NOW_S) } } },
    { name: 'says nothing without headers', headers: {}, expected: {} },
    { name: 'ignores a triple with a part missing', headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '98' }, expected: {} },
    { name: 'ignores more left than the limit', headers: windowHeaders('100', '101', String(NOW_S + 60)), expected: {} },
    { name: 'ignores a limit of zero', headers: windowHeaders('0', '0', String(NOW_S + 60)), expected: {} },
    { name: 'ignores negative and fractional counts', headers: windowHeaders('-1', '0.5', String(NOW_S + 60)), expected: {} },
    { name: 'ignores words', headers: windowHeaders('lots', '98', String(NOW_S + 60)), expected: {} },
    { name: 'ignores an absurd limit', headers: windowHeaders('99999999999', '5', String(NOW_S + 60)), expected: {} },
    { name: 'ignores a reset beyond any date', headers: windowHeaders('100', '98', '99999999999999999'), expected: {} },
    { name: 'ignores a reset given in milliseconds', headers: windowHeaders('100', '98', String(NOW + 60_000)), expected: {} },
    { name: 'ignores a reset years ago', headers: windowHeaders('100', '98', '1000'), expected: {} },
    { name: 'keeps a readable triple beside an absurd one', headers: {
      ...windowHeaders('100', '98', String(NOW_S + 60)),
      'x-app-limit-24hour-limit': '1500', 'x-app-limit-24hour-remaining': 'NaN', 'x-app-limit-24hour-reset': String(NOW_S + 60),
    }, expected: { window: { limit: 100, remaining: 98, resetsAt: iso(NOW_S + 60) } } },
  ];
  it.each(cases)('$name', ({ headers, expected }) => {
    expect(readQuota(headers, NOW)).toEqual(expected);
  });

  it('never throws on headers that are not there', () => {
    expect(readQuota(undefined, NOW)).toEqual({});
  });
});

describe('isPostTweets', () => {
  it.each([
    ['POST', 'https://api.x.com/2/tweets', true],
    ['post', 'https://127.0.0.1:4444/2/tweets', true],
    ['DELETE', 'https://api.x.com/2/tweets/123', false],
    ['GET', 'https://api.x.com/2/users/me', false],
    ['POST', 'https://api.x.com/2/media/upload/initialize', false],
  ] as const)('%s %s → %s', (method, url, expected) => {
    expect(isPostTweets(method, new URL(url))).toBe(expected);
  });
});

describe('the quota board', () => {
  const window = (remaining: number): QuotaReading => ({ window: { limit: 100, remaining, resetsAt: iso(NOW_S + 600) } });

  it('has nothing before the first answer, and tells listeners only when a number changes', () => {
    const board = createQuotaBoard();
    let changes = 0;
    board.onChange(() => { changes += 1; });
    expect(board.current()).toBeNull();
    board.record({}, NOW);
    expect(board.current()).toBeNull();
    board.record(window(99), NOW);
    expect(board.current()).toEqual({ window: window(99).window, user24h: null, app24h: null, updatedAt: new Date(NOW).toISOString() });
    board.record(window(99), NOW + 1000);
    expect(changes).toBe(1);
    expect(board.current()?.updatedAt).toBe(new Date(NOW + 1000).toISOString());
    board.record(window(98), NOW + 2000);
    expect(changes).toBe(2);
  });

  it('keeps a limit an answer leaves out, and forgets everything when cleared', () => {
    const board = createQuotaBoard();
    let changes = 0;
    board.onChange(() => { changes += 1; });
    const app = { limit: 1500, remaining: 1480, resetsAt: iso(NOW_S + 3600) };
    board.record({ app24h: app }, NOW);
    board.record(window(97), NOW + 1);
    expect(board.current()).toMatchObject({ window: window(97).window, app24h: app, user24h: null });
    board.clear();
    board.clear();
    expect(board.current()).toBeNull();
    expect(changes).toBe(3);
  });
});

describe('the client reads the budget from answers to POST /2/tweets', () => {
  let fake: FakeXApi;
  let agent: Agent;
  beforeAll(async () => {
    fake = await startFakeXApi({ rateLimit: 100, dayLimits: { user: 17, app: 1500 }, now: () => NOW });
    agent = new Agent({ ca: fake.caPem });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    agent.destroy();
    await fake.close();
  });
  const clientWith = (board: ReturnType<typeof createQuotaBoard>) =>
    createXClient({ credentials: fake.credentials, apiBase: fake.url, log: silentLogger, httpsAgent: agent, timeoutMs: 5_000, quota: board, now: () => NOW });

  it('from a successful post: the window and both 24-hour limits', async () => {
    const board = createQuotaBoard();
    const x = clientWith(board);
    await x.post({ text: 'first', imageUrl: null });
    await x.post({ text: 'second', imageUrl: null });
    expect(board.current()).toEqual({
      window: { limit: 100, remaining: 98, resetsAt: iso(NOW_S + 900) },
      user24h: { limit: 17, remaining: 15, resetsAt: iso(NOW_S + 86_400) },
      app24h: { limit: 1500, remaining: 1498, resetsAt: iso(NOW_S + 86_400) },
      updatedAt: new Date(NOW).toISOString(),
    });
  });

  it("from a 429 refusing the post, and the refusal still reaches the queue as X's rate limit", async () => {
    const board = createQuotaBoard();
    fake.inject({ type: 'rate-limit', resetAt: NOW_S + 300, userResetAt: NOW_S + 7200 }, { path: '/2/tweets' });
    await expect(clientWith(board).post({ text: 'refused', imageUrl: null })).rejects.toMatchObject({ failure: { kind: 'rate-limited' } });
    expect(board.current()).toMatchObject({
      window: { limit: 100, remaining: 0, resetsAt: iso(NOW_S + 300) },
      user24h: { limit: 17, remaining: 0, resetsAt: iso(NOW_S + 7200) },
    });
  });

  it("never from another endpoint's answer (users/me has a window of its own)", async () => {
    const board = createQuotaBoard();
    await clientWith(board).me();
    expect(board.current()).toBeNull();
  });

  it('a listener that throws does not fail a post X made', async () => {
    const board = createQuotaBoard();
    board.onChange(() => { throw new Error('listener broke'); });
    await expect(clientWith(board).post({ text: 'made anyway', imageUrl: null })).resolves.toMatchObject({ postId: expect.any(String) });
    expect(fake.posts.map((p) => p.text)).toEqual(['made anyway']);
  });
});
