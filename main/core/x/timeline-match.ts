// Whether a post read back from X's timeline is the text Crier sent. X does not return the text
// as sent: every link is replaced by a t.co link (the original in entities.urls[].expanded_url),
// an attached image adds a t.co link of its own at the end, and &, < and > come back as HTML
// entities. So the comparison puts the links back, drops the media link, decodes the entities,
// and matches the rest exactly (after NFC and trimming, which X applies to what it stores).

export interface TimelineUrl {
  url: string;
  expanded_url?: string;
  display_url?: string;
  /** Present on the link X appends for attached media. */
  media_key?: string;
}

export interface TimelinePost {
  id: string;
  text: string;
  entities?: { urls?: TimelineUrl[] };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** X escapes exactly these three; one pass, so "&amp;lt;" becomes "&lt;" as it was sent. */
export function decodeXEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (m) => ENTITIES[m] ?? m);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isMediaLink(u: TimelineUrl): boolean {
  return u.media_key !== undefined || /\/status\/\d+\/(photo|video)\/\d+$/.test(u.expanded_url ?? '');
}

/**
 * What a link in the text Crier sent may have looked like, given X's entity: the URL as sent
 * (expanded_url), or the same without its scheme, since X links a bare "example.com" too.
 */
function spellings(u: TimelineUrl): string[] {
  const out = new Set<string>();
  const expanded = u.expanded_url ?? u.url;
  out.add(expanded);
  const bare = expanded.replace(/^https?:\/\//i, '');
  out.add(bare);
  // X may add a trailing slash to a bare host.
  if (bare.endsWith('/') && !/\/.+\//.test(bare)) out.add(bare.slice(0, -1));
  return [...out];
}

const normalize = (text: string): string => text.normalize('NFC').trim();

/** True when `post`, as X returns it, is the text Crier sent as `sent`. */
export function isSamePost(sent: string, post: TimelinePost): boolean {
  let text = post.text;
  const urls = (post.entities?.urls ?? []).filter((u) => typeof u.url === 'string' && u.url !== '');
  for (const u of urls.filter(isMediaLink)) text = text.split(u.url).join('');
  const links = urls.filter((u) => !isMediaLink(u));
  // A pattern, not a string: each t.co link stands for one of its spellings; the rest is literal.
  let pattern = escapeRegExp(normalize(decodeXEntities(text)));
  for (const u of links) {
    const choice = `(?:${spellings(u).map(escapeRegExp).join('|')})`;
    pattern = pattern.split(escapeRegExp(u.url)).join(choice);
  }
  return new RegExp(`^${pattern}$`).test(normalize(sent));
}
