// `crier preview` in-process: argument parsing, output shape and errors, without a build.
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPreview, parseArgs, run } from '../../main/cli/preview';
import type { CliContext } from '../../main/cli/context';
import { CliError } from '../../main/cli/context';
import { CommandError } from '../../main/core/errors';

const FIXTURE = fileURLToPath(new URL('../fixtures/preview-feed.xml', import.meta.url));

async function preview(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const ctx: CliContext = { debug: false, verbose: false, stdout, stderr };
  const code = await run(['preview', ...args], ctx);
  return { code, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}

describe('parseArgs', () => {
  it('reads repeated filters, both option spellings and the defaults', () => {
    expect(parseArgs(['feed.xml', '--include', 'rust', '--include=go', '--exclude', '/ad/', '--template={title}', '--max-hashtags', '2', '--json'])).toEqual({
      source: 'feed.xml', template: '{title}', include: ['rust', 'go'], exclude: ['/ad/'], maxHashtags: 2, limit: 10, json: true,
    });
    expect(parseArgs(['https://example.com/feed'])).toMatchObject({ template: '{title} {link}', include: [], exclude: [], maxHashtags: 3, json: false });
  });

  it.each([
    [[], /^usage: crier preview/],
    [['a', 'b'], /^usage: crier preview/],
    [[''], /^usage: crier preview/],
    [['a', '--colour'], /unknown option --colour/],
    [['a', '--template'], /--template needs a value/],
    [['a', '--max-hashtags', 'three'], /--max-hashtags takes a whole number from 0 to 10, not "three"/],
    [['a', '--limit', '-1'], /--limit takes a whole number/],
  ])('rejects %j with a one-line usage error', (args, message) => {
    expect(() => parseArgs(args)).toThrow(CliError);
    expect(() => parseArgs(args)).toThrow(message);
  });
});

describe('run', () => {
  it('prints exactly the documented JSON and nothing on stderr', async () => {
    const { code, stdout, stderr } = await preview(FIXTURE, '--exclude', 'sponsored', '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout) as { posts: Record<string, unknown>[]; skipped: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['posts', 'skipped']);
    for (const post of doc.posts) expect(Object.keys(post)).toEqual(['itemId', 'text', 'weightedLength', 'imageUrl']);
    expect(doc.posts.map((p) => p.itemId)).toEqual(['tokyo', 'long', 'oldest']);
    expect(doc.skipped).toEqual([{ itemId: 'ad', reason: "excluded by 'sponsored' in title" }]);
  });

  it('prints each post with its weighted length, and the skipped items with reasons', async () => {
    const { code, stdout } = await preview(FIXTURE, '--exclude', 'sponsored');
    expect(code).toBe(0);
    expect(stdout).toContain('Preview Fixture: 3 posts, 1 skipped');
    expect(stdout).toContain('#1  50/280  tokyo\n    東京の新しい技術 🚀 & more https://example.com/tokyo\n    [image: https://example.com/tokyo.jpg]');
    expect(stdout).toContain("Skipped:\n  - Sponsored: buy our thing — excluded by 'sponsored' in title");
  });

  it('rejects an invalid regex before reading the feed', async () => {
    await expect(preview('/no/such/file.xml', '--exclude', '/[x/')).rejects.toThrow(new CommandError('validation', 'exclude.0: /[x/ is not a valid regular expression (missing closing ]).', 'exclude.0'));
  });

  it('rejects an unknown placeholder before reading the feed', async () => {
    await expect(preview('/no/such/file.xml', '--template', '{titel} {link}')).rejects.toThrow(/Unknown template placeholder \{titel\}/);
  });

  it('turns a missing file into a one-line CLI error', async () => {
    await expect(preview('/no/such/file.xml')).rejects.toThrow(new CliError('no such file: /no/such/file.xml'));
  });
});

describe('formatPreview', () => {
  it('shows control characters from feed text as replacement characters', () => {
    const out = formatPreview({ feedTitle: 'Evil\u001b[2J', posts: [], skipped: [{ itemId: 'x', itemTitle: 'bad\u0007title', reason: 'no include keyword matched' }] });
    expect(out).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(out).toContain('Evil\uFFFD[2J');
  });
});
