import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFeedParser, defaultWorkerCount, transferable } from '../../../main/core/feeds/executor';
import { parseDocument } from '../../../main/core/feeds/parse-document';
import type { ParseReply, ParseRequest, WorkerRequest } from '../../../main/core/feeds/parse-protocol';
import { FeedError, type FeedParser, isWholeItem } from '../../../main/core/feeds/types';
import { locateParseWorker } from '../../../main/core/feeds/worker-entry';
import { largeRssDocument, rssDocument } from '../../support/feed-server';

const BASE = 'https://example.com/feed.xml';
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

let parser: FeedParser;
beforeAll(() => { parser = createFeedParser({ workers: 2, inlineBelowBytes: 0 }); });
afterAll(async () => { await parser.close(); });

describe('createFeedParser', () => {
  it('gives the same result in a worker as inline', async () => {
    const text = largeRssDocument(600, 300);
    const viaWorker = await parser.parse(bytes(text), 'application/rss+xml', BASE);
    expect(viaWorker.items).toHaveLength(600);
    expect(viaWorker).toEqual(parseDocument(bytes(text), 'application/rss+xml', BASE));
  });

  it('hands the caller’s bytes to the worker by transfer, not by copy: the caller’s buffer is left empty', async () => {
    const doc = bytes(largeRssDocument(50, 300));
    const length = doc.byteLength;
    const parsing = parser.parse(doc, null, BASE);
    expect(length).toBeGreaterThan(0);
    expect(doc.byteLength).toBe(0);
    expect(doc.buffer.byteLength).toBe(0);
    expect((await parsing).items).toHaveLength(50);
  });

  it('copies bytes it cannot transfer (a view into Node’s shared Buffer pool), leaving the other views intact', async () => {
    const neighbour = Buffer.from('a neighbour in the same pool');
    const doc = Buffer.from(rssDocument({ items: [{ title: 'pooled' }] }));
    expect(doc.buffer.byteLength).toBeGreaterThan(doc.byteLength);
    const feed = await parser.parse(doc, null, BASE);
    expect(feed.items[0]!.title).toBe('pooled');
    expect(doc.toString()).toMatch(/<rss/);
    expect(neighbour.toString()).toBe('a neighbour in the same pool');
  });

  it('copies a slice of a larger buffer instead of transferring the whole of it', async () => {
    const whole = bytes(`${'x'.repeat(100)}${rssDocument({ items: [{ title: 'sliced' }] })}`);
    const slice = whole.subarray(100);
    expect(transferable(slice)).toBe(false);
    expect((await parser.parse(slice, null, BASE)).items[0]!.title).toBe('sliced');
    expect(whole.byteLength).toBeGreaterThan(100);
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

describe('the pool', () => {
  it('runs a worker per core but one, at least one and at most 8', () => {
    expect([1, 2, 3, 4, 8, 9, 16].map(defaultWorkerCount)).toEqual([1, 1, 2, 3, 7, 8, 8]);
  });

  it('grows to its most workers while parses wait, and keeps no idle worker after', async () => {
    const cores = Math.max(2, defaultWorkerCount(availableParallelism()));
    const pool = createFeedParser({ inlineBelowBytes: 0, idleWorkerMs: 100, workers: cores });
    try {
      const feeds = await Promise.all(Array.from({ length: cores * 3 }, () => pool.parse(bytes(largeRssDocument(200, 300)), null, BASE)));
      expect(feeds.map((f) => f.items.length)).toEqual(feeds.map(() => 200));
      expect(pool.pool().peak).toBe(cores);
      // Idle workers end by themselves: none is left once the parses are done.
      await vi.waitFor(() => expect(pool.pool()).toMatchObject({ workers: 0, busy: 0 }), { timeout: 30_000, interval: 50 });
      // And the pool starts again when work comes.
      expect((await pool.parse(bytes(largeRssDocument(10, 300)), null, BASE)).items).toHaveLength(10);
    } finally {
      await pool.close();
    }
  });

  it('fails a document whose parse needs more memory than a worker may use as too large, and keeps serving', async () => {
    const small = createFeedParser({ workers: 1, inlineBelowBytes: 0, workerHeapMb: 16 });
    try {
      const err = await small.parse(bytes(largeRssDocument(8000, 2400)), null, BASE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeedError);
      expect(err).toMatchObject({ kind: 'too-large', message: 'feed too large to parse: it needs more than the 16 MB a parse may use' });
      expect((await small.parse(bytes(largeRssDocument(10, 300)), null, BASE)).items).toHaveLength(10);
    } finally {
      await small.close();
    }
  });
});

describe('the parse worker', () => {
  it('sends a big result one chunk at a time, each after the executor asks for more', async () => {
    const worker = new Worker(await locateParseWorker());
    try {
      const log: string[] = [];
      let asked = 0;
      const done = new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (reply: ParseReply) => {
          if (reply.type === 'items') log.push(`items ${reply.items.length}${reply.last ? ' last' : ''}`);
          else log.push(reply.type);
          if (reply.type === 'done' || reply.type === 'error') resolve();
          if (reply.type === 'items' && !reply.last) {
            // Held back a while: a worker that ran ahead would have sent its next chunk meanwhile.
            setTimeout(() => {
              log.push('more');
              asked++;
              worker.postMessage({ type: 'more', id: 1 } satisfies WorkerRequest);
            }, 200);
          }
        });
      });
      const request: ParseRequest = { id: 1, bytes: bytes(largeRssDocument(600, 300)), contentType: null, baseUrl: BASE };
      worker.postMessage(request);
      await done;
      expect(log).toEqual(['ready', 'head', 'items 250', 'more', 'items 250', 'more', 'items 100 last', 'done']);
      expect(asked).toBe(2);
    } finally {
      await worker.terminate();
    }
  });
});

describe('parseForPoll', () => {
  it('sends items whose id the feed has seen as keys, and the others whole, as an inline parse would', async () => {
    const text = largeRssDocument(300, 300);
    const knownIds = Array.from({ length: 290 }, (_, i) => `urn:item:${i + 10}`);
    const feed = await parser.parseForPoll(bytes(text), null, BASE, { kind: 'unseen', knownIds });
    expect(feed.items).toHaveLength(300);
    expect(feed.items.filter(isWholeItem).map((i) => i.id)).toEqual(Array.from({ length: 10 }, (_, i) => `urn:item:${i}`));
    expect(feed.items[20]).toEqual({ id: 'urn:item:20', idFrom: 'feed', link: 'https://example.com/items/20', published: '2025-06-03T09:39:21.000Z', keyOnly: true });
    expect(feed).toEqual(parseDocument(bytes(text), null, BASE, { kind: 'unseen', knownIds }));
  });
});
