// What X says about the posting budget left, read from the headers of every answer to
// POST /2/tweets (201s too, not only 429s): the endpoint's 15-minute window (x-rate-limit-*) and
// the 24-hour user and app limits (x-user-limit-24hour-*, x-app-limit-24hour-*). The parsing is
// pure; the board holds the latest numbers for the account and says when they change, so the
// pages get a delta when the budget moves and none for an answer that changed nothing.
import type { AccountQuota, QuotaLimit } from '../../../preload/contract';

type Headers = Record<string, string | string[] | undefined> | undefined;

/** What one answer said; a key is absent when the answer did not carry a readable triple for it. */
export interface QuotaReading {
  window?: QuotaLimit;
  user24h?: QuotaLimit;
  app24h?: QuotaLimit;
}

const PREFIXES = { window: 'x-rate-limit', user24h: 'x-user-limit-24hour', app24h: 'x-app-limit-24hour' } as const;
type Scope = keyof typeof PREFIXES;
const SCOPES = Object.keys(PREFIXES) as Scope[];

/** More than any X tier grants: a limit past it is a garbled header, not a budget. */
const MAX_LIMIT = 100_000_000;
/** A reset further than this from the answer's time (either way) is not a time X would mean. */
const MAX_RESET_DISTANCE_MS = 3 * 86_400_000;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value)?.trim();
}

function count(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_LIMIT ? n : null;
}

/** One limit's triple, or null when any part is missing or absurd (the whole triple is ignored). */
function limitOf(headers: Headers, prefix: string, nowMs: number): QuotaLimit | null {
  const limit = count(header(headers, `${prefix}-limit`));
  const remaining = count(header(headers, `${prefix}-remaining`));
  const reset = header(headers, `${prefix}-reset`);
  if (limit === null || remaining === null || limit === 0 || remaining > limit) return null;
  // Unix seconds, as x-rate-limit-reset always is.
  if (reset === undefined || !/^\d{1,12}$/.test(reset)) return null;
  const resetMs = Number(reset) * 1000;
  if (Math.abs(resetMs - nowMs) > MAX_RESET_DISTANCE_MS) return null;
  return { limit, remaining, resetsAt: new Date(resetMs).toISOString() };
}

/** Reads the three limits from one answer's headers; `nowMs` is when it came (to judge the resets). Pure. */
export function readQuota(headers: Headers, nowMs: number): QuotaReading {
  const out: QuotaReading = {};
  for (const scope of SCOPES) {
    const limit = limitOf(headers, PREFIXES[scope], nowMs);
    if (limit) out[scope] = limit;
  }
  return out;
}

/** Whether an answer is to POST /2/tweets: the other endpoints have windows of their own. */
export function isPostTweets(method: string | undefined, url: URL): boolean {
  return (method ?? '').toUpperCase() === 'POST' && /\/2\/tweets\/?$/.test(url.pathname);
}

const sameLimit = (a: QuotaLimit | null, b: QuotaLimit | null): boolean =>
  a === b || (a !== null && b !== null && a.limit === b.limit && a.remaining === b.remaining && a.resetsAt === b.resetsAt);

export interface QuotaBoard {
  /** Takes one answer's reading; listeners hear of it only when a number changed. */
  record(reading: QuotaReading, atMs: number): void;
  /** The latest numbers (a limit X has not given is null); null before X's first readable answer. */
  current(): AccountQuota | null;
  /** Forgets the numbers: another account is connected, or none. */
  clear(): void;
  onChange(listener: () => void): () => void;
}

export function createQuotaBoard(): QuotaBoard {
  let quota: AccountQuota | null = null;
  const listeners = new Set<() => void>();
  const changed = (): void => { for (const l of listeners) l(); };
  return {
    record(reading, atMs) {
      if (!SCOPES.some((s) => reading[s] !== undefined)) return;
      const before = quota;
      // A limit an answer leaves out keeps its last value: X said it, and it holds until its reset.
      const next: AccountQuota = {
        window: reading.window ?? before?.window ?? null,
        user24h: reading.user24h ?? before?.user24h ?? null,
        app24h: reading.app24h ?? before?.app24h ?? null,
        updatedAt: new Date(atMs).toISOString(),
      };
      quota = next;
      if (!before || SCOPES.some((s) => !sameLimit(before[s] ?? null, next[s] ?? null))) changed();
    },
    current: () => (quota ? { ...quota } : null),
    clear() {
      if (quota === null) return;
      quota = null;
      changed();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
}

/** The quota to put in an AccountState: the key only once X has said something. */
export function quotaField(board: QuotaBoard): { quota?: AccountQuota } {
  const quota = board.current();
  return quota ? { quota } : {};
}
