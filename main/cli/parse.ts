// `crier parse <url|file> [--json]`: the normalised feed, as Crier's engine would see it.
import { DEFAULT_SETTINGS } from '../core/defaults';
import { createFeedParser } from '../core/feeds/executor';
import { loadFeedSource } from '../core/feeds/source';
import { FeedError, type NormalizedFeed } from '../core/feeds/types';
import { CliError, printJson, type CliContext } from './context';

// The CLI reads local files past the poll cap: it is the user's own document.
const LOCAL_MAX_BYTES = 200 * 1024 * 1024;

function usage(): CliError {
  return new CliError('usage: crier parse <url|file> [--json]');
}

function cell(text: string | null, width: number): string {
  const s = (text ?? '–').replace(/\s+/g, ' ');
  const chars = [...s];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : s + ' '.repeat(width - chars.length);
}

export function formatTable(feed: NormalizedFeed): string {
  const lines = [
    `${feed.title ?? '(untitled feed)'}${feed.link ? `  <${feed.link}>` : ''}`,
    `${feed.items.length} item${feed.items.length === 1 ? '' : 's'}`,
    '',
  ];
  if (feed.items.length > 0) {
    lines.push(`${cell('PUBLISHED', 20)}  ${cell('TITLE', 60)}  LINK`);
    for (const item of feed.items) {
      const date = item.published ? item.published.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z') : null;
      lines.push(`${cell(date, 20)}  ${cell(item.title || '(untitled)', 60)}  ${item.link ?? '–'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const rest = args.slice(1);
  const json = rest.includes('--json');
  const positional = rest.filter((a) => a !== '--json');
  const unknown = positional.find((a) => a.startsWith('--'));
  if (unknown) throw new CliError(`parse: unknown option ${unknown}`);
  if (positional.length !== 1) throw usage();
  const source = positional[0]!;
  const remote = /^https?:\/\//i.test(source);
  const parser = createFeedParser({ workers: 1 });
  try {
    const feed = await loadFeedSource(source, {
      parser,
      timeoutMs: DEFAULT_SETTINGS.fetchTimeoutSeconds * 1000,
      maxBytes: remote ? DEFAULT_SETTINGS.maxFeedBytes : LOCAL_MAX_BYTES,
    });
    if (json) printJson(ctx, { title: feed.title, link: feed.link, items: feed.items });
    else ctx.stdout.write(formatTable(feed));
    return 0;
  } catch (err) {
    if (err instanceof FeedError) throw new CliError(err.message);
    throw err;
  } finally {
    await parser.close();
  }
}
