// An OPML import as bulk work that never freezes the app (issue 11): the document is read and its
// outlines validated in chunks with the event loop free in between, every new feed is saved in
// one write of feeds.json (the caller's), and the first polls are spread out instead of fired at
// once. What belongs to the service (the store, deltas, the poller) stays there; this holds the
// steps that can be reasoned about alone.
import type { FeedInput, Settings } from '../../preload/contract';
import { newFeedConfig } from './defaults';
import type { OpmlEntry } from './opml';
import { parseFeedInput } from './schemas';
import type { FeedConfig } from './store/types';

/** Outlines validated between two pauses: each a zod parse (a URL parse within) and a config. */
export const OUTLINES_PER_CHUNK = 100;
/** The longest the first polls of an import are spread over, when the feeds' interval is longer. */
export const FIRST_POLL_SPREAD_MS = 5 * 60_000;
/** First polls of an import start at most this often: a small import still polls within seconds. */
export const FIRST_POLL_GAP_MS = 1000;

/** Lets timers, sockets and other requests run: the macrotask after the pending I/O callbacks. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface ImportPlan {
  /** New feeds, in document order, not yet saved. */
  configs: FeedConfig[];
  /** Outlines left out: an unusable URL, or one already followed or repeated in the file. */
  skipped: number;
}

export interface PlanOptions {
  settings: Settings;
  /** The URLs already followed. */
  known: Iterable<string>;
  newId(): string;
  pause(): Promise<void>;
  chunkSize?: number;
}

/** The import's own reading of one outline: its name cut to what a feed name may hold. */
function inputOf(outline: OpmlEntry): FeedInput | null {
  try {
    return parseFeedInput({ url: outline.url, ...(outline.title ? { name: outline.title.slice(0, 200) } : {}) });
  } catch {
    return null;
  }
}

/** Validates the outlines `chunkSize` at a time, pausing in between, into new feed configs. */
export async function planImport(outlines: readonly OpmlEntry[], options: PlanOptions): Promise<ImportPlan> {
  const chunkSize = options.chunkSize ?? OUTLINES_PER_CHUNK;
  const known = new Set(options.known);
  const configs: FeedConfig[] = [];
  let skipped = 0;
  for (let start = 0; start < outlines.length; start += chunkSize) {
    if (start > 0) await options.pause();
    for (const outline of outlines.slice(start, start + chunkSize)) {
      const input = inputOf(outline);
      if (!input || known.has(input.url)) {
        skipped++;
        continue;
      }
      known.add(input.url);
      const { url, ...fields } = input;
      configs.push(newFeedConfig(options.newId(), url, options.settings, fields));
    }
  }
  return { configs, skipped };
}

/**
 * When each new feed of an import polls first: the first at once, the others one after another,
 * FIRST_POLL_GAP_MS apart or closer, so that all have polled within the shortest interval among
 * them or FIRST_POLL_SPREAD_MS, whichever is sooner. 1,000 feeds at 15 minutes: one every 300 ms
 * over 5 minutes; 10 feeds: one a second.
 */
export function firstPollTimes(configs: readonly FeedConfig[], now: number): Array<{ feedId: string; atMs: number }> {
  const enabled = configs.filter((c) => c.enabled);
  if (enabled.length === 0) return [];
  const interval = enabled.reduce((least, c) => Math.min(least, c.intervalMinutes), Infinity) * 60_000;
  const gap = Math.min(FIRST_POLL_GAP_MS, Math.min(interval, FIRST_POLL_SPREAD_MS) / enabled.length);
  return enabled.map((c, i) => ({ feedId: c.id, atMs: now + Math.floor(i * gap) }));
}
