// The X credentials never leave the process: a real `crier serve --verbose` posts through the
// fake X API while it answers with every failure Crier maps (503, 400, a dropped connection,
// 401, 429, 402, a post in doubt looked for on the timeline), then the logs, the data dir, the
// state and the event stream are searched for the credential values and for OAuth header material.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
let fake: FakeXApi;
let feeds: FeedServer;
let proc: ServeProcess | null = null;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-secrets-'));
  fake = await startFakeXApi();
  const items = [5, 4, 3, 2, 1].map((n) => ({ title: `Story ${n}`, link: `https://example.com/story/${n}`, guid: `story-${n}` }));
  feeds = await startFeedServer({ '/feed.xml': { body: rssDocument({ title: 'News', items }) } });
});

afterEach(async () => {
  await proc?.stop('SIGKILL');
  proc = null;
  await fake.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function readEvents(p: ServeProcess): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(`${p.origin}/api/events`, { headers: p.auth, signal: controller.signal });
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  controller.abort();
  return new TextDecoder().decode(value);
}

describe('X credentials', () => {
  it('appear in no log line, stored file, state or event, whatever X answers', async () => {
    const data = join(dir, 'data');
    proc = await startServeProcess({
      dataDir: data,
      args: ['--verbose'],
      env: childEnvFor(fake, dir),
    });
    const p = proc;
    const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${p.origin}${path}`, {
        method,
        headers: { ...p.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      expect(res.ok, `${method} ${path}: ${text}`).toBe(true);
      return text ? JSON.parse(text) : null;
    };
    const state = () => call('GET', '/api/state') as Promise<StateSnapshot>;
    const waitForPause = (reason: string) =>
      vi.waitFor(async () => expect((await state()).queue.pauseReason).toBe(reason), { timeout: 15_000, interval: 50 });

    const tweets = { path: '/2/tweets', method: 'POST' };
    const resetAt = Math.ceil(Date.now() / 1000) + 1;
    fake.inject({ type: 'status', status: 503 }, tweets);
    fake.inject({ type: 'status', status: 400 }, tweets);
    fake.inject({ type: 'drop-after-record' }, tweets);
    fake.inject({ type: 'status', status: 401 }, tweets);
    fake.inject({ type: 'rate-limit', resetAt, userResetAt: resetAt }, tweets);
    fake.inject({ type: 'status', status: 402 }, tweets);

    await call('PUT', '/api/settings', { minPostGapSeconds: 0, retryBaseSeconds: 1, retryMaxSeconds: 1 });
    await call('POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 5 });
    await waitForPause('auth');
    await call('POST', '/api/resume');
    await waitForPause('credits-depleted');
    await call('POST', '/api/resume');
    await vi.waitFor(async () => {
      const { counts } = (await state()).queue;
      expect(counts).toMatchObject({ pending: 0, running: 0, completed: 4, failed: 1 });
    }, { timeout: 20_000, interval: 100 });
    // After the post in doubt was looked for on the timeline (users/me, then the read).
    fake.inject({ type: 'status', status: 401 }, { path: '/2/users/me' });
    expect(await call('POST', '/api/account/test')).toMatchObject({ ok: false });
    expect((await state()).tasks.map((t) => t.note).join(' ')).toMatch(/found on the account's timeline/);

    const seen = [
      p.stdout(),
      p.stderr(),
      JSON.stringify(await state()),
      await readEvents(p),
      ...filesUnder(data).map((f) => readFileSync(f, 'utf8')),
    ].join('\n');
    expect(p.stderr()).toMatch(/"kind":"rate-limited"/); // the failures were logged, verbosely
    for (const secret of Object.values(fake.credentials)) expect(seen).not.toContain(secret);
    expect(seen).not.toMatch(/oauth_(signature|consumer_key|token)/i);
  });
});
