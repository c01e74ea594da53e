// One feed item → the exact text Crier would post, proven to fit X's 280 weighted characters.
import type { UtmTags } from '../../../preload/contract';
import type { FeedItem } from '../feeds/types';
import { hashtagsFromCategories } from './hashtags';
import { parseTemplate, placeholdersIn, renderTemplate, type Placeholder, type TemplatePart, type TemplateValues } from './template';
import { cutText, largestFitting, shortenToFit } from './truncation';
import { tagLink } from './utm';
import { MAX_POST_WEIGHT, stripInvalidCharacters, weightedLength } from './weighted-length';
import type { LengthRules } from '../networks/types';

export interface ComposeContext {
  template: string; maxHashtags: number; feedTitle: string | null;
  /** Tags for the posted link (utm.ts); the item's own link is what Crier remembers. */
  utm?: UtmTags | null;
  /** The network's length rules (issue 18: Bluesky's graphemes, a Mastodon instance's limit); default X's weighted 280. */
  length?: LengthRules;
}
/** `weightedLength`: the length as the network counts it (X's weighted length by default). */
export interface ComposedPost { text: string; weightedLength: number }

/** X's rules: 280 weighted characters, every link counted as 23. */
export const X_LENGTH: LengthRules = { count: weightedLength, fits: (text) => weightedLength(text) <= MAX_POST_WEIGHT, limit: MAX_POST_WEIGHT };

type FreeField = 'title' | 'summary' | 'author' | 'feed';
// On equal weight the title is cut last: it is what the post is about.
const FREE_FIELDS: readonly FreeField[] = ['summary', 'feed', 'author', 'title'];

let cachedTemplate: { source: string; parts: TemplatePart[] } | null = null;
function parsed(template: string): TemplatePart[] {
  if (cachedTemplate?.source !== template) cachedTemplate = { source: template, parts: parseTemplate(template) };
  return cachedTemplate.parts;
}

/**
 * Feed text is already plain; one line of it, without the characters X refuses or control
 * characters (untrusted text must not steer a terminal that shows the post).
 */
function oneLine(text: string | null): string {
  return stripInvalidCharacters(text ?? '').replace(/\s+/g, ' ').replace(/\p{Cc}/gu, '').trim();
}

/** YYYY-MM-DD (UTC) of an ISO date, '' without one. */
function day(published: string | null): string {
  if (published === null) return '';
  const t = Date.parse(published);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 10);
}

/**
 * The post for `item`, its weight as X counts it (never above 280) and the placeholders filled.
 * Over the limit, the longest free-text field (title, summary, author, feed) is cut at a word
 * boundary with an ellipsis, then the next longest if that was not enough; hashtags are dropped,
 * last first, before the title is cut. Links, hashtags and the date are never cut. Throws a
 * validation CommandError for an invalid template. An item with nothing to say gives ''.
 */
export function composePost(item: FeedItem, ctx: ComposeContext): ComposedPost {
  const length = ctx.length ?? X_LENGTH;
  const parts = parsed(ctx.template);
  const used = placeholdersIn(parts);
  const feed = oneLine(ctx.feedTitle);
  const date = day(item.published);
  const link = tagLink(item.link ?? '', ctx.utm, { feed, date });
  const values: TemplateValues = {
    title: oneLine(item.title),
    link,
    summary: oneLine(item.summary),
    author: oneLine(item.author),
    feed,
    date,
    hashtags: '',
  };
  const free = new Set<FreeField>(FREE_FIELDS.filter((f) => used.has(f)));

  // An empty title borrows the summary (which then is not said twice), else the link — unless
  // the link is in the post already. A borrowed link is a URL: it is never cut.
  if (values.title === '' && used.has('title')) {
    if (values.summary !== '') {
      values.title = values.summary;
      if (used.has('summary')) values.summary = '';
    } else if (!used.has('link')) {
      values.title = link;
      free.delete('title');
    }
  }

  const tags = used.has('hashtags') ? hashtagsFromCategories(item.categories, ctx.maxHashtags) : [];
  const render = (): string => renderTemplate(parts, { ...values, hashtags: tags.join(' ') });
  let text = render();

  const originals = { ...values };
  const settled = new Set<Placeholder>();
  while (!length.fits(text)) {
    const longest = [...free]
      .filter((f) => values[f] !== '' && !settled.has(f))
      .sort((a, b) => weightedLength(values[b]) - weightedLength(values[a]) || FREE_FIELDS.indexOf(a) - FREE_FIELDS.indexOf(b))[0];
    if (tags.length > 0 && (longest === undefined || longest === 'title')) {
      tags.pop();
    } else if (longest !== undefined) {
      settled.add(longest);
      values[longest] = shortenToFit(originals[longest], (candidate) => {
        values[longest] = candidate;
        return length.fits(render());
      });
    } else {
      break;
    }
    text = render();
  }
  if (!length.fits(text)) text = hardCut(text, length);
  return { text, weightedLength: length.count(text) };
}

/**
 * The last resort, for what no field cut can save: a link twitter-text does not see as a URL
 * (say http://localhost/…) counts every character and cannot be shortened as a URL would be.
 */
function hardCut(text: string, length: LengthRules): string {
  const points = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.index).filter((i) => i > 0);
  const keep = largestFitting(points, (k) => length.fits(cutText(text, k)));
  return keep === null ? '' : cutText(text, keep);
}

/** Why an item whose template renders to nothing is skipped (preview and intake say the same). */
export const EMPTY_POST_REASON = 'nothing to post: the template leaves this item empty';
