// What `crier serve` loads at start (issue 13): the X client with twitter-api-v2, twitter-text, iconv-lite and
// the feed parser with feedsmith load when first used, not at start. Seen from inside the built
// process (dist/cli.js and its chunks): a module hook imported through NODE_OPTIONS notes every
// file it loads from node_modules (test/support/load-log.mjs).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { startFeedServer, type FeedServer } from '../support/feed-server';
import { rawRequest } from '../support/http-client';
import { startServeProcess, type ServeProcess } from '../support/serve-process';

const LOAD_LOG = pathToFileURL(fileURLToPath(new URL('../support/load-log.mjs', import.meta.url))).href;
const LAZY = ['twitter-api-v2', 'twitter-text', 'core-js', 'feedsmith', 'fast-xml-parser', 'iconv-lite'];

let root: string;
let feeds: FeedServer;
let serve: ServeProcess | null = null;
let logs = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crier-lazy-load-'));
  const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title>'
    + '<item><guid>one</guid><title>A story worth a post #news</title><link>https://news.example/one</link></item></channel></rss>';
  feeds = await startFeedServer({ '/small.xml': { body: () => rss } });
});
afterEach(async () => {
  await serve?.stop('SIGKILL');
  serve = null;
});
afterAll(async () => {
  await feeds?.close();
  rmSync(root, { recursive: true, force: true });
});

/** `crier serve` on a fresh data dir, with the load log on; returns it and a reader of the packages loaded so far. */
async function serveWithLog(env: Record<string, string> = {}, dataDir?: string): Promise<{ serve: ServeProcess; packages: () => Set<string> }> {
  logs += 1;
  const log = join(root, `loads-${logs}.txt`);
  const started = await startServeProcess({
    dataDir: dataDir ?? join(root, `data-${logs}`),
    env: { ...env, LOAD_LOG_FILE: log, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${LOAD_LOG}`.trim() },
  });
  serve = started;
  const packages = (): Set<string> => new Set((existsSync(log) ? readFileSync(log, 'utf8') : '').split('\n').filter(Boolean).map((url) => {
    const [first = '', second = ''] = url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }));
  return { serve: started, packages };
}

async function api(s: ServeProcess, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await rawRequest(s.port, { method, path, headers: { ...s.auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.text ? res.json() : undefined;
}

async function until(test: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('what crier serve loads at start', () => {
  it('leaves the X client, twitter-text and feedsmith unloaded until a feed is polled and a post composed', async () => {
    const { serve: s, packages } = await serveWithLog();
    const state = await api(s, 'GET', '/api/state') as StateSnapshot;
    expect(state.account.connected).toBe(false);
    // The log works: what every start needs is in it.
    expect([...packages()]).toEqual(expect.arrayContaining(['pino'])); // (zod is bundled into the CLI's chunks)
    expect([...packages()].filter((p) => LAZY.includes(p))).toEqual([]);

    // A feed small enough to parse inline: its poll loads feedsmith, composing its post twitter-text.
    await api(s, 'POST', '/api/feeds', { url: feeds.url('/small.xml'), backfill: 1 });
    await until(async () => ((await api(s, 'GET', '/api/state')) as StateSnapshot).tasks.length === 1, 'the task');
    expect([...packages()]).toEqual(expect.arrayContaining(['feedsmith', 'twitter-text']));
    // No account: a dry run, no client.
    expect(packages().has('twitter-api-v2')).toBe(false);
  });

  it('creates, reads and writes settings and feeds at this version without conf, ajv or semver', async () => {
    const confAndCo = (packages: Set<string>): string[] => [...packages].filter((p) => ['conf', 'ajv', 'semver'].includes(p));
    const dataDir = join(root, 'data-again');
    const first = await serveWithLog({}, dataDir);
    await api(first.serve, 'POST', '/api/feeds', { url: feeds.url('/small.xml') });
    expect(confAndCo(first.packages())).toEqual([]);
    await first.serve.stop('SIGTERM');
    serve = null;

    const { serve: s, packages } = await serveWithLog({}, dataDir);
    const state = await api(s, 'GET', '/api/state') as StateSnapshot;
    expect(state.feeds.map((f) => f.url)).toEqual([feeds.url('/small.xml')]);
    await api(s, 'PUT', '/api/settings', { dailyCap: 7 });
    expect(((await api(s, 'GET', '/api/state')) as StateSnapshot).settings.dailyCap).toBe(7);
    expect(confAndCo(packages())).toEqual([]);
  });

  it('with an account, loads twitter-api-v2 only when X is first asked something', async () => {
    const { serve: s, packages } = await serveWithLog({
      // A closed port: the connection test fails, after loading the client.
      CRIER_X_API_BASE: 'https://127.0.0.1:1',
      CRIER_X_APP_KEY: 'key', CRIER_X_APP_SECRET: 'secret', CRIER_X_ACCESS_TOKEN: 'token', CRIER_X_ACCESS_SECRET: 'access',
    });
    const state = await api(s, 'GET', '/api/state') as StateSnapshot;
    expect(state.account.connected).toBe(true);
    expect(packages().has('twitter-api-v2')).toBe(false);

    const answer = await api(s, 'POST', '/api/account/test') as { ok: boolean };
    expect(answer.ok).toBe(false);
    expect(packages().has('twitter-api-v2')).toBe(true);
  });
});
