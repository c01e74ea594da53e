// feedsmith's raw shapes → NormalizedFeed. Pure: data in, data out. The rules live in
// ARCHITECTURE.md ("Text from feeds") and the feeds issue: text cleaned, links resolved against
// xml:base and the document URL (http(s) only), dates to ISO UTC or null, ids with a stable
// fallback, one image picked, summaries capped to what a post can use.
//
// Each item is first read into what its key (id, link, date) needs — cheap — and the costly rest
// (cleaning title, summary, author and categories, picking the image) runs only for items a
// caller needs whole (normalizeForPoll).
import { createHash } from 'node:crypto';
import type { AnyFeed, AtomFeed, DcNs, DcTermsNs, JsonFeed, MediaNs, RdfFeed, RssFeed } from 'feedsmith';
import { toIsoUtc } from './dates';
import { childBase, httpUrl } from './links';
import { authorName, capText, htmlToText, plainText } from './text';
import { keysDistinct, newestLast } from './new-items';
import type { FeedItem, ItemKey, NormalizedFeed, PolledFeed, PolledItem, Selection } from './types';

/** Posts are at most 280 characters: a summary longer than this is never used. */
export const SUMMARY_MAX = 1000;
export const TITLE_MAX = 1000;
const CATEGORIES_MAX = 50;
// Markup beyond this is never going to survive the summary cap: cut before stripping, so a
// feed of multi-megabyte items costs no more than a feed of short ones.
const RAW_TEXT_MAX = 32 * 1024;

/** A piece of feed text and whether the feed declared it plain (Atom type="text"). */
interface Text { value: string; plain: boolean }

/** What an item's key is made of: read for every item. */
interface ItemParts {
  id: string | undefined;
  title: Text | undefined;
  link: string | null;
  dates: Array<string | undefined>;
  /** The rest, read only for an item needed whole. */
  rest: () => ItemRest;
}

interface ItemRest {
  summary: Text | undefined;
  author: string | undefined;
  categories: Array<string | undefined>;
  image: string | null;
}

/** A feed read into its parts: what normalizeFeed and normalizeForPoll finish. */
interface FeedParts { title: string | null; link: string | null; items: ItemParts[] }

const html = (value: string | undefined): Text | undefined => (value === undefined ? undefined : { value, plain: false });

function cleanText(text: Text | undefined, max: number): string {
  if (!text || typeof text.value !== 'string') return '';
  const raw = text.value.length > RAW_TEXT_MAX ? text.value.slice(0, RAW_TEXT_MAX) : text.value;
  return capText(text.plain ? plainText(raw) : htmlToText(raw), max);
}

function atomText(t: AtomFeed.Text | AtomFeed.Content | undefined): Text | undefined {
  if (!t || typeof t.value !== 'string') return undefined;
  const type = (t.type ?? '').toLowerCase();
  if (type === 'text' || type === 'text/plain') return { value: t.value, plain: true };
  // html, xhtml, their MIME forms, and untyped (read as HTML, like every other feed text).
  if (type === '' || type.includes('html') || type.includes('xml')) return { value: t.value, plain: false };
  return undefined;
}

function firstText(...candidates: Array<Text | undefined>): Text | undefined {
  return candidates.find((t) => t !== undefined && t.value.trim() !== '');
}

function first<T>(list: T[] | undefined): T | undefined {
  return list?.[0];
}

function stableId(title: string, published: string | null): string {
  return `sha256:${createHash('sha256').update(`${title}\n${published ?? ''}`).digest('hex').slice(0, 32)}`;
}

function firstDate(dates: Array<string | undefined>): string | null {
  for (const raw of dates) {
    const iso = toIsoUtc(raw);
    if (iso !== null) return iso;
  }
  return null;
}

/** The item's key; the title is cleaned here only when the id must be a hash of it. */
function keyOf(parts: ItemParts): ItemKey {
  const published = firstDate(parts.dates);
  const own = typeof parts.id === 'string' ? parts.id.trim() : '';
  if (own !== '') return { id: own, idFrom: 'feed', link: parts.link, published };
  if (parts.link) return { id: parts.link, idFrom: 'link', link: parts.link, published };
  return { id: stableId(cleanText(parts.title, TITLE_MAX), published), idFrom: 'hash', link: parts.link, published };
}

