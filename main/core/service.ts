// AppService: the one command/event surface every shell (Electron IPC, HTTP, CLI) uses.
// Commands validate their input here (schemas.ts), change state through the store and the
// queue, and every change leaves as a StateDelta. Polling never waits for posting: a new item
// becomes a pending task and the queue posts it in the background.
import { randomUUID } from 'node:crypto';
import { accountOf, DEFAULT_ACCOUNT_ID } from '../../preload/contract';
import type {
  AccountState, QueueState, Task, ConnectionTestResult, Feed, FeedInput, FeedPatch, FieldIssue, Notice, OpmlImportResult, PreviewOptions,
  PreviewResult, Settings, StateDelta, StateOptions, StateSnapshot,
} from '../../preload/contract';
import type { AccountPort } from './account';
import { createOAuth2Commands, OAUTH2_NOTICE_KEY, type OAuth2CallbackPort } from './oauth2-commands';
import type { AppService } from './app-service';
import { checkTemplate } from './compose/template';
import { compileFilters } from './compose/filters';
import { previewItems, previewNext } from './compose/preview';
import { feedRuleIssues } from './compose/rule-issues';
import { DEFAULT_MAX_HASHTAGS, DEFAULT_TEMPLATE, newFeedConfig } from './defaults';
import { CommandError, validationError } from './errors';
import { readFeedOrPage, type Reading } from './feeds/discover';
import { createPoller, toFeed as feedOfConfig, type ItemSource, type Poller } from './feeds/poller';
import { composeForNetwork, lengthRulesFor, templateFor } from './compose/network-post';
import type { LengthRules } from './networks/types';
import { taskOfSkip } from './feeds/post-skipped';
import { listNewestFirst } from './feeds/skip-log';
import { delayAfterSuccess } from './feeds/poll-schedule';
import { FeedError, type FeedParser } from './feeds/types';
import { firstPollTimes, OUTLINES_PER_CHUNK, planImport, yieldToEventLoop } from './feed-import';
import { exportOpml } from './opml';
import { readOpml } from './opml-scan';
import type { Clock, Logger } from './ports';
import {
  OpmlSchema, parseBlueskyCredentials, parseCredentials, parseMastodonCredentials, parseFeedInput, parseFeedPatch, parseId, parsePreviewRequest,
  parseExportFormat, parseSettingsPatch, parseStateOptions, parseTaskEdit, parseTaskIds, validate,
} from './schemas';
import { createDeltaStream } from './state/delta-stream';
import { createFeedCounter } from './state/feed-counts';
import { newestTasks } from './state/newest-tasks';
import { withNotice } from './state/notices';
import { pruneFailed, pruneHistory } from './store/history';
import type { EngineStore, FeedConfig } from './store/types';
import { requireDeletable } from './tasks/delete-post';
import { exportTasks } from './tasks/export';
import { createTaskQueue } from './tasks/queue';
import type { TaskQueue, TaskRepo } from './tasks/types';
import { sumQueues } from './state/queue-sum';
import { XError } from './x/types';

export interface ServiceDeps {
  clock: Clock;
  log: Logger;
  store: EngineStore;
  parser: FeedParser;
  account: AccountPort;
  /** The fetch port: Node's fetch in the CLI and server, Electron's net.fetch in the desktop app. */
  fetch?: typeof globalThis.fetch;
  random?: () => number;
  /**
   * Opens the folder holding the log, where the shell has one (the desktop app: the OS file
   * manager). Without it the command answers not-supported: headless logs go to stderr.
   */
  openLogsFolder?: () => Promise<void>;
  /** The desktop's loopback callback and system browser for OAuth 2.0; headless has none (crier serve is the callback). */
  oauth2Callback?: OAuth2CallbackPort;
}

export interface EngineService extends AppService {
  /** Arms the poll timers and starts the queue (recovering tasks left running). */
  start(): void;
  /** Tells the queue the network is (un)available; the desktop shell listens to the OS. */
  setOffline(offline: boolean): void;
  /**
   * The machine woke from sleep (desktop: powerMonitor resume; headless: a wall-clock jump):
   * overdue polls run within seconds, pauses past their time end, "next check" times are true.
   */
  wake(): void;
  /** Writes everything the store has coalesced: the OS is ending the session and may not wait for close(). */
  flush(): Promise<void>;
  /** A notice from the shell (e.g. a window that crashed and was reloaded), shown until dismissed. */
  notice(kind: Notice['kind'], message: string, key?: string): void;
}

