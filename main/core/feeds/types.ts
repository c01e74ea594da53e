// What the feeds layer hands the rest of the engine: normalised, untrusted-text-cleaned items.
import type { HttpGet } from './http-get';

/**
 * Where an item's id came from: the feed's own (guid, Atom id, rdf:about, JSON Feed id), the
 * item's link (no id given), or a hash of title and date (neither given). Only a feed id
 * identifies an item on its own; see new-items.ts for what each means for "seen".
 */
export type IdSource = 'feed' | 'link' | 'hash';

/** What names an item and dates it: all the dedupe and the order of posting need. */
export interface ItemKey {
  id: string;
  idFrom: IdSource;
  /** http(s) only, absolute; anything else becomes null. */
  link: string | null;
  /** ISO 8601 UTC, or null when the feed's date is missing or unreadable. */
  published: string | null;
}

export interface FeedItem extends ItemKey {
  title: string;
  /** Plain text, capped to what a post can use. */
  summary: string;
  author: string | null;
  categories: string[];
  /** http(s) image URL, or null. */
  image: string | null;
}

export interface NormalizedFeed {
  title: string | null;
  link: string | null;
  /** Document order. */
  items: FeedItem[];
}

/**
 * An item a poll needs no more of than its key: its id is one the feed has already seen, or it is
 * older than what a first poll posts. The parse worker sends these instead of whole items, so a
 * poll normalises (and copies between threads) only what may become a post.
 */
export interface KeyOnlyItem extends ItemKey { keyOnly: true }

export type PolledItem = FeedItem | KeyOnlyItem;

/** A feed as a poll reads it: whole items where a post may come of them, keys elsewhere. */
export interface PolledFeed {
  title: string | null;
  link: string | null;
  /** Document order. */
  items: PolledItem[];
  /** No two items share an id or a link (keysDistinct in new-items.ts), worked out where the document was parsed. */
  distinct?: boolean;
}

export const isWholeItem = (item: PolledItem): item is FeedItem => !('keyOnly' in item);

/**
 * Which items a poll needs whole. `unseen`: all but those whose id is in `knownIds` (the feed's seen
 * ids: such an item is never new, whatever else it carries). `baseline`: a first poll, which posts
 * at most the newest `newest` items by date (newestLast in new-items.ts) — only those.
 * Anything an intake does with the rest needs only their keys (see intake.ts).
 */
export type Selection =
  | { kind: 'unseen'; knownIds: readonly string[] }
  | { kind: 'baseline'; newest: number };

export type FetchErrorKind =
  | 'invalid-url' | 'dns' | 'refused' | 'timeout' | 'tls' | 'http-status'
  | 'too-large' | 'not-a-feed' | 'parse' | 'redirects' | 'network' | 'file';

/** Errors as values with a kind and a human one-line message. */
export class FeedError extends Error {
  constructor(readonly kind: FetchErrorKind, message: string, readonly status?: number) {
    super(message);
    this.name = 'FeedError';
  }
}

/** Conditional-GET validators remembered per feed. */
export interface Validators { etag: string | null; lastModified: string | null }

export type FetchResult =
  | { kind: 'not-modified'; status: 304; finalUrl: string; permanentRedirect: string | null }
  | { kind: 'ok'; status: number; body: Uint8Array; contentType: string | null; finalUrl: string;
      /** Set when a 301/308 moved the feed: the feed's URL should follow. */
      permanentRedirect: string | null; validators: Validators };

export interface FetchOptions {
  validators?: Validators;
  /** For the whole exchange, body included. */
  timeoutMs: number;
  /** Cap on the decoded body. */
  maxBytes: number;
  /** Injectable: Electron's net.fetch drops in here (http-get.ts fetchGet). */
  fetch?: typeof globalThis.fetch;
  /** Injectable below fetch: the HTTP client itself (tests: undiciGet with a fake resolver). Default: undici's request(). */
  http?: HttpGet;
  /** Defaults to USER_AGENT (main/version.ts). */
  userAgent?: string;
}

/**
 * Turns raw feed bytes into a feed off the event loop (see executor.ts). Both methods take
 * ownership of `bytes`: a worker may receive them by transfer, which leaves the caller's buffer
 * empty (byteLength 0).
 */
export interface FeedParser {
  /** Every item whole: previews, the CLI. */
  parse(bytes: Uint8Array, contentType: string | null, baseUrl: string): Promise<NormalizedFeed>;
  /** What a poll needs: whole items only where `selection` says a post may come of them. */
  parseForPoll(bytes: Uint8Array, contentType: string | null, baseUrl: string, selection: Selection): Promise<PolledFeed>;
  /** Documents waiting for a parse worker (absent: the parser cannot tell, so a poll holds its fetch slot). */
  waiting?(): number;
  close(): Promise<void>;
}