function finish(parts: ItemParts, key: ItemKey): FeedItem {
  const rest = parts.rest();
  const categories = [...new Set(rest.categories.map((c) => (c === undefined ? '' : htmlToText(c))).filter(Boolean))]
    .slice(0, CATEGORIES_MAX);
  const author = rest.author === undefined ? '' : authorName(htmlToText(rest.author));
  return {
    id: key.id, idFrom: key.idFrom, title: cleanText(parts.title, TITLE_MAX), link: key.link, published: key.published,
    summary: cleanText(rest.summary, SUMMARY_MAX),
    author: author === '' ? null : capText(author, 200),
    categories, image: rest.image,
  };
}

// ---- images ----

const isImageType = (type: string | undefined): boolean => typeof type === 'string' && /^image\//i.test(type.trim());

function mediaImage(media: MediaNs.ItemOrFeed | undefined, base: string | null): string | null {
  if (!media) return null;
  const contents = [...(media.contents ?? []), ...(media.groups ?? []).flatMap((g) => g.contents ?? [])];
  const thumbnails = [
    ...(media.thumbnails ?? []),
    ...(media.groups ?? []).flatMap((g) => g.thumbnails ?? []),
    ...contents.flatMap((c) => c.thumbnails ?? []),
  ];
  for (const t of thumbnails) {
    const url = httpUrl(t.url, base);
    if (url) return url;
  }
  for (const c of contents) {
    if (c.medium?.toLowerCase() === 'image' || isImageType(c.type)) {
      const url = httpUrl(c.url, base);
      if (url) return url;
    }
  }
  return null;
}

function enclosureImage(enclosures: Array<{ url?: string; type?: string }> | undefined, base: string | null): string | null {
  for (const e of enclosures ?? []) {
    if (isImageType(e.type)) {
      const url = httpUrl(e.url, base);
      if (url) return url;
    }
  }
  return null;
}

// ---- dates shared by the Dublin Core modules ----

function dcDates(dc: DcNs.ItemOrFeed<string> | undefined, dcterms: DcTermsNs.ItemOrFeed<string> | undefined): Array<string | undefined> {
  return [first(dc?.dates), first(dcterms?.issued), first(dcterms?.created), first(dcterms?.dates), first(dcterms?.available)];
}

// ---- Atom ----

type AtomLink = { href?: string; rel?: string; type?: string };

/** The entry's page: rel="alternate" (or no rel), HTML first; never self/enclosure/edit. */
function alternateLink(links: AtomLink[] | undefined, base: string | null): string | null {
  const alternates = (links ?? []).filter((l) => !l.rel || l.rel.toLowerCase() === 'alternate');
  const ordered = [...alternates.filter((l) => !l.type || /html/i.test(l.type)), ...alternates];
  for (const l of ordered) {
    const url = httpUrl(l.href, base);
    if (url) return url;
  }
  return null;
}

type AtomPerson = { name?: string; email?: string };

function personName(people: AtomPerson[] | undefined): string | undefined {
  const person = people?.find((p) => (p.name ?? p.email ?? '').trim() !== '');
  return person ? (person.name?.trim() || person.email) : undefined;
}

// RFC 4287 §4.2.1: an entry without atom:author takes its atom:source's authors, then the feed's.
function atomEntry(entry: AtomFeed.Entry<string>, feedBase: string | null, feedAuthors: AtomPerson[] | undefined): ItemParts {
  const base = childBase(entry.xml?.base, feedBase);
  return {
    id: entry.id,
    title: firstText(atomText(entry.title), html(first(entry.dc?.titles))),
    link: alternateLink(entry.links, base),
    dates: [entry.published, ...dcDates(entry.dc, entry.dcterms), entry.updated, first(entry.dcterms?.modified)],
    rest: () => {
      const enclosures = (entry.links ?? []).filter((l) => l.rel?.toLowerCase() === 'enclosure').map((l) => ({ url: l.href, type: l.type }));
      return {
        summary: firstText(atomText(entry.summary), atomText(entry.content), html(entry.media?.description?.value)),
        author: personName(entry.authors) ?? personName(entry.source?.authors) ?? first(entry.dc?.creators) ?? personName(feedAuthors),
        categories: [...(entry.categories ?? []).map((c) => c.label ?? c.term), ...(entry.dc?.subjects ?? [])],
        image: mediaImage(entry.media, base) ?? enclosureImage(enclosures, base),
      };
    },
  };
}

