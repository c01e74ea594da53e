// `crier preview <url|file> [--template T] [--include W]... [--exclude W]... [--max-hashtags N]
// [--limit N] [--json]`: the posts Crier would make for a feed's newest items, and the items
// its filters would skip, with the reasons. Nothing is posted.
import type { PreviewResult } from '../../preload/contract';
import { compileFilters } from '../core/compose/filters';
import { DEFAULT_PREVIEW_LIMIT, previewItems } from '../core/compose/preview';
import { checkTemplate } from '../core/compose/template';
import { MAX_POST_WEIGHT } from '../core/compose/weighted-length';
import { DEFAULT_MAX_HASHTAGS, DEFAULT_TEMPLATE } from '../core/defaults';
import { PreviewRequestSchema, validate } from '../core/schemas';
import { CliError, printJson, type CliContext } from './context';
import { readFeed, terminalSafe } from './feed-source';

const USAGE = 'usage: crier preview <url|file> [--template T] [--include W]... [--exclude W]... [--max-hashtags N] [--limit N] [--json]';

export interface PreviewArgs {
  source: string;
  template: string;
  include: string[];
  exclude: string[];
  maxHashtags: number;
  limit: number;
  json: boolean;
}

const OptionsSchema = PreviewRequestSchema.omit({ url: true });

function count(flag: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new CliError(`preview: ${flag} takes a whole number from 0 to ${max}, not "${value}"`);
  return Number(value);
}

/** Reads the command line; `--opt value` and `--opt=value` both work, and --include/--exclude repeat. */
export function parseArgs(args: readonly string[]): PreviewArgs {
  const out: Omit<PreviewArgs, 'source'> = { template: DEFAULT_TEMPLATE, include: [], exclude: [], maxHashtags: DEFAULT_MAX_HASHTAGS, limit: DEFAULT_PREVIEW_LIMIT, json: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') {
      out.json = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (!['--template', '--include', '--exclude', '--max-hashtags', '--limit'].includes(flag)) throw new CliError(`preview: unknown option ${flag}; ${USAGE}`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = args[++i];
      if (next === undefined) throw new CliError(`preview: ${flag} needs a value`);
      value = next;
    }
    if (flag === '--template') out.template = value;
    else if (flag === '--include') out.include.push(value);
    else if (flag === '--exclude') out.exclude.push(value);
    else if (flag === '--max-hashtags') out.maxHashtags = count(flag, value, 10);
    else out.limit = count(flag, value, 1000);
  }
  const [source, ...extra] = positional;
  if (source === undefined || source.trim() === '' || extra.length > 0) throw new CliError(USAGE);
  return { source, ...out };
}

export function formatPreview(result: PreviewResult): string {
  const lines: string[] = [];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${terminalSafe(result.feedTitle ?? '(untitled feed)')}: ${plural(result.posts.length, 'post')}, ${result.skipped.length} skipped`);
  result.posts.forEach((post, i) => {
    lines.push('', `#${i + 1}  ${post.weightedLength}/${MAX_POST_WEIGHT}  ${terminalSafe(post.itemId)}`);
    for (const line of terminalSafe(post.text, true).split('\n')) lines.push(`    ${line}`);
    if (post.imageUrl) lines.push(`    [image: ${terminalSafe(post.imageUrl)}]`);
  });
  if (result.skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const skip of result.skipped) lines.push(`  - ${terminalSafe(skip.itemTitle || skip.itemId)} — ${terminalSafe(skip.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const opts = parseArgs(args.slice(1));
  // Bad options fail before anything is fetched, as one line each (CommandError, via cli.ts).
  validate(OptionsSchema, { template: opts.template, include: opts.include, exclude: opts.exclude, maxHashtags: opts.maxHashtags });
  checkTemplate(opts.template);
  compileFilters(opts.include, opts.exclude);

  const feed = await readFeed(opts.source);
  const result = previewItems(feed, opts);
  if (opts.json) {
    printJson(ctx, {
      posts: result.posts.map(({ itemId, text, weightedLength, imageUrl }) => ({ itemId, text, weightedLength, imageUrl })),
      skipped: result.skipped.map(({ itemId, reason }) => ({ itemId, reason })),
    });
  } else {
    ctx.stdout.write(formatPreview(result));
  }
  return 0;
}
