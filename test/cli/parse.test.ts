import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable } from '../../main/cli/parse';
import { largeRssDocument, rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';

const root = join(import.meta.dirname, '..', '..');
const FEED = rssDocument({ title: 'CLI feed', items: [
  { title: 'First &amp; foremost', link: 'https://example.com/1', guid: 'g1', pubDate: 'Tue, 03 Jun 2025 09:39:21 GMT', description: '<p>Hello <b>there</b></p>' },
  { title: 'Second', link: 'javascript:alert(1)', guid: 'g2' },
] });

interface Run { code: number | null; stdout: string; stderr: string }
function crier(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let server: FeedServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crier-cli-parse-'));
  await writeFile(join(dir, 'feed.xml'), FEED);
  await writeFile(join(dir, 'page.html'), '<!DOCTYPE html><html><body>hi</body></html>');
  server = await startFeedServer({ '/feed.xml': { body: FEED }, '/missing': { status: 404, body: 'no' } });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('crier parse', () => {
  it('prints the normalised feed as exactly one JSON document and nothing on stderr', async () => {
    const run = await crier('parse', join(dir, 'feed.xml'), '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      title: 'CLI feed', link: 'https://example.com/',
      items: [
        { id: 'g1', idFrom: 'feed', title: 'First & foremost', link: 'https://example.com/1', published: '2025-06-03T09:39:21.000Z', summary: 'Hello there', author: null, categories: [], image: null },
        { id: 'g2', idFrom: 'feed', title: 'Second', link: null, published: null, summary: '', author: null, categories: [], image: null },
      ],
    });
  });

  it('fetches a URL, printing exactly one JSON document and nothing on stderr', async () => {
    const run = await crier('parse', server.url('/feed.xml'), '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout).items).toHaveLength(2);
  });

  it('parses a document large enough for the worker, printing one JSON document and nothing on stderr', async () => {
    const path = join(dir, 'large.xml');
    await writeFile(path, largeRssDocument(200, 1000));
    const run = await crier('parse', path, '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout).items).toHaveLength(200);
  });

  it('prints a readable table without --json', async () => {
    const run = await crier('parse', join(dir, 'feed.xml'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^CLI feed {2}<https:\/\/example\.com\/>\n2 items\n/);
    expect(run.stdout).toMatch(/2025-06-03 09:39:21Z\s+First & foremost\s+https:\/\/example\.com\/1/);
  });

  it.each([
    ['a missing file', ['missing.xml'], /^crier: no such file: .*missing\.xml\n$/],
    ['an HTML page', ['page.html'], /^crier: not a feed: got an HTML page/],
    ['an HTTP error', ['URL:/missing'], /^crier: HTTP 404/],
    ['no argument', [], /^crier: usage: crier parse/],
    ['an empty argument', ['ARG:'], /^crier: usage: crier parse/],
  ])('fails on %s with one line on stderr, exit 1 and no stack trace', async (_name, args, message) => {
    const targets = args.map((a) => (a.startsWith('URL:') ? server.url(a.slice(4)) : a.startsWith('ARG:') ? a.slice(4) : join(dir, a)));
    const run = await crier('parse', ...targets, '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the readable table', () => {
  it('shows control characters from the feed as replacement marks, so feed text cannot drive the terminal', () => {
    const table = formatTable({ title: 'Evil\u001b[2J feed', link: null, items: [
      { id: 'a', idFrom: 'feed', title: 'Bell\u0007 and escape\u001b]0;owned\u0007', link: null, published: null, summary: '', author: null, categories: [], image: null },
    ] });
    expect([...table].filter((c) => c !== '\n' && /\p{Cc}/u.test(c))).toEqual([]);
    expect(table).toContain('Evil\uFFFD[2J feed');
  });
});
