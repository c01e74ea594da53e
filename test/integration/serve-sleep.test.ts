// A post whose answer arrived while the process was stopped (a laptop asleep, SIGSTOP) is read
// before its timeout counts: Node runs due timers before it reads sockets, so a plain deadline
// would throw X's 201 away, leave the task in doubt and post again. Proven on a real
// `crier serve`: stopped the moment X recorded the post, X answers 201, 40 s pass (past the
// 30 s request deadline), the process continues — and X sees no second POST.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi } from '../support/fake-x-api';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

const STOPPED_MS = 40_000;

let dir: string;
let fake: FakeXApi;
let feeds: FeedServer;
let proc: ServeProcess | null = null;
let stopped = false;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-sleep-'));
  fake = await startFakeXApi({
    beforePostAnswer: async () => {
      if (stopped || !proc) return;
      stopped = true;
      proc.child.kill('SIGSTOP');
      // Answer while the client is stopped, so the 201 waits in its socket...
      await new Promise((resolve) => setTimeout(resolve, 50));
      // ...and continue it only after its request deadline has passed.
      setTimeout(() => proc?.child.kill('SIGCONT'), STOPPED_MS);
    },
  });
  feeds = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'News', items: [{ title: 'Story 1', link: 'https://example.com/1', guid: 's1' }] }) } });
});

afterEach(async () => {
  proc?.child.kill('SIGCONT');
  await proc?.stop('SIGKILL');
  proc = null;
  stopped = false;
  await fake.close();
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

it('reads the 201 that arrived while it was stopped, and never posts the item again', async () => {
  proc = await startServeProcess({ dataDir: join(dir, 'data'), env: childEnvFor(fake, dir) });
  // No timeline look: a resend would show as a second POST.
  await callApi(proc, 'PUT', '/api/settings', { minPostGapSeconds: 0, retryBaseSeconds: 1, retryMaxSeconds: 2, checkTimelineBeforeResend: false });
  await callApi(proc, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 1 });

  await vi.waitFor(() => expect(stopped).toBe(true), { timeout: 20_000, interval: 50 });
  const running = proc;
  await vi.waitFor(async () => {
    const state = await callApi<StateSnapshot>(running, 'GET', '/api/state');
    expect(state.tasks[0]?.status).toBe('completed');
  }, { timeout: STOPPED_MS + 20_000, interval: 200 });

  const [task] = (await callApi<StateSnapshot>(running, 'GET', '/api/state')).tasks;
  expect(task).toMatchObject({ status: 'completed', postId: fake.posts[0]!.id, attempts: 1 });
  expect(task?.inDoubtSince ?? null).toBeNull();
  expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets')).toHaveLength(1);
}, STOPPED_MS + 60_000);