function atomFeed(feed: AtomFeed.Feed<string>, documentUrl: string): FeedParts {
  const base = childBase(feed.xml?.base, documentUrl);
  const title = cleanText(firstText(atomText(feed.title), html(first(feed.dc?.titles))), TITLE_MAX);
  return {
    title: title || null,
    link: alternateLink(feed.links, base),
    items: (feed.entries ?? []).map((e) => atomEntry(e, base, feed.authors)),
  };
}

// ---- RSS 0.9x / 2.0 ----

function rssItem(item: RssFeed.Item<string>, feedBase: string | null): ItemParts {
  const base = childBase(item.xml?.base, feedBase);
  const guid = item.guid?.value;
  const guidLink = item.guid && item.guid.isPermaLink !== false && /^https?:\/\//i.test(guid ?? '') ? httpUrl(guid, base) : null;
  const atom = item.atom;
  return {
    id: guid ?? atom?.id ?? first(item.dc?.identifiers),
    title: firstText(html(item.title), html(first(item.dc?.titles)), atomText(atom?.title), html(item.media?.title?.value),
      html(item.itunes?.title)),
    link: httpUrl(item.link, base) ?? alternateLink(atom?.links, base) ?? guidLink,
    dates: [item.pubDate, ...dcDates(item.dc, item.dcterms), atom?.published, first(item.dcterms?.modified), atom?.updated],
    rest: () => {
      const author = first(item.authors);
      return {
        summary: firstText(html(item.description), html(item.content?.encoded), atomText(atom?.summary), atomText(atom?.content),
          html(item.media?.description?.value), html(first(item.dc?.descriptions))),
        author: author?.name ?? author?.email ?? first(item.dc?.creators) ?? personName(atom?.authors) ?? item.itunes?.author,
        categories: [...(item.categories ?? []).map((c) => c.name), ...(item.dc?.subjects ?? [])],
        image: mediaImage(item.media, base) ?? enclosureImage(item.enclosures, base),
      };
    },
  };
}

function rssFeed(feed: RssFeed.Feed<string>, documentUrl: string): FeedParts {
  const base = childBase(feed.xml?.base, documentUrl);
  const title = cleanText(firstText(html(feed.title), html(first(feed.dc?.titles)), atomText(feed.atom?.title)), TITLE_MAX);
  return {
    title: title || null,
    link: httpUrl(feed.link, base) ?? alternateLink(feed.atom?.links, base),
    items: (feed.items ?? []).map((i) => rssItem(i, base)),
  };
}

// ---- RSS 1.0 / RDF (and RSS 0.90) ----

function rdfItem(item: RdfFeed.Item<string>, feedBase: string | null): ItemParts {
  const base = childBase(item.xml?.base, feedBase);
  return {
    id: item.rdf?.about ?? first(item.dc?.identifiers),
    title: firstText(html(item.title), html(first(item.dc?.titles))),
    link: httpUrl(item.link, base) ?? httpUrl(item.rdf?.about, base),
    dates: [...dcDates(item.dc, item.dcterms), first(item.dcterms?.modified)],
    rest: () => ({
      summary: firstText(html(item.description), html(item.content?.encoded), html(first(item.dc?.descriptions))),
      author: first(item.dc?.creators),
      categories: [...(item.dc?.subjects ?? [])],
      image: mediaImage(item.media, base),
    }),
  };
}

