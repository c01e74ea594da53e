// The exactly-once promise on Bluesky and Mastodon (issue 18), from the outside: a real `crier
// serve` posts to an HTTPS fake of the network, is SIGKILLed while a post is in flight (the
// network stored it, the answer never came), and is restarted on the same data dir. The fake's
// own record must show each item once: Bluesky's record is looked up by its key, Mastodon's
// status found among the account's own (or its Idempotency-Key honoured).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountState, StateSnapshot } from '../../preload/contract';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../support/feed-server';
import { callApi, startServeProcess, TEST_SECRET_KEY, type ServeProcess } from '../support/serve-process';

let dir: string;
let feeds: FeedServer;
let items: RssItemSpec[];
let bluesky: FakeBluesky | null = null;
let mastodon: FakeMastodon | null = null;
const running: ServeProcess[] = [];

const item = (n: number): RssItemSpec => ({
  title: `Story ${n}`, link: `https://example.com/story/${n}`, guid: `story-${n}`, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(),
});

async function serve(caPem: string): Promise<ServeProcess> {
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, caPem);
  const proc = await startServeProcess({ dataDir: join(dir, 'data'), env: { NODE_EXTRA_CA_CERTS: caFile, CRIER_SECRET_KEY: TEST_SECRET_KEY } });
  running.push(proc);
  return proc;
}

const state = (proc: ServeProcess) => callApi<StateSnapshot>(proc, 'GET', '/api/state');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-once-networks-'));
  items = [item(1)];
  feeds = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'News', items }) } });
});

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.stop('SIGKILL');
  await bluesky?.close();
  await mastodon?.close();
  bluesky = null;
  mastodon = null;
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Network {
  name: string;
  start(): Promise<{ caPem: string; connect(proc: ServeProcess): Promise<AccountState>; hangNextPost(): void; texts(): string[] }>;
}

const NETWORKS: Network[] = [
  {
    name: 'Bluesky',
    async start() {
      const fake = await startFakeBluesky({ tls: true });
      bluesky = fake;
      return {
        caPem: fake.caPem!,
        connect: (proc) => callApi<AccountState>(proc, 'POST', '/api/accounts/bluesky', { identifier: fake.account.handle, appPassword: fake.account.appPassword, service: fake.url }),
        hangNextPost: () => fake.inject({ type: 'hang-after-record' }, { nsid: 'com.atproto.repo.createRecord' }),
        texts: () => fake.records().map((r) => String(r.value.text)),
      };
    },
  },
  {
    name: 'Mastodon',
    async start() {
      const fake = await startFakeMastodon({ tls: true });
      mastodon = fake;
      return {
        caPem: fake.caPem!,
        connect: (proc) => callApi<AccountState>(proc, 'POST', '/api/accounts/mastodon', { instanceUrl: fake.url, accessToken: fake.token }),
        hangNextPost: () => fake.inject({ type: 'hang-after-record' }),
        texts: () => fake.live().map((s) => s.text),
      };
    },
  },
];

describe.each(NETWORKS)('a post in flight on $name when the process is killed', (network) => {
  it('is confirmed after the restart and never posted twice', async () => {
    const fake = await network.start();
    const first = await serve(fake.caPem);
    await callApi(first, 'PUT', '/api/settings', { minPostGapSeconds: 0, retryBaseSeconds: 1, retryMaxSeconds: 2 });
    const account = await fake.connect(first);
    fake.hangNextPost();
    await callApi(first, 'POST', '/api/feeds', { url: feeds.url('/feed.xml'), backfill: 1, accountIds: [account.id] });

    await vi.waitFor(() => expect(fake.texts()).toHaveLength(1), { timeout: 15_000, interval: 50 });
    expect((await state(first)).tasks[0]?.status).toBe('running');
    await first.stop('SIGKILL');

    items = [item(2), item(1)];
    const second = await serve(fake.caPem);
    await vi.waitFor(async () => {
      const tasks = (await state(second)).tasks;
      expect(tasks.find((t) => t.itemTitle === 'Story 1')?.status).toBe('completed');
    }, { timeout: 20_000, interval: 100 });

    await callApi(second, 'POST', '/api/poll');
    await vi.waitFor(async () => {
      const tasks = (await state(second)).tasks;
      expect(tasks.find((t) => t.itemTitle === 'Story 2')?.status).toBe('completed');
    }, { timeout: 20_000, interval: 100 });

    const texts = fake.texts();
    expect(texts.filter((t) => t.startsWith('Story 1'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Story 2'))).toHaveLength(1);
  });
});
