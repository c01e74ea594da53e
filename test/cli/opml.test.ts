// `crier import-opml FILE` and `crier export-opml`, in-process on a temp data dir (no polling, no
// network), plus the real binary once for the exit status and the one-line error on stderr.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, type CliContext } from '../../main/cli/context';
import { run } from '../../main/cli/opml';
import { parseOpml } from '../../main/core/opml';
import { CLI_PATH, REPO_ROOT } from '../support/serve-process';

const SUBSCRIPTIONS = `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Tech">
      <outline type="rss" text="Example Blog" xmlUrl="https://blog.example.org/feed.xml"/>
      <outline text="Deeper">
        <outline type="rss" title="Release notes" xmlUrl="https://example.org/releases.atom"/>
      </outline>
    </outline>
    <outline type="rss" text="News &amp; views" xmlUrl="https://news.example.org/rss"/>
    <outline text="A folder with no feed"/>
  </body>
</opml>
`;

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'crier-opml-cli-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

async function crier(...args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const ctx: CliContext = { debug: false, verbose: false, stdout, stderr: new PassThrough() };
  const code = await run([...args, '--data-dir', join(dir, 'data')], ctx);
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('crier import-opml', () => {
  it('adds every outline with an xmlUrl, nested folders flattened, and says how many', async () => {
    const result = await crier('import-opml', await file('subs.opml', SUBSCRIPTIONS));
    expect(result).toEqual({ code: 0, stdout: 'Added 3 feeds, skipped 0 already present\n' });
  });

  it('skips the feeds it already follows on a second import, and counts them', async () => {
    const path = await file('subs.opml', SUBSCRIPTIONS);
    await crier('import-opml', path);
    expect((await crier('import-opml', path)).stdout).toBe('Added 0 feeds, skipped 3 already present\n');
  });

  it('answers --json with the counts and the feeds added, names kept', async () => {
    const { stdout } = await crier('import-opml', await file('subs.opml', SUBSCRIPTIONS), '--json');
    const out = JSON.parse(stdout) as { added: number; skipped: number; feeds: Array<{ url: string; name: string | null }> };
    expect(out.added).toBe(3);
    expect(out.skipped).toBe(0);
    expect(out.feeds.map((f) => [f.name, f.url])).toEqual([
      ['Example Blog', 'https://blog.example.org/feed.xml'],
      ['Release notes', 'https://example.org/releases.atom'],
      ['News & views', 'https://news.example.org/rss'],
    ]);
  });

  it('refuses a malformed file with a clear error and adds nothing', async () => {
    const broken = await file('broken.opml', '<opml version="2.0"><body><outline xmlUrl="https://a.example/feed"></body>');
    await expect(crier('import-opml', broken)).rejects.toThrow(/^import-opml: Not a valid OPML document: the XML is malformed near line 1/);
    expect((await crier('export-opml')).stdout).not.toContain('<outline');
  });

  it('refuses a file that does not exist, naming it', async () => {
    const missing = join(dir, 'nope.opml');
    await expect(crier('import-opml', missing)).rejects.toThrow(new CliError(`import-opml: cannot read ${missing}: ENOENT`));
  });

  it('needs exactly one file', async () => {
    await expect(crier('import-opml')).rejects.toThrow(/give exactly one OPML file/);
  });
});

describe('crier export-opml', () => {
  it('prints valid OPML 2.0 that imports back to the same feeds', async () => {
    await crier('import-opml', await file('subs.opml', SUBSCRIPTIONS));
    const { code, stdout } = await crier('export-opml');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<opml version="2.0">/);
    expect(parseOpml(stdout)).toEqual([
      { title: 'Example Blog', url: 'https://blog.example.org/feed.xml' },
      { title: 'Release notes', url: 'https://example.org/releases.atom' },
      { title: 'News & views', url: 'https://news.example.org/rss' },
    ]);
  });

  it('prints a valid empty document when there are no feeds', async () => {
    const { stdout } = await crier('export-opml');
    expect(stdout).toContain('<body/>');
    expect(parseOpml(stdout)).toEqual([]);
  });

  it('takes no arguments', async () => {
    await expect(crier('export-opml', 'out.opml')).rejects.toThrow(/takes no arguments; the OPML goes to stdout/);
  });
});

describe('the crier binary', () => {
  it('exits 1 with one line on stderr for a malformed file', async () => {
    const broken = await file('broken.opml', 'not xml at all <');
    const result = spawnSync(process.execPath, [CLI_PATH, 'import-opml', broken, '--data-dir', join(dir, 'data')],
      { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^crier: import-opml: Not a valid OPML document: .+\n$/);
    expect(result.stdout).toBe('');
  });
});
