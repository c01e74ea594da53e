// What `crier parse` and `crier preview` share: reading one feed from a URL or a local file,
// and printing its untrusted text to a terminal.
import { DEFAULT_SETTINGS } from '../core/defaults';
import { createFeedParser } from '../core/feeds/executor';
import { loadFeedSource } from '../core/feeds/source';
import { FeedError, type NormalizedFeed } from '../core/feeds/types';
import { CliError } from './context';

// The CLI reads local files past the poll cap: it is the user's own document.
const LOCAL_MAX_BYTES = 200 * 1024 * 1024;

/** Fetches or reads the feed, parses it off the main thread; a feed failure is one CLI line. */
export async function readFeed(source: string): Promise<NormalizedFeed> {
  const remote = /^https?:\/\//i.test(source);
  const parser = createFeedParser({ workers: 1 });
  try {
    return await loadFeedSource(source, {
      parser,
      timeoutMs: DEFAULT_SETTINGS.fetchTimeoutSeconds * 1000,
      maxBytes: remote ? DEFAULT_SETTINGS.maxFeedBytes : LOCAL_MAX_BYTES,
    });
  } catch (err) {
    if (err instanceof FeedError) throw new CliError(err.message);
    throw err;
  } finally {
    await parser.close();
  }
}

/** Untrusted text for a terminal: control characters shown as U+FFFD, never executed. */
export function terminalSafe(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? /(?!\n)\p{Cc}/gu : /\p{Cc}/gu, '\uFFFD');
}
