// What a feed is called in a list of feeds, and which feeds are failing. Two feeds must never look
// the same: a feed without a name or title is called by its host, and two on one host are told
// apart by their paths; two with the same name or title get their address beside it. Pure.
import type { Feed } from '../../preload/contract';

function parts(url: string): { host: string; path: string } | null {
  try {
    const u = new URL(url);
    const path = `${u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '')}${u.search}`;
    return { host: u.host, path };
  } catch {
    return null;
  }
}

/** host + path (+ query), without the scheme: "example.org/blog/feed.xml". */
export function shortAddress(url: string): string {
  const p = parts(url);
  return p ? `${p.host}${p.path}` : url;
}

/** The plain label: the user's name, else the feed's title, else its host. */
export function plainLabel(feed: Pick<Feed, 'name' | 'title' | 'url'>): string {
  if (feed.name) return feed.name;
  if (feed.title) return feed.title;
  return parts(feed.url)?.host || feed.url;
}

/** Each feed's label, made distinct: the same label twice gains the address that tells them apart. */
export function distinctLabels(feeds: readonly Pick<Feed, 'id' | 'name' | 'title' | 'url'>[]): Map<string, string> {
  const plain = new Map(feeds.map((f) => [f.id, plainLabel(f)]));
  const uses = new Map<string, number>();
  for (const label of plain.values()) uses.set(label, (uses.get(label) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const f of feeds) {
    const label = plain.get(f.id) ?? f.url;
    if ((uses.get(label) ?? 0) < 2) { out.set(f.id, label); continue; }
    const named = Boolean(f.name || f.title);
    // An untitled feed's label is its host already: its path is what differs.
    out.set(f.id, named ? `${label} (${shortAddress(f.url)})` : shortAddress(f.url));
  }
  return out;
}

/** Enabled feeds whose last check failed. */
export function failingFeeds<T extends Pick<Feed, 'enabled' | 'health'>>(feeds: readonly T[]): T[] {
  return feeds.filter((f) => f.enabled && f.health.consecutiveFailures > 0);
}

/** Failing feeds first (most failures in a row first), the rest in their own order. */
export function failingFirst<T extends Pick<Feed, 'enabled' | 'health'>>(feeds: readonly T[]): T[] {
  const failing = failingFeeds(feeds);
  if (failing.length === 0) return [...feeds];
  const rest = feeds.filter((f) => !failing.includes(f));
  // A stable sort: equal failures keep the list's order.
  return [...[...failing].sort((a, b) => b.health.consecutiveFailures - a.health.consecutiveFailures), ...rest];
}

/** "2 feeds failing", or null when none is. */
export function failingText(count: number): string | null {
  if (count === 0) return null;
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'feed' : 'feeds'} failing`;
}

/** The same address as far as a person is concerned: scheme and host case, default port, a trailing slash, a fragment. */
export function sameAddress(a: string, b: string): boolean {
  const norm = (u: string): string => {
    try {
      const url = new URL(u.trim());
      url.hash = '';
      return url.href.replace(/\/$/, '');
    } catch {
      return u.trim();
    }
  };
  return norm(a) === norm(b);
}

/** The followed feed (other than `selfId`) at this address, if any. */
export function followedAt<T extends Pick<Feed, 'id' | 'url'>>(url: string, feeds: readonly T[], selfId?: string): T | null {
  if (url.trim() === '') return null;
  return feeds.find((f) => f.id !== selfId && sameAddress(f.url, url)) ?? null;
}
