// An in-memory AppService for shell tests: the real validation (schemas.ts), real CommandErrors,
// deltas with epoch and seq, and no polling or posting — tests put tasks in place themselves.
import { randomUUID } from 'node:crypto';
import type {
  AccountState, BlueskyCredentials, ConnectionTestResult, MastodonCredentials, Feed, FeedInput, FeedPatch, Notice, OAuth1Credentials, OAuth2AppInput, OAuth2Start,
  OpmlImportResult, PreviewOptions, PreviewResult, QueueState, Settings, SkippedItem, StateDelta, StateOptions, StateSnapshot, Task,
} from '../../preload/contract';
import { allowedActions, canDeletePost, TASK_STATUSES } from '../../preload/contract';
import type { AppService } from '../../main/core/app-service';
import { DEFAULT_SETTINGS, newFeed } from '../../main/core/defaults';
import { CommandError } from '../../main/core/errors';
import { changedAt } from '../../main/core/tasks/changed-at';
import { exportOpml, parseOpml } from '../../main/core/opml';
import {
  OpmlSchema, parseBlueskyCredentials, parseCredentials, parseMastodonCredentials, parseExportFormat, parseFeedInput, parseFeedPatch, parseId, parsePreviewRequest, parseSettingsPatch, parseStateOptions,
  parseTaskIds, validate,
} from '../../main/core/schemas';
import { exportTasks } from '../../main/core/tasks/export';
import { parseOAuth2App } from '../../main/core/x/oauth2/app-input';
import { newestTasks } from '../../main/core/state/newest-tasks';

export interface FakeServiceOptions { headless?: boolean; epoch?: string }

export class FakeService implements AppService {
  readonly epoch: string;
  seq = 0;
  readonly feeds = new Map<string, Feed>();
  readonly tasks = new Map<string, Task>();
  settings: Settings = { ...DEFAULT_SETTINGS };
  notices: Notice[] = [];
  paused = false;
  account: AccountState = { connected: false, handle: null, method: null, dryRun: true, secretsProtected: false };
  closed = false;
  /** Every call, by name, for assertions that a bad request changed nothing. */
  readonly calls: string[] = [];
  private readonly listeners = new Set<(d: StateDelta) => void>();
  private readonly headless: boolean;

