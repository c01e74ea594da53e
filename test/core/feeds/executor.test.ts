import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../../main/core/feeds/executor';
import { parseDocument } from '../../../main/core/feeds/parse-document';
import { FeedError, type FeedParser } from '../../../main/core/feeds/types';
import { largeRssDocument, rssDocument } from '../../support/feed-server';

const BASE = 'https://example.com/feed.xml';
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

let parser: FeedParser;
beforeAll(() => { parser = createFeedParser({ workers: 2, inlineBelowBytes: 0 }); });
afterAll(async () => { await parser.close(); });

describe('createFeedParser', () => {
  it('gives the same result in a worker as inline', async () => {
    const doc = bytes(largeRssDocument(600, 300));
    const viaWorker = await parser.parse(doc, 'application/rss+xml', BASE);
    expect(viaWorker.items).toHaveLength(600);
    expect(viaWorker).toEqual(parseDocument(doc, 'application/rss+xml', BASE));
  });

  it('leaves the caller’s bytes usable after a parse', async () => {
    const doc = bytes(rssDocument({ items: [{ title: 'x' }] }));
    await parser.parse(doc, null, BASE);
    expect(doc.byteLength).toBeGreaterThan(0);
    expect(new TextDecoder().decode(doc)).toMatch(/<rss/);
  });

  it('returns worker failures as FeedErrors with their kind', async () => {
    const err = await parser.parse(bytes('<html><body>no feed</body></html>'), 'text/html', BASE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).kind).toBe('not-a-feed');
  });

  it('parses many documents at once, each getting its own result', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => rssDocument({ title: `feed ${i}`, items: [{ title: `item ${i}` }] }));
    const feeds = await Promise.all(docs.map((d) => parser.parse(bytes(d), null, BASE)));
    expect(feeds.map((f) => f.title)).toEqual(docs.map((_, i) => `feed ${i}`));
    expect(feeds.map((f) => f.items[0]!.title)).toEqual(docs.map((_, i) => `item ${i}`));
  });

  it('parses small documents inline with the same result', async () => {
    const inline = createFeedParser({ inlineBelowBytes: 1024 * 1024 });
    try {
      const feed = await inline.parse(bytes(rssDocument({ items: [{ title: 'small' }] })), null, BASE);
      expect(feed.items[0]!.title).toBe('small');
      await expect(inline.parse(bytes('<html></html>'), null, BASE)).rejects.toMatchObject({ kind: 'not-a-feed' });
    } finally {
      await inline.close();
    }
  });

  it('refuses work after close', async () => {
    const closing = createFeedParser();
    await closing.close();
    await expect(closing.parse(bytes('<rss/>'), null, BASE)).rejects.toBeInstanceOf(FeedError);
  });

  it('abandons a parse that runs too long, replaces its worker and keeps serving', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crier-stuck-worker-'));
    // A worker that takes the first document and never answers, then behaves.
    const stuck = join(dir, 'stuck.mjs');
    await writeFile(stuck, `import { parentPort } from 'node:worker_threads';
      import { existsSync, writeFileSync } from 'node:fs';
      const flag = ${JSON.stringify(join(dir, 'once'))};
      parentPort.on('message', (m) => {
        if (!existsSync(flag)) { writeFileSync(flag, ''); return; }
        parentPort.postMessage({ type: 'head', id: m.id, title: 'ok', link: null });
        parentPort.postMessage({ type: 'done', id: m.id });
      });
      parentPort.postMessage({ type: 'ready' });`);
    // The budget runs from the worker's 'ready', so the replacement worker's start-up (hundreds of
    // ms on a loaded machine) is not counted; 1 s leaves its answer ample room.
    const slow = createFeedParser({ workers: 1, inlineBelowBytes: 0, jobTimeoutMs: 1000, workerUrl: pathToFileURL(stuck) });
    try {
      await expect(slow.parse(bytes('<rss/>'), null, BASE)).rejects.toMatchObject({ kind: 'parse', message: 'parsing took longer than 1 s and was stopped' });
      await expect(slow.parse(bytes('<rss/>'), null, BASE)).resolves.toMatchObject({ title: 'ok' });
    } finally {
      await slow.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('times a parse from when its worker is ready, not from when the worker was started', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crier-slow-start-'));
    // A worker whose start-up outlasts the parse budget: it blocks until the test lets it go
    // (well after the budget has passed), then answers at once.
    const go = join(dir, 'go');
    const slowStart = join(dir, 'slow-start.mjs');
    await writeFile(slowStart, `import { parentPort } from 'node:worker_threads';
      import { existsSync } from 'node:fs';
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (!existsSync(${JSON.stringify(go)})) Atomics.wait(pause, 0, 0, 10);
      parentPort.on('message', (m) => {
        parentPort.postMessage({ type: 'head', id: m.id, title: 'started late', link: null });
        parentPort.postMessage({ type: 'done', id: m.id });
      });
      parentPort.postMessage({ type: 'ready' });`);
    const late = createFeedParser({ workers: 1, inlineBelowBytes: 0, jobTimeoutMs: 1000, workerUrl: pathToFileURL(slowStart) });
    try {
      const parsed = late.parse(bytes('<rss/>'), null, BASE).catch((err: unknown) => err);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await writeFile(go, '');
      expect(await parsed).toMatchObject({ title: 'started late' });
    } finally {
      await late.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives up on a worker that never gets ready, with a message saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crier-never-ready-'));
    const never = join(dir, 'never.mjs');
    await writeFile(never, `import { parentPort } from 'node:worker_threads';
      parentPort.on('message', () => {});`);
    const stalled = createFeedParser({ workers: 1, inlineBelowBytes: 0, workerStartTimeoutMs: 300, workerUrl: pathToFileURL(never) });
    try {
      await expect(stalled.parse(bytes('<rss/>'), null, BASE)).rejects.toMatchObject({ kind: 'parse', message: 'the feed parser did not start within 300 ms' });
    } finally {
      await stalled.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses a 25 MB document while a main-thread timer keeps firing without a gap over 50 ms', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crier-big-'));
    try {
      const path = join(dir, 'big.xml');
      await writeFile(path, largeRssDocument(10_000, 2400));
      const doc = await readFile(path);
      expect(doc.byteLength).toBeGreaterThan(25 * 1024 * 1024);
      await parser.parse(bytes(rssDocument({ items: [{ title: 'warm-up' }] })), null, BASE);

      // Each tick records the wall-clock gap and the main thread's own CPU time in it. On a
      // loaded machine (parallel suites, 2 cores) the OS can deschedule the whole process, a
      // wall-clock gap no code of ours causes; the main thread's CPU time is what blocking it
      // would cost. Both are reported; a gap counts against us when our thread was busy in it.
      const cpuMs = (): number => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1000; };
      let last = performance.now();
      let lastCpu = cpuMs();
      let worstBusyGap = 0;
      let worstWallGap = 0;
      const tick = (): void => {
        const now = performance.now();
        const cpu = cpuMs();
        worstWallGap = Math.max(worstWallGap, now - last);
        worstBusyGap = Math.max(worstBusyGap, Math.min(now - last, cpu - lastCpu));
        last = now;
        lastCpu = cpu;
      };
      const timer = setInterval(tick, 5);
      const feed = await parser.parse(doc, 'application/rss+xml', BASE);
      clearInterval(timer);
      tick();

      expect(feed.items).toHaveLength(10_000);
      expect(feed.items[9_999]!.id).toBe('urn:item:9999');
      expect(worstBusyGap, `main thread busy ${worstBusyGap.toFixed(1)} ms at once (wall-clock gap ${worstWallGap.toFixed(1)} ms)`).toBeLessThan(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
