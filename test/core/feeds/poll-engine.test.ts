// What a poll costs, end to end: the engine (AppService) with a real store in a temp dir, real
// fetches from a loopback feed server, the real parser in its worker and a fake clock. Each test
// checks a cause — what the worker is asked to normalise, what is written — not a duration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountPort } from '../../../main/core/account';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { PARSE_BACKLOG } from '../../../main/core/feeds/poller';
import { SKIP_LOG_BASELINE } from '../../../main/core/feeds/skip-log';
import { type FeedParser, isWholeItem, type PolledFeed, type Selection } from '../../../main/core/feeds/types';
import { silentLogger } from '../../../main/core/ports';
import { createAppService, type EngineService } from '../../../main/core/service';
import { openStore } from '../../../main/core/store/index';
import { SeenRecordSchema } from '../../../main/core/store/records';
import type { EngineStore } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { rssDocument, startFeedServer, type FeedServer, type RssItemSpec } from '../../support/feed-server';
import { dryAccount } from '../../support/dry-account';

const account: AccountPort = dryAccount();

const day = (n: number): string => new Date(Date.UTC(2026, 0, n)).toUTCString();
const post = (n: number): RssItemSpec => ({
  title: `Post ${n}`, link: `https://example.com/${n}`, guid: `post-${n}`, pubDate: day(n), description: `<p>${'Some words. '.repeat(40)}</p>`,
});
const posts = (newest: number, count: number): RssItemSpec[] => Array.from({ length: count }, (_, i) => post(newest - i));

let dir: string;
let server: FeedServer;
let service: EngineService | null = null;
let parser: FeedParser;

/** The parse calls a poll makes, and what came back. */
const polls: Array<{ selection: Selection; whole: number; items: number }> = [];

function recording(inner: FeedParser): FeedParser {
  return {
    parse: (...args) => inner.parse(...args),
    async parseForPoll(bytes, contentType, baseUrl, selection) {
      const feed: PolledFeed = await inner.parseForPoll(bytes, contentType, baseUrl, selection);
      polls.push({ selection, whole: feed.items.filter(isWholeItem).length, items: feed.items.length });
      return feed;
    },
    close: () => inner.close(),
  };
}

function start(store: EngineStore): EngineService {
  service = createAppService({ clock: createFakeClock(), log: silentLogger, store, parser, account, random: () => 0.5 });
  service.start();
  return service;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-poll-engine-'));
  server = await startFeedServer();
  polls.length = 0;
  parser = recording(createFeedParser({ workers: 1, inlineBelowBytes: 0 }));
});

afterEach(async () => {
  await service?.close();
  service = null;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a poll waiting for a parse worker', () => {
  /** A parser whose parses wait until released, reporting `queued` documents waiting. */
  function heldParser(queued: () => number): FeedParser & { release(): void; started: number } {
    const inner = parser;
    const gates: Array<() => void> = [];
    const held = {
      started: 0,
      parse: (...args: Parameters<FeedParser['parse']>) => inner.parse(...args),
      async parseForPoll(...args: Parameters<FeedParser['parseForPoll']>) {
        held.started++;
        await new Promise<void>((resolve) => gates.push(resolve));
        return inner.parseForPoll(...args);
      },
      waiting: queued,
      release() { for (const open of gates.splice(0)) open(); },
      close: () => inner.close(),
    };
    return held;
  }

  async function twoFeedsOneSlot(queued: () => number): Promise<{ held: ReturnType<typeof heldParser>; poll: () => Promise<unknown> }> {
    server.route('/a.xml', { body: () => rssDocument({ items: posts(3, 3) }) });
    server.route('/b.xml', { body: () => rssDocument({ items: posts(3, 3) }) });
    const held = heldParser(queued);
    parser = held;
    const engine = start(openStore(dir, { clock: createFakeClock(), log: silentLogger }));
    await engine.updateSettings({ maxConcurrentFetches: 1 });
    // Added disabled, so only the poll below fetches them.
    const a = await engine.addFeed({ url: server.url('/a.xml'), enabled: false });
    const b = await engine.addFeed({ url: server.url('/b.xml'), enabled: false });
    return { held, poll: () => Promise.all([engine.pollNow(a.id), engine.pollNow(b.id)]) };
  }

  it('frees its fetch slot once its body is in, so the next feed is fetched while it waits', async () => {
    const { held, poll } = await twoFeedsOneSlot(() => 0);
    const cycle = poll();
    await vi.waitFor(() => expect(held.started).toBe(2));
    expect([server.requestsTo('/a.xml').length, server.requestsTo('/b.xml').length]).toEqual([1, 1]);
    held.release();
    await cycle;
  });

  it('keeps its fetch slot while enough bodies already wait, so they do not pile up', async () => {
    const { held, poll } = await twoFeedsOneSlot(() => PARSE_BACKLOG);
    const cycle = poll();
    await vi.waitFor(() => expect(held.started).toBe(1));
    // Given time, the second feed is still not fetched: the one slot is held through the parse.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requestsTo('/a.xml').length + server.requestsTo('/b.xml').length).toBe(1);
    held.release();
    await vi.waitFor(() => expect(held.started).toBe(2));
    held.release();
    await cycle;
  });
});