export function createAppService(deps: ServiceDeps): EngineService {
  const { clock, log, store } = deps;
  const random = deps.random ?? Math.random;
  const iso = (ms = clock.now()): string => new Date(ms).toISOString();
  const onError = (what: string) => (err: unknown): void => log.error(what, { error: err instanceof Error ? err.message : String(err) });

  const deltas = createDeltaStream({ onListenerError: onError('a state listener threw') });
  // Shown until dismissed, across restarts (the store keeps them).
  let notices: Notice[] = store.getNotices();
  let started = false;
  let closed = false;
  /** Tasks whose post is being deleted from X right now: a second ask waits for the first's answer. */
  const deleting = new Set<string>();

  const settings = (): Settings => store.getSettings();
  const configs = (): FeedConfig[] => store.getFeeds();
  const findConfig = (id: string): FeedConfig => {
    const config = configs().find((f) => f.id === id);
    if (!config) throw new CommandError('not-found', 'No feed with that id; it may have been removed.', 'id');
    return config;
  };
  /** An account as the pages see it; one gone (its tasks or feeds still name it) shows as not connected. */
  const stateOfAccount = (accountId: string): AccountState => {
    const port = accountId === DEFAULT_ACCOUNT_ID ? deps.account : deps.account.otherAccount?.(accountId);
    const base = port?.state() ?? { connected: false, handle: null, method: null, secretsProtected: deps.account.state().secretsProtected };
    const dry = settings().dryRun || (settings().dryRunAccounts ?? []).includes(accountId);
    return { id: accountId, ...base, dryRun: !base.connected || dry };
  };
  const accountState = (): AccountState => stateOfAccount(DEFAULT_ACCOUNT_ID);
  const accountStates = (): AccountState[] => [...queues.keys()].map(stateOfAccount);

  // Each feed's posted / pending / failed counts, for views that hold few tasks or none.
  const counter = createFeedCounter(() => store.tasks.all(), (feedIds) => {
    for (const id of feedIds) {
      const config = configs().find((f) => f.id === id);
      if (config) deltas.feed(toFeed(store, config));
    }
  });
  /** Every Feed the service hands out: configuration, what polling learnt, and its task counts. */
  const toFeed = (from: EngineStore, config: FeedConfig): Feed => ({ ...feedOfConfig(from, config), counts: counter.of(config.id) });

  /** The port of an account: the default one, another connected beside it, or undefined (gone). */
  const portOf = (accountId: string): AccountPort | undefined =>
    (accountId === DEFAULT_ACCOUNT_ID ? deps.account : deps.account.otherAccount?.(accountId));

  // One queue per account (several accounts, issue 16): each posts its own tasks, one at a time,
  // with its own pacing, cap and pauses. The default account's comes first; then the other
  // connected accounts; then accounts gone while tasks or feeds still name them (held, never dry).
  const queues = new Map<string, TaskQueue>();
  const queueStates = new Map<string, QueueState>();
  const quotaStops = new Map<string, () => void>();

  function queueFor(accountId: string): TaskQueue {
    const existing = queues.get(accountId);
    if (existing) return existing;
    const created = createTaskQueue({
      clock,
      log,
      repo: accountRepo(store.tasks, accountId, () => queues.size === 1),
      settings,
      x: () => portOf(accountId)?.client() ?? null,
      random,
      memory: store.accountMemory(accountId),
      credentials: () => portOf(accountId)?.fingerprint?.() ?? null,
      accountId,
      dryWithoutAccount: accountId === DEFAULT_ACCOUNT_ID,
      // X bills each post; Bluesky and Mastodon bill nothing.
      priced: networkOf(accountId) === 'x',
      events: {
        taskChanged(task) {
          deltas.task(task);
          counter.touched(task.feedId);
          if (task.status === 'completed' || task.status === 'cancelled' || task.status === 'failed') pruneIfNeeded();
        },
        queueChanged(state) {
          queueStates.set(accountId, state);
          deltas.accountQueue(accountId, state);
          deltas.queue(queueSum());
          // A session X stopped renewing pauses the queue: the account says why (its failure).
          if (state.pauseReason === 'auth') accountChanged();
        },
        appWidePause(reason, resumesAt) {
          // X limits the developer app: every account of the same app waits with this one.
          const app = portOf(accountId)?.app?.() ?? null;
          if (app === null) return;
          for (const [id, other] of queues) {
            if (id !== accountId && portOf(id)?.app?.() === app) other.holdForApp(reason, resumesAt);
          }
          log.warn('queue: X limits the developer app; its other accounts wait too', { accountId, reason });
        },
      },
    });
    queues.set(accountId, created);
    const port = portOf(accountId);
    // X's answers move the posting budget (AccountState.quota): the pages hear of it as the account.
    if (port !== undefined && accountId !== DEFAULT_ACCOUNT_ID) {
      const stop = port.onQuotaChange?.(() => { if (!closed) accountChanged(); });
      if (stop) quotaStops.set(accountId, stop);
    }
    if (started && !closed) {
      startQueue(accountId, created);
      deltas.accountQueue(accountId, queueStateOf(accountId));
      deltas.queue(queueSum());
      accountChanged();
    }
    return created;
  }

  function startQueue(accountId: string, queue: TaskQueue): void {
    queue.start();
    // An account no longer connected: its tasks wait for it to be connected again, never run dry.
    if (portOf(accountId) === undefined) queue.holdForApp('auth', null);
    queueStates.set(accountId, queue.state());
  }

  /** Where an account posts (an account gone counts as X's: it posts nowhere until connected again). */
  const networkOf = (accountId: string): 'x' | 'bluesky' | 'mastodon' => portOf(accountId)?.state().network ?? 'x';
  const queueStateOf = (accountId: string): QueueState => queueStates.get(accountId) ?? queues.get(accountId)!.state();
  /** Every account's queue as one: counts and spend add up, paused when all are (queue-sum.ts). */
  const queueSum = (): QueueState => sumQueues([...queues.keys()].map(queueStateOf));
  const defaultQueue = queueFor(DEFAULT_ACCOUNT_ID);
  for (const id of deps.account.otherAccountIds?.() ?? []) queueFor(id);
  // Accounts gone while their tasks stayed (a vault that could not be read, a disconnect that kept them).
  for (const task of store.tasks.all()) if (task.accountId !== undefined) queueFor(task.accountId);

  /** The queue of a task's account (the default one for an unknown task, which answers not-found). */
  const queueOfTask = (taskId: string): TaskQueue => {
    const task = store.tasks.get(taskId);
    return task === undefined ? defaultQueue : queueFor(accountOf(task));
  };
  /** Ids grouped by their task's account, for commands on many tasks. */
  function byAccount(ids: readonly string[]): Map<TaskQueue, string[]> {
    const groups = new Map<TaskQueue, string[]>();
    for (const id of ids) {
      const queue = queueOfTask(id);
      const group = groups.get(queue);
      if (group) group.push(id);
      else groups.set(queue, [id]);
    }
    return groups;
  }
  const sumOver = (ids: readonly string[], run: (queue: TaskQueue, ids: string[]) => number): number => {
    let total = 0;
    for (const [queue, group] of byAccount(ids)) total += run(queue, group);
    return total;
  };
  const idsOver = (ids: readonly string[], run: (queue: TaskQueue, ids: string[]) => string[]): string[] =>
    [...byAccount(ids)].flatMap(([queue, group]) => run(queue, group));
  const allQueues = (): TaskQueue[] => [...queues.values()];
  function namedQueue(accountId: unknown): TaskQueue {
    const id = parseId(accountId, 'accountId');
    const queue = queues.get(id);
    if (!queue) throw new CommandError('not-found', 'No account with that id; it may have been disconnected.', 'accountId');
    return queue;
  }

  /**
   * A new item's task for each account its feed posts to (one task per item and account, each with
   * its own state). The first keeps the poll's id; the default account's tasks carry no accountId,
   * as before several accounts.
   */
  function enqueueForAccounts(task: Task, source: ItemSource | undefined, asked: { queueAtOnce: boolean }): Task[] {
    const config = configs().find((f) => f.id === task.feedId);
    // A feed in review mode holds its new items for the user: never posted until approved. What the
    // user asked for ("Post anyway") is queued at once.
    const status = !asked.queueAtOnce && config?.review === true ? 'review' : 'pending';
    const targets = config?.accountIds !== undefined && config.accountIds.length > 0 ? config.accountIds : [DEFAULT_ACCOUNT_ID];
    const out: Task[] = [];
    for (const accountId of targets) {
      const text = textFor(accountId, task, config, source);
      if (text === '') {
        log.info('the template for this network leaves the item empty; no task for that account', { feedId: task.feedId, accountId });
        continue;
      }
      out.push(queueFor(accountId).enqueue({
        ...task,
        id: out.length === 0 ? task.id : randomUUID(),
        text,
        status,
        ...(accountId === DEFAULT_ACCOUNT_ID ? {} : { accountId }),
      }));
    }
    return out;
  }

  /**
   * The text for one account: the X text as composed, or for Bluesky and Mastodon the item composed
   * again with that network's template and length rules (compose/network-post.ts).
   */
  function textFor(accountId: string, task: Task, config: FeedConfig | undefined, source: ItemSource | undefined): string {
    const network = networkOf(accountId);
    if (network === 'x' || source === undefined || config === undefined) return task.text;
    return composeForNetwork(source.item, config, source.feedTitle, portOf(accountId)?.lengthRules?.() ?? lengthRulesFor(network), network).text;
  }

  const poller: Poller = createPoller({
    clock,
    log,
    store,
    parser: deps.parser,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    random,
    enqueue: (task, source) => { enqueueForAccounts(task, source, { queueAtOnce: false }); },
    // A feed's answer only hurries X's own probe: the offline pause belongs to the OS's signal.
    online: () => { for (const queue of allQueues()) queue.probe(); },
    feedChanged: (feed) => deltas.feed({ ...feed, counts: counter.of(feed.id) }),
    notice: (kind, message, key) => addNotice(kind, message, key),
  });

  let pruneQueued = false;
  /** Deferred: it runs outside the queue's own event callbacks. */
  function pruneIfNeeded(): void {
    if (pruneQueued) return;
    pruneQueued = true;
    queueMicrotask(() => {
      pruneQueued = false;
      pruneNow();
    });
  }

  function pruneNow(): void {
    const all = store.tasks.all();
    const ids = pruneHistory(all, settings().historyLimit);
    if (ids.length > 0) {
      deltas.removeTasks(idsOver(ids, (queue, group) => queue.remove(group)));
      counter.touchedAll();
    }
    const limit = settings().failedHistoryLimit;
    const failed = pruneFailed(all, limit);
    if (failed.length === 0) return;
    const removed = idsOver(failed, (queue, group) => queue.remove(group));
    deltas.removeTasks(removed);
    counter.touchedAll();
    log.info('pruned failed tasks past the limit', { count: removed.length, limit });
    addNotice('info', `More than ${limit.toLocaleString('en-US')} failed tasks were kept, so the oldest ${removed.length === 1 ? 'one was' : `${removed.length.toLocaleString('en-US')} were`} removed. Raise "Keep failed tasks" in the settings to keep more.`, 'failed-pruned');
  }

  function addNotice(kind: Notice['kind'], message: string, key?: string): void {
    setNotices(withNotice(notices, { id: randomUUID(), kind, message, at: iso(), ...(key === undefined ? {} : { key }) }));
  }

  function setNotices(next: Notice[]): void {
    notices = next;
    store.setNotices(notices);
    deltas.notices(notices);
  }

  // ---- commands ------------------------------------------------------------------------

  function validateFeedRules(fields: { template?: string; include?: string[]; exclude?: string[]; templates?: FeedConfig['templates'] }): void {
    if (fields.template !== undefined) checkTemplate(fields.template);
    for (const template of Object.values(fields.templates ?? {})) if (template !== undefined) checkTemplate(template);
    compileFilters(fields.include ?? [], fields.exclude ?? []);
  }

  /**
   * A feed's input or patch, with every offending field listed at once: the schema's refusals and
   * the template's and filters' own rules (which the schema cannot judge).
   */
  function parseFeedFields<T extends FeedPatch>(parse: (raw: unknown) => T, raw: unknown): T {
    let parsed: T | null = null;
    let issues: FieldIssue[] = [];
    try {
      parsed = parse(raw);
    } catch (err) {
      if (!(err instanceof CommandError) || err.code !== 'validation') throw err;
      issues = err.issues ?? [{ field: err.field ?? '', message: err.message }];
    }
    const claimed = (field: string): boolean => issues.some((i) => field === i.field || field.startsWith(`${i.field}.`));
    const all = [...issues, ...feedRuleIssues(parsed ?? raw).filter((i) => !claimed(i.field))];
    if (all.length > 0 || parsed === null) throw validationError(all);
    return parsed;
  }

  /** A feed posts only to accounts Crier has (one gone may stay named, if the feed already named it). */
  function assertKnownAccounts(ids: string[] | undefined, before: string[] = []): void {
    const unknown = (ids ?? []).filter((id) => !queues.has(id) && !before.includes(id));
    if (unknown.length === 0) return;
    const message = `No account with the id ${unknown.join(', ')}: choose among the connected accounts.`;
    throw validationError([{ field: 'accountIds', message }]);
  }

  /**
   * The other networks an account is connected on, each with the template it would post with and
   * its length rules (the first such account's: a Mastodon instance's own limit), for the preview.
   */
  function previewNetworks(templates: FeedConfig['templates'], template: string): { network: 'bluesky' | 'mastodon'; template: string; length: LengthRules }[] {
    const out: { network: 'bluesky' | 'mastodon'; template: string; length: LengthRules }[] = [];
    for (const id of queues.keys()) {
      const network = networkOf(id);
      if (network === 'x' || out.some((n) => n.network === network)) continue;
      out.push({ network, template: templateFor({ template, templates }, network), length: portOf(id)?.lengthRules?.() ?? lengthRulesFor(network) });
    }
    return out;
  }

  function assertUniqueUrl(url: string, exceptId?: string): void {
    const clash = configs().find((f) => f.url === url && f.id !== exceptId);
    if (clash) throw new CommandError('conflict', `Crier already follows ${url}.`, 'url');
  }

  /**
   * Changes the feed list at once (every reader sees it) and settles when feeds.json holds it: a
   * command awaits this before answering, so what the user decided survives a crash once answered.
   */
  async function saveFeeds(next: FeedConfig[]): Promise<void> {
    try {
      await store.setFeeds(next);
    } catch (err) {
      log.error('the feed list could not be saved', { error: err instanceof Error ? err.message : String(err) });
      throw new CommandError('internal', `The change is in effect but could not be saved to disk (${err instanceof Error ? err.message : String(err)}); Crier saves the whole feed list again with the next change.`);
    }
  }

  async function createFeed(input: FeedInput): Promise<Feed> {
    validateFeedRules(input);
    assertKnownAccounts(input.accountIds);
    assertUniqueUrl(input.url);
    const { url, ...fields } = input;
    const config = newFeedConfig(randomUUID(), url, settings(), fields);
    const saved = saveFeeds([...configs(), config]);
    const feed = toFeed(store, config);
    deltas.feed(feed);
    if (config.enabled && started) void poller.poll(config.id).catch(onError('first poll failed'));
    await saved;
    return feed;
  }

  /** An account connected, or connected again: new credentials answer a refusal, so its held tasks go on. */
  function accountConnected(accountId: string): void {
    const queue = queueFor(accountId);
    accountChanged();
    if (queue.state().pauseReason === 'auth') queue.resume();
    else queue.settingsChanged();
  }

  function accountChanged(): void {
    deltas.account(accountState());
    deltas.accounts(accountStates());
  }
  const oauth2 = createOAuth2Commands({
    account: deps.account,
    log,
    ...(deps.oauth2Callback ? { callback: deps.oauth2Callback } : {}),
    connected: accountConnected,
    notice: (message) => { if (!closed) addNotice('account', message, OAUTH2_NOTICE_KEY); },
  });
  // X's answers move the posting budget (AccountState.quota): the pages hear of it as the account.
  const stopQuota = deps.account.onQuotaChange?.(() => { if (!closed) accountChanged(); });
  // Another account connected (an OAuth 2.0 sign-in beside the default one) or gone: its queue and the list follow.
  const stopAccounts = deps.account.onAccountsChange?.(() => {
    if (closed) return;
    for (const id of deps.account.otherAccountIds?.() ?? []) queueFor(id);
    accountChanged();
  });

  const service: EngineService = {
    ...oauth2,
    start() {
      if (started || closed) return;
      started = true;
      for (const [id, queue] of queues) startQueue(id, queue);
      deltas.queue(queueSum());
      poller.start();
      pruneIfNeeded();
    },

    setOffline(offline) {
      for (const queue of allQueues()) queue.setOffline(offline);
    },

    wake() {
      if (!started || closed) return;
      log.info('waking: re-planning polls and posts');
      poller.wake();
      for (const queue of allQueues()) queue.wake();
    },

    async getState(options?: StateOptions): Promise<StateSnapshot> {
      const { taskLimit } = parseStateOptions(options);
      deltas.flush();
      const all = store.tasks.all();
      const snapshot: StateSnapshot = {
        epoch: deltas.epoch, seq: deltas.seq, tasks: taskLimit === undefined ? all : newestTasks(all, taskLimit),
        feeds: configs().map((c) => toFeed(store, c)), settings: settings(), queue: queueSum(),
        queues: Object.fromEntries([...queues.keys()].map((id) => [id, queueStateOf(id)])),
        account: accountState(), accounts: accountStates(), notices,
      };
      if (taskLimit !== undefined) snapshot.tasksTotal = all.length;
      return snapshot;
    },

    onDelta(listener: (delta: StateDelta) => void) {
      return deltas.subscribe(listener);
    },

    async addFeed(input) {
      return createFeed(parseFeedFields(parseFeedInput, input));
    },

    async updateFeed(id, patch) {
      const feedId = parseId(id);
      const changes = parseFeedFields(parseFeedPatch, patch);
      const current = findConfig(feedId);
      const next: FeedConfig = { ...current, ...changes };
      validateFeedRules(next);
      assertKnownAccounts(changes.accountIds, current.accountIds);
      if (changes.url !== undefined) assertUniqueUrl(changes.url, feedId);
      const saved = saveFeeds(configs().map((f) => (f.id === feedId ? next : f)));
      const feed = toFeed(store, next);
      deltas.feed(feed);
      const urlChanged = changes.url !== undefined && changes.url !== current.url;
      if (!next.enabled) {
        poller.unschedule(feedId);
      } else if (!current.enabled || urlChanged) {
        poller.replan(feedId, clock.now(), { forgetValidators: urlChanged });
      } else if (changes.intervalMinutes !== undefined && changes.intervalMinutes !== current.intervalMinutes) {
        poller.replan(feedId, clock.now() + delayAfterSuccess(next.intervalMinutes, random));
      }
      await saved;
      return feed;
    },

    async removeFeed(id) {
      const feedId = parseId(id);
      findConfig(feedId);
      poller.unschedule(feedId);
      const saved = saveFeeds(configs().filter((f) => f.id !== feedId));
      store.forgetFeed(feedId);
      // A removed feed's waiting posts would surprise the user: cancel them, and skip those in
      // review (on disk before the answer), keep the history.
      const own = store.tasks.all().filter((t) => t.feedId === feedId);
      idsOver(own.filter((t) => t.status === 'pending').map((t) => t.id), (queue, group) => queue.cancelMany(group).map((t) => t.id));
      sumOver(own.filter((t) => t.status === 'review').map((t) => t.id), (queue, group) => queue.skipMany(group));
      deltas.removeFeed(feedId);
      await saved;
    },

    async pollNow(feedId) {
      const ids = feedId === undefined ? configs().filter((f) => f.enabled).map((f) => f.id) : [findConfig(parseId(feedId, 'feedId')).id];
      await Promise.all(ids.map((id) => poller.poll(id)));
    },

    async previewFeed(url, options?: PreviewOptions): Promise<PreviewResult> {
      const request = parseFeedFields(parsePreviewRequest, { url, ...(options ?? {}) });
      const followed = request.feedId === undefined ? null : configs().find((f) => f.id === request.feedId);
      if (followed === undefined) throw new CommandError('not-found', 'No feed with that id; it may have been removed.', 'feedId');
      let reading: Reading;
      try {
        // A feed is read as it is; a web page is searched for its feeds (feeds/discover.ts).
        reading = await readFeedOrPage(request.url, {
          fetch: (u) => poller.fetchOnce(u),
          fetchExtra: (u) => poller.fetchOnce(u, { capped: true }),
          parse: (bytes, contentType, baseUrl) => deps.parser.parse(bytes, contentType, baseUrl),
        });
      } catch (err) {
        if (err instanceof FeedError) throw new CommandError('feed', err.message, 'url');
        throw err;
      }
      const read = reading.kind === 'feed' ? { url: request.url, feed: reading.feed } : reading.chosen;
      const compose = {
        template: request.template ?? DEFAULT_TEMPLATE, include: request.include ?? [], exclude: request.exclude ?? [],
        maxHashtags: request.maxHashtags ?? DEFAULT_MAX_HASHTAGS,
        // The tags being edited, else the followed feed's own: the preview shows the link as posted.
        utm: request.utm !== undefined ? request.utm : followed?.utm ?? null,
        networks: previewNetworks(request.templates !== undefined ? request.templates : followed?.templates ?? null, request.template ?? DEFAULT_TEMPLATE),
      };
      let result: PreviewResult;
      if (!read) result = { feedTitle: null, posts: [], skipped: [] };
      else if (followed) {
        // An edited feed: what its next check would post, not what it posted already.
        result = previewNext(read.feed, { config: followed, seen: store.getSeen(followed.id), address: read.url, nowIso: iso() },
          { ...compose, feedTitle: followed.name ?? read.feed.title });
      } else {
        result = previewItems(read.feed, { ...compose, feedTitle: read.feed.title });
      }
      if (reading.kind === 'page') {
        result.candidates = reading.candidates;
        if (reading.chosen) result.feedUrl = reading.chosen.url;
      }
      return result;
    },

    async retryTask(id) {
      const taskId = parseId(id);
      return queueOfTask(taskId).retry(taskId);
    },
    async cancelTask(id) {
      const taskId = parseId(id);
      return queueOfTask(taskId).cancel(taskId);
    },
    async editTask(id, text, expectedUpdatedAt) {
      const taskId = parseId(id);
      const input = parseTaskEdit({ text, expectedUpdatedAt });
      const task = store.tasks.get(taskId);
      const queue = queueOfTask(taskId);
      if (task?.inDoubtSince != null && (task.status === 'pending' || task.status === 'failed') && task.updatedAt === input.expectedUpdatedAt) {
        // The earlier attempt may be on X: look before letting the text change under it.
        const look = await queue.lookForPostInDoubt(taskId);
        if (look === 'found') throw new CommandError('conflict', 'This post is already on X: Crier found it on your timeline and marked the task posted.');
        return queue.edit(taskId, input.text, input.expectedUpdatedAt, { inDoubtCleared: look === 'absent' });
      }
      return queue.edit(taskId, input.text, input.expectedUpdatedAt);
    },
    async postTask(id) {
      const taskId = parseId(id);
      return queueOfTask(taskId).postNow(taskId);
    },
    async undoCancel(id) {
      const taskId = parseId(id);
      return queueOfTask(taskId).undoCancel(taskId);
    },
    async retryTasks(ids) {
      return sumOver(parseTaskIds(ids), (queue, group) => queue.retryMany(group));
    },
    async cancelTasks(ids) {
      return sumOver(parseTaskIds(ids), (queue, group) => queue.cancelAllowed(group));
    },
    async approveTasks(ids) {
      return sumOver(parseTaskIds(ids), (queue, group) => queue.approveMany(group));
    },
    async skipTasks(ids) {
      return sumOver(parseTaskIds(ids), (queue, group) => queue.skipMany(group));
    },
    async deletePost(id) {
      const taskId = parseId(id);
      const task = store.tasks.get(taskId);
      if (!task) throw new CommandError('not-found', 'There is no task with this id.');
      requireDeletable(task);
      if (deleting.has(taskId)) throw new CommandError('conflict', 'Crier is deleting this post from X already.');
      const client = portOf(accountOf(task))?.client() ?? null;
      if (client === null) throw new CommandError('conflict', 'The X account that posted it is not connected, so Crier cannot delete posts on X. Connect the account that posted it, then try again.');
      if (client.deletePost === undefined) throw new CommandError('not-supported', 'This account\'s connection cannot delete posts.');
      deleting.add(taskId);
      let alreadyGone: boolean;
      try {
        ({ alreadyGone } = await client.deletePost(task.postId!));
      } catch (err) {
        // X's refusal in X's words; nothing is recorded, so the user can try again.
        if (err instanceof XError) {
          log.warn('X did not delete a post', { taskId, kind: err.failure.kind, httpStatus: err.failure.httpStatus ?? null });
          throw new CommandError('x-refused', err.failure.message);
        }
        throw err;
      } finally {
        deleting.delete(taskId);
      }
      log.info('deleted a post from X', { taskId, alreadyGone });
      // The task may have been removed from the history while X was asked: then not-found.
      return queueOfTask(taskId).recordDeletion(taskId, alreadyGone);
    },
    async listSkipped(feedId) {
      return listNewestFirst(store.getSkipped(), feedId === undefined ? undefined : parseId(feedId, 'feedId'));
    },
    async postSkipped(id) {
      const { entry, task, source } = taskOfSkip(store, parseId(id), iso());
      // Asked for by the user, so queued at once, review mode or not: one task per account of its feed.
      const [queued] = enqueueForAccounts(task, source, { queueAtOnce: true });
      if (queued === undefined) throw new CommandError('conflict', "The feed's templates leave nothing to post for this item; change them first.");
      store.removeSkipped([entry.id]);
      return queued!;
    },
    async removeTasks(ids) {
      const removed = idsOver(parseTaskIds(ids), (queue, group) => queue.removeFinished(group));
      deltas.removeTasks(removed);
      if (removed.length > 0) counter.touchedAll();
      return removed.length;
    },
    async exportTasks(format) {
      return exportTasks(store.tasks.all(), configs().map((c) => toFeed(store, c)), parseExportFormat(format));
    },
    async retryAllFailed() {
      return allQueues().reduce((total, queue) => total + queue.retryAllFailed(), 0);
    },
    async pause(accountId) {
      for (const queue of accountId === undefined ? allQueues() : [namedQueue(accountId)]) queue.pause();
    },
    async resume(accountId) {
      if (accountId !== undefined) {
        const queue = namedQueue(accountId);
        if (portOf(parseId(accountId, 'accountId')) === undefined) throw new CommandError('conflict', 'This account is not connected: connect it again to post its tasks.');
        queue.resume();
        return;
      }
      // An account no longer connected stays held: resuming it would only pause it again.
      for (const [id, queue] of queues) if (portOf(id) !== undefined) queue.resume();
    },

    async updateSettings(partial) {
      const changes = parseSettingsPatch(partial);
      const next = { ...settings(), ...changes };
      if (next.retryMaxSeconds < next.retryBaseSeconds) {
        const message = 'The longest wait between retries cannot be shorter than the first retry wait.';
        throw new CommandError('validation', message, 'retryMaxSeconds', [{ field: 'retryMaxSeconds', message }]);
      }
      store.setSettings(next);
      poller.settingsChanged(next);
      deltas.settings(next);
      accountChanged();
      for (const queue of allQueues()) queue.settingsChanged();
      if (changes.historyLimit !== undefined || changes.failedHistoryLimit !== undefined) pruneIfNeeded();
      return next;
    },

    async clearHistory() {
      const ids = store.tasks.all().filter((t) => t.status === 'completed' || t.status === 'cancelled').map((t) => t.id);
      const removed = idsOver(ids, (queue, group) => queue.remove(group));
      deltas.removeTasks(removed);
      if (removed.length > 0) counter.touchedAll();
      return removed.length;
    },

    async dismissNotice(id) {
      const noticeId = parseId(id);
      if (!notices.some((n) => n.id === noticeId)) throw new CommandError('not-found', 'No notice with that id.', 'id');
      setNotices(notices.filter((n) => n.id !== noticeId));
    },

    async testConnection(accountId): Promise<ConnectionTestResult> {
      const port = accountId === undefined ? deps.account : portOf(parseId(accountId, 'accountId'));
      const client = port?.client() ?? null;
      if (!port || !client) {
        return { ok: false, handle: null, message: port === deps.account ? 'No X account is connected, so Crier runs dry: tasks complete without posting.' : 'This account is not connected: connect it again to post with it.' };
      }
      try {
        const { handle } = await client.me();
        port.setHandle(handle);
        accountChanged();
        return { ok: true, handle, message: `Connected as @${handle}.` };
      } catch (err) {
        const message = err instanceof XError ? err.failure.message : 'The connection test failed.';
        return { ok: false, handle: null, message };
      }
    },

    async connectX(credentials) {
      await deps.account.connect(parseCredentials(credentials));
      accountConnected(DEFAULT_ACCOUNT_ID);
      return accountState();
    },

    async disconnectX(accountId) {
      const id = accountId === undefined ? DEFAULT_ACCOUNT_ID : parseId(accountId, 'accountId');
      if (id === DEFAULT_ACCOUNT_ID) {
        await deps.account.disconnect();
        accountChanged();
        return accountState();
      }
      const queue = namedQueue(id);
      await portOf(id)?.disconnect();
      // The page asked first, naming how many: what waited for this account is cancelled (its history stays).
      const waiting = store.tasks.all().filter((t) => accountOf(t) === id);
      queue.cancelMany(waiting.filter((t) => t.status === 'pending').map((t) => t.id));
      queue.skipMany(waiting.filter((t) => t.status === 'review').map((t) => t.id));
      queue.holdForApp('auth', null);
      log.info('disconnected an account', { accountId: id, cancelled: waiting.filter((t) => t.status === 'pending' || t.status === 'review').length });
      accountChanged();
      return stateOfAccount(id);
    },

    async connectBluesky(credentials) {
      if (!deps.account.connectBluesky) throw new CommandError('not-supported', 'This Crier cannot connect Bluesky accounts.');
      const id = await deps.account.connectBluesky(parseBlueskyCredentials(credentials));
      accountConnected(id);
      return stateOfAccount(id);
    },

    async connectMastodon(credentials) {
      if (!deps.account.connectMastodon) throw new CommandError('not-supported', 'This Crier cannot connect Mastodon accounts.');
      const id = await deps.account.connectMastodon(parseMastodonCredentials(credentials));
      accountConnected(id);
      return stateOfAccount(id);
    },

    async importOpml(xml): Promise<OpmlImportResult> {
      // Bulk work that never freezes the app (feed-import.ts): read and validated in slices with
      // the loop free in between, saved in one write, first polls spread over a few minutes.
      const outlines = await readOpml(validate(OpmlSchema, xml, 'opml'), yieldToEventLoop);
      const plan = await planImport(outlines, { settings: settings(), known: configs().map((f) => f.url), newId: randomUUID, pause: yieldToEventLoop });
      if (closed) throw new CommandError('conflict', 'Crier is shutting down; the import was not saved.');
      // A feed added while the import paused is not added twice.
      const followed = new Set(configs().map((f) => f.url));
      const fresh = plan.configs.filter((c) => !followed.has(c.url));
      const saved = fresh.length > 0 ? saveFeeds([...configs(), ...fresh]) : Promise.resolve();
      // Awaited below, after the first polls are planned; handled now so a failure meanwhile is not unhandled.
      saved.catch(() => undefined);
      if (started) {
        const times = firstPollTimes(fresh, clock.now());
        for (let start = 0; start < times.length; start += OUTLINES_PER_CHUNK) {
          if (start > 0) await yieldToEventLoop();
          if (closed) break;
          // Not one the user removed meanwhile.
          const live = new Set(configs().map((f) => f.id));
          poller.planFirstPolls(times.slice(start, start + OUTLINES_PER_CHUNK).filter((t) => live.has(t.feedId)));
        }
      }
      const feeds = fresh.map((c) => toFeed(store, c));
      for (const feed of feeds) deltas.feed(feed);
      await saved;
      return { added: feeds.length, skipped: plan.skipped + plan.configs.length - fresh.length, feeds };
    },

    async exportOpml() {
      return exportOpml(configs().map((c) => toFeed(store, c)), new Date(clock.now()));
    },

    async openLogsFolder() {
      if (!deps.openLogsFolder) throw new CommandError('not-supported', 'This Crier writes its log to standard error; there is no logs folder to open.');
      await deps.openLogsFolder();
    },

    async flush() {
      if (closed) return;
      deltas.flush();
      await store.flush();
    },

    notice(kind, message, key) {
      if (!closed) addNotice(kind, message, key);
    },

    async close() {
      if (closed) return;
      closed = true;
      stopQuota?.();
      stopAccounts?.();
      for (const stop of quotaStops.values()) stop();
      poller.close();
      await Promise.all(allQueues().map((queue) => queue.stop(10_000).catch(onError('queue stop failed'))));
      deltas.flush();
      await deps.parser.close().catch(onError('parser close failed'));
      await store.close();
    },
  };
  return service;
}

/**
 * One account's tasks in the one store: the queue of that account sees only them. `alone`: no other
 * account has a queue, so every task is this one's and the list needs no filtering (one account,
 * the common case, pays nothing for several).
 */
export function accountRepo(repo: TaskRepo, accountId: string, alone: () => boolean = () => false): TaskRepo {
  return {
    get(id) {
      const task = repo.get(id);
      return task !== undefined && accountOf(task) === accountId ? task : undefined;
    },
    all: () => (alone() ? repo.all() : repo.all().filter((task) => accountOf(task) === accountId)),
    put: (task, options) => repo.put(task, options),
    remove: (ids) => repo.remove(ids),
  };
}
