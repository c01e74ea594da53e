// The scheduler: each enabled feed polls on its interval (with jitter), a failing feed backs
// off, at most maxConcurrentFetches fetches run at once and one per feed. A poll hands new
// items to `enqueue` as pending tasks and returns: it never waits for a post.
import { randomUUID } from 'node:crypto';
import type { Feed, Notice, Settings, Task } from '../../../preload/contract';
import { emptyHealth } from '../defaults';
import { CommandError } from '../errors';
import { firstPollTimes } from '../feed-import';
import type { Clock, Logger } from '../ports';
import type { EngineStore, FeedConfig, FeedRuntime, SeenRecord } from '../store/types';
import { fetchFeed } from './fetch';
import { createFetchLimiter } from './fetch-limiter';
import { mergeSkips, pollSelection, repostOf, takeIn } from './intake';
import { sameSeen } from './new-items';
import { baselineLogShare, overflow, SKIP_LOG_PER_FEED, SKIP_LOG_TOTAL, skippedFields } from './skip-log';
import { delayAfterFailure, delayAfterSuccess } from './poll-schedule';
import { planAfterWake } from './wake-plan';
import { FeedError, type FeedItem, type FeedParser, type FetchResult, type NormalizedFeed, type PolledFeed, type Validators } from './types';

/** What a task was composed from: the item and the title the feed's posts name it by. */
export interface ItemSource { item: FeedItem; feedTitle: string | null }

export interface PollerDeps {
  clock: Clock;
  log: Logger;
  store: EngineStore;
  parser: FeedParser;
  /** The fetch port: Node's fetch in the CLI and server, Electron's net.fetch in the desktop app. */
  fetch?: typeof globalThis.fetch;
  random: () => number;
  /** Where new items go, as pending tasks with their text composed. */
  /**
   * A new item's task, composed for X; `source` (the item and the feed's title) lets the service
   * compose it again for each other network the feed posts to.
   */
  enqueue(task: Task, source?: ItemSource): void;
  /** A feed answered, so the network is there (ends an offline pause). */
  online(): void;
  /** A feed's health, title, skips or address changed. */
  feedChanged(feed: Feed): void;
  /** `key`: a later notice of the same kind and key replaces this one. */
  notice(kind: Notice['kind'], message: string, key?: string): void;
}

export interface Poller {
  /** Arms a timer for every enabled feed at its next poll time; feeds never planned spread from now. */
  start(): void;
  /** Polls now; joins a poll of the same feed already running. */
  poll(feedId: string): Promise<void>;
  /** Polls again at `atMs`, or at once; `forgetValidators` after the address changed. */
  replan(feedId: string, atMs: number, options?: { forgetValidators?: boolean }): void;
  /**
   * Arms new feeds' first polls, each at its time, recorded as its next poll; no feedChanged
   * (the caller announces the new feeds). Cheaper than replan per feed for an import of thousands.
   */
  planFirstPolls(plan: ReadonlyArray<{ feedId: string; atMs: number }>): void;
  /** No more polls of this feed (disabled or removed). */
  unschedule(feedId: string): void;
  /** The machine woke: overdue polls run within seconds, spread (wake-plan.ts); the rest re-armed. */
  wake(): void;
  /** One unconditional fetch and parse, for previews; null when the server answers 304. */
  read(url: string): Promise<NormalizedFeed | null>;
  /**
   * One unconditional fetch for a preview, not parsed. `capped`: it waits for a slot under
   * maxConcurrentFetches like a poll (autodiscovery's extra requests).
   */
  fetchOnce(url: string, options?: { capped?: boolean }): Promise<FetchResult>;
  settingsChanged(settings: Settings): void;
  close(): void;
}

export function runtimeOf(store: Pick<EngineStore, 'getFeedRuntime'>, feedId: string): FeedRuntime {
  return store.getFeedRuntime(feedId) ?? { title: null, validators: { etag: null, lastModified: null }, health: emptyHealth(), recentSkips: [] };
}

