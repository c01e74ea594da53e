// `crier parse <url|file> [--json]`: the normalised feed, as Crier's engine would see it.
import type { NormalizedFeed } from '../core/feeds/types';
import { CliError, printJson, type CliContext } from './context';
import { readFeed, terminalSafe } from './feed-source';

function usage(): CliError {
  return new CliError('usage: crier parse <url|file> [--json]');
}

function cell(text: string | null, width: number): string {
  const s = terminalSafe(text ?? '–').replace(/\s+/g, ' ');
  const chars = [...s];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : s + ' '.repeat(width - chars.length);
}

export function formatTable(feed: NormalizedFeed): string {
  const lines = [
    `${terminalSafe(feed.title ?? '(untitled feed)')}${feed.link ? `  <${terminalSafe(feed.link)}>` : ''}`,
    `${feed.items.length} item${feed.items.length === 1 ? '' : 's'}`,
    '',
  ];
  if (feed.items.length > 0) {
    lines.push(`${cell('PUBLISHED', 20)}  ${cell('TITLE', 60)}  LINK`);
    for (const item of feed.items) {
      const date = item.published ? item.published.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z') : null;
      lines.push(`${cell(date, 20)}  ${cell(item.title || '(untitled)', 60)}  ${terminalSafe(item.link ?? '–')}`);
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
  if (positional.length !== 1 || positional[0]!.trim() === '') throw usage();
  const feed = await readFeed(positional[0]!);
  if (json) printJson(ctx, { title: feed.title, link: feed.link, items: feed.items });
  else ctx.stdout.write(formatTable(feed));
  return 0;
}
