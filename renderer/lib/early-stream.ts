// The tasks window's event stream, opened by a tiny script of its own (tasks.early.js) while the
// page's main script is still being fetched, compiled and run: the server's first snapshot is on
// its way during that time instead of after it (issue 13). The HTTP client adopts the stream when
// it asks for the same one, with the events that came meanwhile; a page with the Electron bridge
// (window.crier) never opens one. No imports: the early script stays a few hundred bytes.

/** The stream the tasks window asks for first (its first screenful: see tasks.ts). */
export const EARLY_STREAM_URL = '/api/events?taskLimit=60';

export interface EarlyStream {
  url: string;
  source: EventSource;
  /** The stream's events that arrived before it was adopted, in order. */
  events: MessageEvent[];
  /** Stops keeping events (the adopter listens from now on). */
  stop(): void;
}

declare global {
  interface Window { __crierEarlyStream?: EarlyStream }
}

type Source = Pick<EventSource, 'addEventListener' | 'removeEventListener' | 'close' | 'readyState'>;

/** Keeps `source`'s snapshot and delta events until stopped. */
export function keepEvents(url: string, source: Source): EarlyStream {
  const events: MessageEvent[] = [];
  const keep = (e: Event): void => { events.push(e as MessageEvent); };
  source.addEventListener('snapshot', keep);
  source.addEventListener('delta', keep);
  return {
    url, source: source as EventSource, events,
    stop() { source.removeEventListener('snapshot', keep); source.removeEventListener('delta', keep); },
  };
}

/** Opens the early stream, unless the page talks to Crier through the Electron bridge. */
export function openEarlyStream(win: Window & typeof globalThis = window): void {
  if ('crier' in win || typeof win.EventSource !== 'function' || win.__crierEarlyStream) return;
  win.__crierEarlyStream = keepEvents(EARLY_STREAM_URL, new win.EventSource(EARLY_STREAM_URL, { withCredentials: true }));
}

/**
 * The early stream if it is the one `url` names (taken: a second call gets null), with what it
 * kept; one for another address is closed, unused. Null when there is none.
 */
export function takeEarlyStream(url: string, holder: { __crierEarlyStream?: EarlyStream } = globalThis as { __crierEarlyStream?: EarlyStream }):
  EarlyStream | null {
  const early = holder.__crierEarlyStream;
  if (!early) return null;
  delete holder.__crierEarlyStream;
  early.stop();
  if (early.url === url) return early;
  early.source.close();
  return null;
}
