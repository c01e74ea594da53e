// A first poll of a 25 MB feed, on its own (a fresh heap: another test's garbage collected here
// would be counted against the parse): the worker sends 10,000 keys, in chunks, one per ask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { type FeedParser, isWholeItem } from '../../../main/core/feeds/types';
import { largeRssDocument, rssDocument } from '../../support/feed-server';

const BASE = 'https://example.com/feed.xml';
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

let parser: FeedParser;
beforeAll(() => { parser = createFeedParser({ workers: 2, inlineBelowBytes: 0 }); });
afterAll(async () => { await parser.close(); });

describe('parseForPoll', () => {
  it('parses a 25 MB document for a first poll while a main-thread timer keeps firing without a gap over 50 ms', async () => {
    const doc = bytes(largeRssDocument(10_000, 2400));
    expect(doc.byteLength).toBeGreaterThan(25 * 1024 * 1024);
    await parser.parse(bytes(rssDocument({ items: [{ title: 'warm-up' }] })), null, BASE);
    // As in executor.test.ts: each tick records the wall-clock gap and the main thread's own CPU
    // time in it; a gap counts against us when our own thread was busy in it (on a loaded machine
    // the OS may deschedule the whole process).
    const cpuMs = (): number => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1000; };
    let last = performance.now();
    let lastCpu = cpuMs();
    let worstBusyGap = 0;
    const tick = (): void => {
      const now = performance.now();
      const cpu = cpuMs();
      worstBusyGap = Math.max(worstBusyGap, Math.min(now - last, cpu - lastCpu));
      last = now;
      lastCpu = cpu;
    };
    const timer = setInterval(tick, 5);
    const feed = await parser.parseForPoll(doc, 'application/rss+xml', BASE, { kind: 'baseline', newest: 5 });
    clearInterval(timer);
    tick();
    expect(feed.items).toHaveLength(10_000);
    expect(feed.items.filter(isWholeItem)).toHaveLength(5);
    expect(worstBusyGap, `main thread busy ${worstBusyGap.toFixed(1)} ms at once`).toBeLessThan(50);
  });
});