function rdfFeed(feed: RdfFeed.Feed<string>, documentUrl: string): FeedParts {
  const base = childBase(feed.xml?.base, documentUrl);
  const title = cleanText(firstText(html(feed.title), html(first(feed.dc?.titles))), TITLE_MAX);
  return {
    title: title || null,
    link: httpUrl(feed.link, base),
    items: (feed.items ?? []).map((i) => rdfItem(i, base)),
  };
}

// ---- JSON Feed ----

function jsonItem(item: JsonFeed.Item<string>, base: string | null): ItemParts {
  return {
    id: item.id === undefined ? undefined : String(item.id),
    title: html(item.title),
    link: httpUrl(item.url, base) ?? httpUrl(item.external_url, base),
    dates: [item.date_published, item.date_modified],
    rest: () => {
      const attachment = (item.attachments ?? []).find((a) => isImageType(a.mime_type));
      return {
        summary: firstText(html(item.summary), item.content_text === undefined ? undefined : { value: item.content_text, plain: true },
          html(item.content_html)),
        author: first(item.authors)?.name,
        categories: item.tags ?? [],
        image: httpUrl(item.image, base) ?? httpUrl(item.banner_image, base) ?? httpUrl(attachment?.url, base),
      };
    },
  };
}

function jsonFeed(feed: JsonFeed.Feed<string>, documentUrl: string): FeedParts {
  const title = cleanText(html(feed.title), TITLE_MAX);
  return {
    title: title || null,
    link: httpUrl(feed.home_page_url, documentUrl),
    items: (feed.items ?? []).map((i) => jsonItem(i, documentUrl)),
  };
}

function feedParts(parsed: AnyFeed, documentUrl: string): FeedParts {
  switch (parsed.format) {
    case 'atom': return atomFeed(parsed.feed, documentUrl);
    case 'rss': return rssFeed(parsed.feed, documentUrl);
    case 'rdf': return rdfFeed(parsed.feed, documentUrl);
    case 'json': return jsonFeed(parsed.feed, documentUrl);
  }
}

/** feedsmith's parseFeed output → the normalised feed; `documentUrl` is the base for relative links. */
export function normalizeFeed(parsed: AnyFeed, documentUrl: string): NormalizedFeed {
  const { title, link, items } = feedParts(parsed, documentUrl);
  return { title, link, items: items.map((parts) => finish(parts, keyOf(parts))) };
}

/** Which items `selection` needs whole, as a test on each key. */
function wholeTest(keys: readonly ItemKey[], selection: Selection): (key: ItemKey) => boolean {
  if (selection.kind === 'unseen') {
    const known = new Set(selection.knownIds);
    return (key) => !known.has(key.id);
  }
  // The same order, and the same cut, as a first poll's intake (takeIn in intake.ts).
  const ordered = newestLast(keys);
  const posted = new Set(selection.newest > 0 ? ordered.slice(Math.max(0, ordered.length - selection.newest)) : []);
  return (key) => posted.has(key);
}

/** A poll's plan for a document: every item's key (document order), and which of them `selection` needs whole. */
export interface PollPlan { title: string | null; link: string | null; keys: ItemKey[]; wanted: number[] }

export function pollPlan(parsed: AnyFeed, documentUrl: string, selection: Selection): PollPlan {
  const { title, link, items } = feedParts(parsed, documentUrl);
  const keys = items.map(keyOf);
  const whole = wholeTest(keys, selection);
  return { title, link, keys, wanted: keys.flatMap((key, i) => (whole(key) ? [i] : [])) };
}

/** Like normalizeFeed, but items `selection` does not need whole come back as their keys alone. */
export function normalizeForPoll(parsed: AnyFeed, documentUrl: string, selection: Selection): PolledFeed {
  const { title, link, items } = feedParts(parsed, documentUrl);
  const keys = items.map(keyOf);
  const whole = wholeTest(keys, selection);
  return {
    title, link,
    items: keys.map((key, i): PolledItem => (whole(key) ? finish(items[i]!, key) : { ...key, keyOnly: true })),
    distinct: keysDistinct(keys),
  };
}
