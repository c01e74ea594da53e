// UTM tags on the posted link only: the seen record and the task keep the feed's own link, so a
// change of tags never makes an item look new.
import type { UtmTags } from '../../../preload/contract';

const NAMES = ['utm_source', 'utm_medium', 'utm_campaign'] as const;
type Name = (typeof NAMES)[number];

export interface UtmValues { feed: string; date: string }

/** `{feed}` and `{date}` filled in; each value URL-encoded once, as a query value. */
function fill(value: string, values: UtmValues): string {
  return value.replace(/\{(feed|date)\}/g, (_, key: 'feed' | 'date') => values[key]).trim();
}

function decodedName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try { return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase(); } catch { return raw.toLowerCase(); }
}

/**
 * The link with the feed's UTM tags: a tag of the same name already there is replaced, every
 * other part of the query is kept byte for byte, the fragment stays last. A link that is not
 * http(s), or tags that are all empty, leave the link as it is.
 */
export function tagLink(link: string, tags: UtmTags | null | undefined, values: UtmValues): string {
  if (!tags || !/^https?:\/\//i.test(link)) return link;
  const wanted: Array<[Name, string]> = [];
  for (const name of NAMES) {
    const raw = tags[name.slice(4) as 'source' | 'medium' | 'campaign'];
    const value = raw ? fill(raw, values) : '';
    if (value !== '') wanted.push([name, value]);
  }
  if (wanted.length === 0) return link;
  const hashAt = link.indexOf('#');
  const fragment = hashAt === -1 ? '' : link.slice(hashAt);
  const beforeHash = hashAt === -1 ? link : link.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);
  const replaced = new Set<string>(wanted.map(([name]) => name));
  const kept = query === '' ? [] : query.split('&').filter((pair) => pair !== '' && !replaced.has(decodedName(pair)));
  const added = wanted.map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return `${base}?${[...kept, ...added].join('&')}${fragment}`;
}
