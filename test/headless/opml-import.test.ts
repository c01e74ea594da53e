// An OPML import through a real `crier serve`: POST /api/opml with 1,000 outlines is one answer,
// the feed list on disk holds them all, and their first polls are spread over five minutes
// rather than fired at once (issue 11). Loopback only; no assertion on durations.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpmlImportResult, StateSnapshot } from '../../preload/contract';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../support/serve-process';

let dir: string;
let feeds: FeedServer;
let serve: ServeProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crier-opml-import-'));
  feeds = await startFeedServer();
  serve = await startServeProcess({ dataDir: dir });
});

afterAll(async () => {
  await serve?.stop();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

const opml = (count: number): string => `<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>\n${
  Array.from({ length: count }, (_, i) => `<outline type="rss" text="Feed ${i}" xmlUrl="${feeds.url(`/f${i}.xml`)}"/>`).join('\n')}\n</body></opml>`;

describe('POST /api/opml', () => {
  it('imports 1,000 feeds in one answer, saves them all, and spreads their first polls over five minutes', async () => {
    const before = Date.now();
    const res = await fetch(`${serve.origin}/api/opml`, { method: 'POST', headers: { ...serve.auth, 'Content-Type': 'text/x-opml' }, body: opml(1000) });
    expect(res.status).toBe(200);
    const result = (await res.json()) as OpmlImportResult;
    expect(result).toMatchObject({ added: 1000, skipped: 0 });

    const saved = JSON.parse(readFileSync(join(dir, 'feeds.json'), 'utf8')) as { feeds: { url: string }[] };
    expect(saved.feeds).toHaveLength(1000);

    const state = await callApi<StateSnapshot>(serve, 'GET', '/api/state');
    // When each feed polls first: done already for the first few, else planned.
    const next = state.feeds.map((f) => Date.parse(f.health.lastFetchedAt ?? f.health.nextPollAt ?? '')).sort((a, b) => a - b);
    expect(next.every((t) => Number.isFinite(t))).toBe(true);
    // The first at once, the last close to five minutes on: never all in the same second.
    expect(next[0]!).toBeLessThan(before + 60_000);
    expect(next[999]! - next[0]!).toBeGreaterThan(4 * 60_000);
    expect(next[999]! - next[0]!).toBeLessThanOrEqual(5 * 60_000);
  });

  it('refuses malformed OPML with a validation error naming the line', async () => {
    const res = await fetch(`${serve.origin}/api/opml`, {
      method: 'POST', headers: { ...serve.auth, 'Content-Type': 'text/x-opml' }, body: '<opml>\n<body>\n<outline text=x/></body></opml>',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation', field: 'opml', message: expect.stringMatching(/line 3, column/) } });
  });
});