  constructor(options: FakeServiceOptions = {}) {
    this.epoch = options.epoch ?? randomUUID();
    this.headless = options.headless ?? true;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Emits a delta with the next seq; tests use it to drive the event stream. */
  emit(change: Omit<StateDelta, 'epoch' | 'seq'>): StateDelta {
    const delta: StateDelta = { epoch: this.epoch, seq: ++this.seq, ...change };
    for (const l of this.listeners) l(delta);
    return delta;
  }

  /** Puts a task in place (as the engine would after a poll) and announces it. */
  putTask(fields: Partial<Task> & { status: Task['status'] }): Task {
    const now = new Date().toISOString();
    const task: Task = {
      id: randomUUID(), feedId: 'feed', itemId: randomUUID(), itemTitle: 'An item', itemLink: null, text: 'An item',
      imageUrl: null, attempts: 0, nextAttemptAt: null, error: null, postId: null, postUrl: null, dryRun: true,
      note: null, createdAt: now, updatedAt: now, ...fields,
    };
    this.tasks.set(task.id, task);
    this.emit({ tasks: [task], queue: this.queue() });
    return task;
  }

  async getState(options?: StateOptions): Promise<StateSnapshot> {
    this.calls.push('getState');
    const { taskLimit } = parseStateOptions(options);
    const all = [...this.tasks.values()];
    return {
      epoch: this.epoch, seq: this.seq, tasks: taskLimit === undefined ? all : newestTasks(all, taskLimit), feeds: [...this.feeds.values()],
      settings: this.settings, queue: this.queue(), account: this.account, notices: this.notices,
      ...(taskLimit === undefined ? {} : { tasksTotal: all.length }),
    };
  }

  onDelta(listener: (delta: StateDelta) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  async addFeed(input: FeedInput): Promise<Feed> {
    this.calls.push('addFeed');
    const { url, ...fields } = parseFeedInput(input);
    if ([...this.feeds.values()].some((f) => f.url === url)) throw new CommandError('conflict', 'That feed is already in the list.', 'url');
    const feed = newFeed(randomUUID(), url, this.settings, fields);
    this.feeds.set(feed.id, feed);
    this.emit({ feeds: [feed] });
    return feed;
  }

  async updateFeed(id: string, patch: FeedPatch): Promise<Feed> {
    this.calls.push('updateFeed');
    const feed = this.feed(id);
    const updated = { ...feed, ...parseFeedPatch(patch) };
    this.feeds.set(feed.id, updated);
    this.emit({ feeds: [updated] });
    return updated;
  }

  async removeFeed(id: string): Promise<void> {
    this.calls.push('removeFeed');
    const feed = this.feed(id);
    this.feeds.delete(feed.id);
    this.emit({ removedFeedIds: [feed.id] });
  }

  async pollNow(feedId?: string): Promise<void> {
    this.calls.push('pollNow');
    if (feedId !== undefined) this.feed(feedId);
  }

  async previewFeed(url: string, options: PreviewOptions = {}): Promise<PreviewResult> {
    this.calls.push('previewFeed');
    parsePreviewRequest({ url, ...options });
    if (url.includes('unreachable')) throw new CommandError('feed', 'could not fetch unreachable.example: no such host', 'url');
    return { feedTitle: 'Preview', posts: [], skipped: [] };
  }

  async retryTask(id: string): Promise<Task> {
    this.calls.push('retryTask');
    return this.transition(id, 'retry', 'pending');
  }

  async cancelTask(id: string): Promise<Task> {
    this.calls.push('cancelTask');
    return this.transition(id, 'cancel', 'cancelled');
  }

  async editTask(id: string, text: string, expectedUpdatedAt: string): Promise<Task> {
    this.calls.push('editTask');
    const task = this.tasks.get(id);
    if (!task) throw new CommandError('not-found', 'There is no task with this id.');
    if (task.updatedAt !== expectedUpdatedAt) throw new CommandError('conflict', 'This task changed while you were editing it.');
    const next: Task = { ...task, text, edit: { at: new Date().toISOString(), composedText: task.edit?.composedText ?? task.text }, updatedAt: changedAt(task.updatedAt, Date.now()) };
    this.tasks.set(id, next);
    return next;
  }

  async postTask(id: string): Promise<Task> {
    this.calls.push('postTask');
    const task = this.tasks.get(parseId(id));
    if (!task) throw new CommandError('not-found', 'No such task.', 'id');
    if (task.status !== 'pending') throw new CommandError('conflict', `Only a pending task can be posted now; this one is ${task.status}.`);
    if (this.paused) throw new CommandError('conflict', 'The queue is paused, so nothing is posted. Resume it to post this task now.');
    const now = new Date().toISOString();
    const updated: Task = { ...task, postNowAt: now, updatedAt: now };
    this.tasks.set(task.id, updated);
    this.emit({ tasks: [updated], queue: this.queue() });
    return updated;
  }

  /** What each cancel replaced, for undoCancel (no time limit in the fake). */
  private readonly beforeCancel = new Map<string, Task>();

  async undoCancel(id: string): Promise<Task> {
    this.calls.push('undoCancel');
    const task = this.tasks.get(parseId(id));
    if (!task) throw new CommandError('not-found', 'No such task.', 'id');
    const before = this.beforeCancel.get(task.id);
    if (!before || task.status !== 'cancelled') throw new CommandError('conflict', 'It is too late to undo this cancel: a cancel can be undone for 10 seconds.');
    this.beforeCancel.delete(task.id);
    const restored: Task = { ...before, updatedAt: changedAt(before.updatedAt, Date.now()) };
    this.tasks.set(task.id, restored);
    this.emit({ tasks: [restored], queue: this.queue() });
    return restored;
  }

  async retryTasks(ids: string[]): Promise<number> {
    this.calls.push('retryTasks');
    return this.bulk(ids, 'retry', 'pending');
  }

  async cancelTasks(ids: string[]): Promise<number> {
    this.calls.push('cancelTasks');
    return this.bulk(ids, 'cancel', 'cancelled');
  }

  async approveTasks(ids: string[]): Promise<number> {
    this.calls.push('approveTasks');
    const base = Date.now();
    const changed: Task[] = [];
    for (const id of new Set(parseTaskIds(ids))) {
      const task = this.tasks.get(id);
      if (task?.status !== 'review') continue;
      const updated: Task = { ...task, status: 'pending', queuedAt: new Date(base + changed.length).toISOString(), updatedAt: new Date(base).toISOString() };
      this.tasks.set(id, updated);
      changed.push(updated);
    }
    if (changed.length > 0) this.emit({ tasks: changed, queue: this.queue() });
    return changed.length;
  }

  async skipTasks(ids: string[]): Promise<number> {
    this.calls.push('skipTasks');
    const changed: Task[] = [];
    for (const id of new Set(parseTaskIds(ids))) {
      const task = this.tasks.get(id);
      if (task?.status !== 'review') continue;
      this.beforeCancel.set(id, task);
      const updated: Task = { ...task, status: 'cancelled', skipped: true, note: 'Skipped in review', updatedAt: changedAt(task.updatedAt, Date.now()) };
      this.tasks.set(id, updated);
      changed.push(updated);
    }
    if (changed.length > 0) this.emit({ tasks: changed, queue: this.queue() });
    return changed.length;
  }

  /** Set by a test: deletePost rejects with it, as when X refuses. */
  deleteRefusal: CommandError | null = null;

  async deletePost(id: string): Promise<Task> {
    this.calls.push('deletePost');
    const task = this.tasks.get(parseId(id));
    if (!task) throw new CommandError('not-found', 'No such task.', 'id');
    if (!canDeletePost(task)) throw new CommandError('conflict', 'Only a posted task\'s post can be deleted from X.');
    if (this.deleteRefusal) throw this.deleteRefusal;
    const updated: Task = { ...task, deletedAt: new Date().toISOString(), updatedAt: changedAt(task.updatedAt, Date.now()) };
    this.tasks.set(task.id, updated);
    this.emit({ tasks: [updated], queue: this.queue() });
    return updated;
  }

  /** The skipped log, oldest first; tests put entries in place themselves. */
  skipped: SkippedItem[] = [];

  async listSkipped(feedId?: string): Promise<SkippedItem[]> {
    this.calls.push('listSkipped');
    const only = feedId === undefined ? undefined : parseId(feedId, 'feedId');
    return [...this.skipped].reverse().filter((s) => only === undefined || s.feedId === only);
  }

  async postSkipped(id: string): Promise<Task> {
    this.calls.push('postSkipped');
    const entry = this.skipped.find((s) => s.id === parseId(id));
    if (!entry) throw new CommandError('not-found', 'This item is not in the skipped log.');
    if (!this.feeds.has(entry.feedId)) throw new CommandError('conflict', 'The feed this item came from is no longer followed, so Crier cannot post it.');
    this.skipped = this.skipped.filter((s) => s !== entry);
    return this.putTask({ status: 'pending', feedId: entry.feedId, itemId: entry.item.id, itemTitle: entry.item.title, itemLink: entry.item.link, text: entry.item.title });
  }

  async removeTasks(ids: string[]): Promise<number> {
    this.calls.push('removeTasks');
    const gone = parseTaskIds(ids).filter((id) => { const t = this.tasks.get(id); return t !== undefined && allowedActions(t.status).includes('remove'); });
    for (const id of new Set(gone)) this.tasks.delete(id);
    const removed = [...new Set(gone)];
    if (removed.length > 0) this.emit({ removedTaskIds: removed, queue: this.queue() });
    return removed.length;
  }

  async exportTasks(format: 'csv' | 'json'): Promise<string> {
    this.calls.push('exportTasks');
    return exportTasks([...this.tasks.values()], [...this.feeds.values()], parseExportFormat(format));
  }

  async retryAllFailed(): Promise<number> {
    this.calls.push('retryAllFailed');
    const failed = [...this.tasks.values()].filter((t) => t.status === 'failed');
    for (const t of failed) await this.retryTask(t.id);
    return failed.length;
  }

  async pause(): Promise<void> {
    this.calls.push('pause');
    this.paused = true;
    this.emit({ queue: this.queue() });
  }

  async resume(): Promise<void> {
    this.calls.push('resume');
    this.paused = false;
    this.emit({ queue: this.queue() });
  }

  async updateSettings(partial: Partial<Settings>): Promise<Settings> {
    this.calls.push('updateSettings');
    this.settings = { ...this.settings, ...parseSettingsPatch(partial) };
    this.emit({ settings: this.settings });
    return this.settings;
  }

  async clearHistory(): Promise<number> {
    this.calls.push('clearHistory');
    const done = [...this.tasks.values()].filter((t) => t.status === 'completed' || t.status === 'cancelled');
    for (const t of done) this.tasks.delete(t.id);
    this.emit({ removedTaskIds: done.map((t) => t.id) });
    return done.length;
  }

  async dismissNotice(id: string): Promise<void> {
    this.calls.push('dismissNotice');
    const key = parseId(id);
    if (!this.notices.some((n) => n.id === key)) throw new CommandError('not-found', 'No such notice.', 'id');
    this.notices = this.notices.filter((n) => n.id !== key);
    this.emit({ notices: this.notices });
  }

  async testConnection(): Promise<ConnectionTestResult> {
    this.calls.push('testConnection');
    return { ok: false, handle: null, message: 'No X account is configured.' };
  }

  async connectX(credentials: OAuth1Credentials): Promise<AccountState> {
    this.calls.push('connectX');
    if (this.headless) throw new CommandError('not-supported', 'Headless Crier reads credentials from its environment.');
    parseCredentials(credentials);
    this.account = { ...this.account, connected: true, method: 'oauth1', handle: 'someone', dryRun: false };
    return this.account;
  }

  async disconnectX(): Promise<AccountState> {
    this.calls.push('disconnectX');
    if (this.headless) throw new CommandError('not-supported', 'Headless Crier reads credentials from its environment.');
    this.account = { ...this.account, connected: false, method: null, handle: null, dryRun: true };
    return this.account;
  }

  async connectBluesky(credentials: BlueskyCredentials): Promise<AccountState> {
    this.calls.push('connectBluesky');
    const { identifier } = parseBlueskyCredentials(credentials);
    return { id: 'bsky-fake', network: 'bluesky', connected: true, handle: identifier, method: null, dryRun: false, secretsProtected: true };
  }

  async connectMastodon(credentials: MastodonCredentials): Promise<AccountState> {
    this.calls.push('connectMastodon');
    parseMastodonCredentials(credentials);
    return { id: 'masto-fake', network: 'mastodon', connected: true, handle: 'someone@example.social', method: null, dryRun: false, secretsProtected: true };
  }

  /** The last OAuth 2.0 login started: its callback URL (tests answer finishXOAuth2 against it). */
  oauth2Started: { clientId: string; redirectUri: string } | null = null;

  async startXOAuth2(input: OAuth2AppInput): Promise<OAuth2Start> {
    this.calls.push('startXOAuth2');
    if (this.headless) throw new CommandError('not-supported', 'Under crier serve, connect from the settings page it serves.');
    return this.startXOAuth2At(input, 'http://127.0.0.1:8917/oauth2/callback');
  }

  async startXOAuth2At(input: OAuth2AppInput, redirectUri: string): Promise<OAuth2Start> {
    this.calls.push('startXOAuth2At');
    const app = parseOAuth2App(input);
    this.oauth2Started = { clientId: app.clientId, redirectUri };
    const url = new URL('https://x.invalid/i/oauth2/authorize');
    url.searchParams.set('client_id', app.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('state', 'fake-state');
    return { url: url.toString(), redirectUri };
  }

  async finishXOAuth2(query: URLSearchParams): Promise<{ ok: boolean; message: string }> {
    this.calls.push('finishXOAuth2');
    if (query.get('state') !== 'fake-state' || this.oauth2Started === null) return { ok: false, message: 'This sign-in answer does not belong to a login Crier started.' };
    if (query.get('error') === 'access_denied') return { ok: false, message: 'The sign-in was declined on X.' };
    this.oauth2Started = null;
    this.account = { ...this.account, connected: true, method: 'oauth2', handle: 'someone', dryRun: false, failure: null };
    this.emit({ account: this.account });
    return { ok: true, message: 'Connected @someone with OAuth 2.0.' };
  }

  async importOpml(xml: string): Promise<OpmlImportResult> {
    this.calls.push('importOpml');
    const entries = parseOpml(validate(OpmlSchema, xml, 'opml'));
    const added: Feed[] = [];
    let skipped = 0;
    for (const e of entries) {
      if ([...this.feeds.values()].some((f) => f.url === e.url)) {
        skipped++;
        continue;
      }
      added.push(await this.addFeed({ url: e.url, name: e.title }));
    }
    return { added: added.length, skipped, feeds: added };
  }

  async exportOpml(): Promise<string> {
    this.calls.push('exportOpml');
    return exportOpml([...this.feeds.values()], new Date());
  }

  async openLogsFolder(): Promise<void> {
    this.calls.push('openLogsFolder');
    if (this.headless) throw new CommandError('not-supported', 'Headless Crier writes its log to standard error.');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }

  private feed(id: string): Feed {
    const feed = this.feeds.get(parseId(id));
    if (!feed) throw new CommandError('not-found', 'No such feed.', 'id');
    return feed;
  }

  private bulk(ids: string[], action: 'retry' | 'cancel', status: Task['status']): number {
    const changed: Task[] = [];
    for (const id of new Set(parseTaskIds(ids))) {
      const task = this.tasks.get(id);
      if (!task || !allowedActions(task.status).includes(action)) continue;
      if (action === 'cancel') this.beforeCancel.set(task.id, task);
      const updated: Task = { ...task, status, updatedAt: changedAt(task.updatedAt, Date.now()) };
      this.tasks.set(task.id, updated);
      changed.push(updated);
    }
    if (changed.length > 0) this.emit({ tasks: changed, queue: this.queue() });
    return changed.length;
  }

  private transition(id: string, action: 'retry' | 'cancel', status: Task['status']): Task {
    const task = this.tasks.get(parseId(id));
    if (!task) throw new CommandError('not-found', 'No such task.', 'id');
    if (!allowedActions(task.status).includes(action)) {
      throw new CommandError('conflict', `A ${task.status} task cannot be ${action === 'retry' ? 'retried' : 'cancelled'}.`);
    }
    if (action === 'cancel') this.beforeCancel.set(task.id, task);
    const updated: Task = { ...task, status, updatedAt: changedAt(task.updatedAt, Date.now()) };
    this.tasks.set(task.id, updated);
    this.emit({ tasks: [updated], queue: this.queue() });
    return updated;
  }

  private queue(): QueueState {
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as QueueState['counts'];
    for (const t of this.tasks.values()) counts[t.status]++;
    return { paused: this.paused, pauseReason: this.paused ? 'user' : null, resumesAt: null, postedToday: 0, dailyCap: this.settings.dailyCap, counts };
  }
}