describe('a poll', () => {
  it('has the worker normalise only the newest backfill items on a first poll, then only items not seen by id', async () => {
    // The skipped log keeps a baseline's newest SKIP_LOG_BASELINE, so those are read whole too.
    let items = posts(1000, 1000);
    server.route('/feed.xml', { body: () => rssDocument({ items }) });
    const engine = start(openStore(dir, { clock: createFakeClock(), log: silentLogger }));
    await engine.addFeed({ url: server.url('/feed.xml'), backfill: 2 });
    await engine.pollNow();
    items = [post(1001), ...posts(1000, 999)];
    await engine.pollNow();

    expect(polls).toHaveLength(2);
    expect(polls[0]).toEqual({ selection: { kind: 'baseline', newest: 2 + SKIP_LOG_BASELINE }, whole: 2 + SKIP_LOG_BASELINE, items: 1000 });
    expect(polls[1]!.selection.kind).toBe('unseen');
    expect(polls[1]).toMatchObject({ whole: 1, items: 1000 });
    expect((await engine.getState()).tasks.map((t) => t.itemTitle).sort()).toEqual(['Post 1000', 'Post 1001', 'Post 999']);
  });

  it('writes the seen record only when it changed: a document served again unchanged, without validators, writes nothing', async () => {
    const items = posts(10, 10);
    server.route('/feed.xml', { body: () => rssDocument({ items }) });
    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    const putSeen = vi.spyOn(store, 'putSeen');
    const engine = start(store);
    await engine.addFeed({ url: server.url('/feed.xml') });
    await engine.pollNow();
    expect(putSeen).toHaveBeenCalledTimes(1);
    await engine.pollNow();
    await engine.pollNow();
    expect(putSeen).toHaveBeenCalledTimes(1);
    items.unshift(post(11));
    await engine.pollNow();
    expect(putSeen).toHaveBeenCalledTimes(2);
    expect(store.getSeen((await engine.getState()).feeds[0]!.id)?.ids[0]).toBe('post-11');
  });
});

describe('the seen record a poll writes', () => {
  it('is checked by a plain walk, not zod over every id, and stored as a copy; a bad one is still refused', () => {
    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    try {
      const zod = vi.spyOn(SeenRecordSchema, 'safeParse');
      const ids = Array.from({ length: 10_000 }, (_, i) => `id-${i}`);
      const record = { ids, links: ids.map((id) => `https://example.com/${id}`), address: 'https://example.com/feed' };
      store.putSeen('f1', record);
      expect(zod).not.toHaveBeenCalled();
      ids.push('added later');
      expect(store.getSeen('f1')?.ids).toHaveLength(10_000);
      expect(store.getSeen('f1')).toMatchObject({ address: 'https://example.com/feed' });
      expect(() => store.putSeen('f2', { ids: [1], links: [] } as unknown as { ids: string[]; links: string[] })).toThrow(/invalid seen record/);
      expect(zod).toHaveBeenCalledTimes(1);
    } finally {
      vi.restoreAllMocks();
      void store.close();
    }
  });
});