/** The Feed a view sees: what the user configured plus what polling learnt. */
export function toFeed(store: Pick<EngineStore, 'getFeedRuntime'>, config: FeedConfig): Feed {
  const rt = runtimeOf(store, config.id);
  return { ...config, title: rt.title, health: rt.health, recentSkips: rt.recentSkips };
}

/**
 * How many fetched bodies may wait for a parse worker before a poll keeps its fetch slot through
 * its parse: enough that a worker finishing finds the next body there (workers waited for bodies a
 * third of a 300-feed first cycle otherwise), few enough that bodies do not pile up in memory.
 */
export const PARSE_BACKLOG = 4;

export function createPoller(deps: PollerDeps): Poller {
  const { clock, log, store, random } = deps;
  const iso = (ms = clock.now()): string => new Date(ms).toISOString();
  const limiter = createFetchLimiter(store.getSettings().maxConcurrentFetches);
  const timers = new Map<string, () => void>();
  let previewFetches = 0;
  let started = false;
  let closed = false;

  // By id, rebuilt when the list changes (the store hands out one array until setFeeds): a cycle
  // of N polls asks several times each, and a search of the list each time made it quadratic.
  let byId: { list: readonly FeedConfig[]; map: Map<string, FeedConfig> } | null = null;
  const configOf = (feedId: string): FeedConfig | undefined => {
    const list = store.getFeeds();
    if (byId?.list !== list) byId = { list, map: new Map(list.map((f) => [f.id, f])) };
    return byId.map.get(feedId);
  };

  function updateRuntime(feedId: string, change: (rt: FeedRuntime) => FeedRuntime): void {
    store.putFeedRuntime(feedId, change(runtimeOf(store, feedId)));
    const config = configOf(feedId);
    if (config) deps.feedChanged(toFeed(store, config));
  }

  function unschedule(feedId: string): void {
    timers.get(feedId)?.();
    timers.delete(feedId);
  }

  function schedule(feedId: string, atMs: number): void {
    unschedule(feedId);
    if (closed || !started) return;
    timers.set(feedId, clock.setTimeout(() => {
      timers.delete(feedId);
      void poll(feedId).catch((err: unknown) => log.error('poll failed', { feedId, error: err instanceof Error ? err.message : String(err) }));
    }, Math.max(0, atMs - clock.now())));
  }

  type Body = Extract<FetchResult, { kind: 'ok' }>;
  async function fetchAndParse<T>(url: string, validators: Validators | undefined, parse: (ok: Body) => Promise<T>,
    fetched: () => void = () => {}): Promise<{ result: FetchResult; parsed: T | null }> {
    const s = store.getSettings();
    const result = await fetchFeed(url, {
      validators,
      timeoutMs: s.fetchTimeoutSeconds * 1000,
      maxBytes: s.maxFeedBytes,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    // The body is here: the next fetch may start while this one waits for a parse worker, unless
    // bodies already wait (held by the slot, their number stays bounded).
    if ((deps.parser.waiting?.() ?? PARSE_BACKLOG) < PARSE_BACKLOG) fetched();
    if (result.kind === 'not-modified') return { result, parsed: null };
    return { result, parsed: await parse(result) };
  }

  function poll(feedId: string): Promise<void> {
    return limiter.run(feedId, (fetched) => pollOnce(feedId, fetched));
  }

  async function pollOnce(feedId: string, fetched: () => void): Promise<void> {
    const before = configOf(feedId);
    if (!before || closed) return;
    const startedAt = clock.now();
    try {
      // The first poll is unconditional: it sets the baseline of seen items. The worker is told
      // what the seen record (read once, here) makes certain, so it normalises only what may post.
      const seen = store.getSeen(feedId);
      const selection = pollSelection(seen, before.backfill, repostOf(before, iso(startedAt)), baselineLogShare(store.getFeeds().length));
      const { result, parsed } = await fetchAndParse(before.url, seen ? runtimeOf(store, feedId).validators : undefined,
        (ok) => deps.parser.parseForPoll(ok.body, ok.contentType, ok.finalUrl, selection), fetched);
      const config = configOf(feedId);
      if (!config || closed) return; // removed, or Crier closing, while fetching
      // Not over an address the user typed while this fetch of the old one was under way.
      if (config.url === before.url) followPermanentRedirect(config, result.permanentRedirect);
      deps.online();
      // The address the document came from: what was fetched (the user may have edited the URL
      // meanwhile), or where a permanent redirect led. takeIn compares it with the seen ids' own.
      // The backfill the selection was made for: a first poll posts the newest it says.
      if (parsed) intake({ ...config, backfill: before.backfill }, parsed, seen, result.kind === 'ok' ? result.validators : null, result.permanentRedirect ?? before.url);
      const now = clock.now();
      updateRuntime(feedId, (rt) => ({
        ...rt,
        health: {
          lastFetchedAt: iso(now), lastStatus: result.status, lastError: null, consecutiveFailures: 0,
          nextPollAt: iso(now + delayAfterSuccess(config.intervalMinutes, random)),
        },
      }));
    } catch (err) {
      const config = configOf(feedId);
      if (!config || closed) return;
      if (err instanceof FeedError) log.warn('feed failed', { feedId, kind: err.kind, message: err.message });
      else log.error('poll crashed', { feedId, error: err instanceof Error ? err.stack : String(err) });
      updateRuntime(feedId, (rt) => {
        const failures = rt.health.consecutiveFailures + 1;
        return {
          ...rt,
          health: {
            lastFetchedAt: iso(startedAt), lastStatus: err instanceof FeedError ? (err.status ?? null) : null,
            // A rule the feed's settings break (a filter saved by an older build that this one
            // refuses) is the user's to fix: say which, not "unexpected".
            lastError: err instanceof FeedError ? err.message
              : err instanceof CommandError ? `This feed's settings need a fix: ${err.message}`
                : 'Unexpected error while reading the feed.',
            consecutiveFailures: failures,
            nextPollAt: iso(clock.now() + delayAfterFailure(config.intervalMinutes, failures, random)),
          },
        };
      });
    } finally {
      const config = closed ? undefined : configOf(feedId);
      const next = config?.enabled ? runtimeOf(store, feedId).health.nextPollAt : null;
      if (next) schedule(feedId, Date.parse(next));
    }
  }

  function followPermanentRedirect(config: FeedConfig, moved: string | null): void {
    if (!moved || moved === config.url) return;
    const name = config.name ?? config.url;
    if (store.getFeeds().some((f) => f.url === moved)) {
      deps.notice('feed-moved', `${name} moved permanently to ${moved}, which another of your feeds already follows; you may want to remove one of them.`, config.id);
      return;
    }
    // Not awaited (a poll answers no one); a failed write is logged and the next change writes the list again.
    store.setFeeds(store.getFeeds().map((f) => (f.id === config.id ? { ...config, url: moved } : f)))
      .catch((error: unknown) => log.error('could not save a feed\'s new address', { feedId: config.id, error: String(error) }));
    deps.notice('feed-moved', `${name} moved permanently to ${moved}; Crier now uses the new address.`, config.id);
  }

  function intake(config: FeedConfig, parsed: PolledFeed, previous: SeenRecord | undefined, validators: Validators | null, address: string): void {
    const now = iso();
    const { drafts, skips, logged, seen } = takeIn(config, parsed.title, parsed, previous, now, address, baselineLogShare(store.getFeeds().length));
    for (const draft of drafts) {
      deps.enqueue({
        id: randomUUID(), feedId: config.id, itemId: draft.item.id,
        itemTitle: draft.item.title || draft.item.link || draft.item.id, itemLink: draft.item.link,
        text: draft.text, imageUrl: draft.imageUrl, status: 'pending', attempts: 0, nextAttemptAt: null,
        error: null, postId: null, postUrl: null, dryRun: false, note: null, createdAt: now, updatedAt: now,
      }, { item: draft.item, feedTitle: config.name ?? parsed.title });
    }
    // Seen ids are written after the tasks exist, so a crash in between repeats the intake
    // (and X's duplicate answer confirms) rather than losing items.
    // Unchanged (the same items served again without validators) is not written again.
    if (!previous || !sameSeen(previous, seen)) store.putSeen(config.id, seen);
    if (logged.length > 0) {
      store.addSkipped(logged.map(({ item, reason }) => ({ id: randomUUID(), feedId: config.id, reason, at: now, item: skippedFields(item) })));
      // Read whole only when past a bound: every feed's intake reading 5,000 entries made a cycle quadratic.
      if (store.skippedCount(config.id) > SKIP_LOG_PER_FEED || store.skippedCount() > SKIP_LOG_TOTAL) store.removeSkipped(overflow(store.getSkipped()));
    }
    const rt = runtimeOf(store, config.id);
    store.putFeedRuntime(config.id, {
      ...rt,
      title: parsed.title,
      ...(validators ? { validators } : {}),
      recentSkips: skips.length ? mergeSkips(rt.recentSkips, skips) : rt.recentSkips,
    });
  }

  return {
    start() {
      if (started || closed) return;
      started = true;
      const unplanned: FeedConfig[] = [];
      for (const config of store.getFeeds()) {
        if (!config.enabled) continue;
        const next = runtimeOf(store, config.id).health.nextPollAt;
        if (next) schedule(config.id, Date.parse(next));
        else unplanned.push(config);
      }
      // Feeds never planned (imported while Crier was stopped, say) start spread as an import's do.
      for (const { feedId, atMs } of firstPollTimes(unplanned, clock.now())) schedule(feedId, atMs);
    },
    poll,
    replan(feedId, atMs, options = {}) {
      updateRuntime(feedId, (rt) => ({
        ...rt,
        // Another address's ETag means nothing here; the seen ids stay, so nothing is posted twice.
        ...(options.forgetValidators ? { validators: { etag: null, lastModified: null } } : {}),
        health: { ...rt.health, nextPollAt: iso(atMs) },
      }));
      schedule(feedId, atMs);
    },
    wake() {
      if (!started || closed) return;
      const enabled = store.getFeeds().filter((f) => f.enabled);
      const plan = planAfterWake(enabled.map((f) => ({ feedId: f.id, nextPollAt: runtimeOf(store, f.id).health.nextPollAt })), clock.now());
      for (const { feedId, atMs, overdue } of plan) {
        // An overdue feed's "next check" is made true again; the others keep theirs.
        if (overdue) this.replan(feedId, atMs);
        else schedule(feedId, atMs);
      }
      log.info('poller: re-planned after a wake', { overdue: plan.filter((p) => p.overdue).length, feeds: plan.length });
    },
    planFirstPolls(plan) {
      for (const { feedId, atMs } of plan) {
        const rt = runtimeOf(store, feedId);
        store.putFeedRuntime(feedId, { ...rt, health: { ...rt.health, nextPollAt: iso(atMs) } });
        schedule(feedId, atMs);
      }
    },
    unschedule,
    async read(url) {
      return (await fetchAndParse(url, undefined, (ok) => deps.parser.parse(ok.body, ok.contentType, ok.finalUrl))).parsed;
    },
    fetchOnce(url, options = {}) {
      const s = store.getSettings();
      const fetch = (): Promise<FetchResult> => fetchFeed(url, {
        timeoutMs: s.fetchTimeoutSeconds * 1000, maxBytes: s.maxFeedBytes, ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      // A key of its own: each caller owns its body (the parser may take it by transfer).
      return options.capped ? limiter.run(`preview:${++previewFetches}`, fetch) : fetch();
    },
    settingsChanged(settings) {
      limiter.setLimit(settings.maxConcurrentFetches);
    },
    close() {
      closed = true;
      for (const cancel of timers.values()) cancel();
      timers.clear();
    },
  };
}
