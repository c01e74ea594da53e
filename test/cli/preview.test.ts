// The built `crier preview` bin, end to end, on a local fixture.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startFeedServer } from '../support/feed-server';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = 'test/fixtures/preview-feed.xml';

async function crier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('crier preview', () => {
  it('prints one JSON document with the posts and the skipped items, and nothing else', async () => {
    const { code, stdout, stderr } = await crier('preview', FIXTURE, '--exclude', 'sponsored', '--template', '{title} {hashtags} {link}', '--json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      posts: [
        { itemId: 'tokyo', text: '東京の新しい技術 🚀 & more https://example.com/tokyo', weightedLength: 50, imageUrl: 'https://example.com/tokyo.jpg' },
        {
          itemId: 'long',
          text: 'A very long title that goes on and on about nothing in particular, repeating itself, a very long title that goes on and on about nothing in particular, repeating itself, a very long title that goes on and on about nothing in particular, repeating itself… https://example.com/long',
          weightedLength: 279,
          imageUrl: null,
        },
        { itemId: 'oldest', text: 'Oldest: a plain post #OpenSource #Rust https://example.com/oldest', weightedLength: 62, imageUrl: null },
      ],
      skipped: [{ itemId: 'ad', reason: "excluded by 'sponsored' in title" }],
    });
  });

  it('fetches a URL, printing the same single JSON document and nothing on stderr', async () => {
    const server = await startFeedServer({ '/feed.xml': { body: await readFile(join(ROOT, FIXTURE)) } });
    try {
      const fromFile = await crier('preview', FIXTURE, '--exclude', 'sponsored', '--json');
      const fromUrl = await crier('preview', server.url('/feed.xml'), '--exclude', 'sponsored', '--json');
      expect({ code: fromUrl.code, stderr: fromUrl.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(fromUrl.stdout)).toEqual(JSON.parse(fromFile.stdout));
    } finally {
      await server.close();
    }
  });

  it('prints an empty document, not an error, when every item is skipped', async () => {
    const { code, stdout, stderr } = await crier('preview', FIXTURE, '--include', 'no-such-word-anywhere', '--json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(stdout) as { posts: unknown[]; skipped: unknown[] };
    expect(doc.posts).toEqual([]);
    expect(doc.skipped.length).toBeGreaterThan(0);
  });

  it('shows posts and skips readably without --json', async () => {
    const { code, stdout } = await crier('preview', FIXTURE, '--include', 'tokyo', '--include', '/東京/');
    expect(code).toBe(0);
    expect(stdout).toContain('#1  50/280  tokyo');
    expect(stdout).toContain('no include keyword matched');
  });

  it.each([
    [['--exclude', '/[x/'], 'crier: exclude.0: /[x/ is not a valid regular expression (missing closing ]).\n'],
    [['--template', '{titel}'], 'crier: Unknown template placeholder {titel}; the placeholders are {title} {link} {summary} {author} {feed} {date} {hashtags}.\n'],
    [['--template', `${'x'.repeat(300)} {title}`], "crier: The template's fixed text weighs 300 of the 280 characters X allows (each {link} counts 23); shorten it.\n"],
  ])('fails with one line on stderr and exit 1 for %j', async (args, stderr) => {
    expect(await crier('preview', FIXTURE, ...args)).toEqual({ code: 1, stdout: '', stderr });
  });

  it('fails with one line for a missing file', async () => {
    const result = await crier('preview', 'test/fixtures/no-such-feed.xml', '--json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^crier: no such file: .*no-such-feed\.xml\n$/);
  });
});
