// What the feeds layer hands the rest of the engine: normalised, untrusted-text-cleaned items.

/**
 * Where an item's id came from: the feed's own (guid, Atom id, rdf:about, JSON Feed id), the
 * item's link (no id given), or a hash of title and date (neither given). Only a feed id
 * identifies an item on its own; see new-items.ts for what each means for "seen".
 */
export type IdSource = 'feed' | 'link' | 'hash';

export interface FeedItem {
  id: string;
  idFrom: IdSource;
  title: string;
  /** http(s) only, absolute; anything else becomes null. */
  link: string | null;
  /** ISO 8601 UTC, or null when the feed's date is missing or unreadable. */
  published: string | null;
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
  /** Injectable: Electron's net.fetch drops in here. */
  fetch?: typeof globalThis.fetch;
  /** Defaults to USER_AGENT (main/version.ts). */
  userAgent?: string;
}

/** Turns raw feed bytes into a NormalizedFeed off the event loop (see executor.ts). */
export interface FeedParser {
  parse(bytes: Uint8Array, contentType: string | null, baseUrl: string): Promise<NormalizedFeed>;
  close(): Promise<void>;
}
