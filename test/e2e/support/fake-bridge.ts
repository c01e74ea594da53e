// An in-memory Api installed as window.crier before the page loads — the same shape the
// Electron preload exposes — with controls on window.__crierFake for the test to drive.
import { allowedActions, canDeletePost, type Api, type ApiError, type Feed, type PreviewResult, type SkippedItem, type StateDelta, type StateSnapshot, type Task } from '../../../preload/contract';
import { newestTasks } from '../../../main/core/state/newest-tasks';
import { changedAt } from '../../../main/core/tasks/changed-at';
import { countsOf, makeFeed } from './fixtures';

export interface FakeControls {
  calls: { method: string; args: unknown[] }[];
  state: StateSnapshot;
  /** Sends a delta with the next seq (or the given one, to simulate a gap). */
  emit(delta: Omit<StateDelta, 'epoch' | 'seq'> & { epoch?: string; seq?: number }): void;
  upsertTasks(tasks: Task[]): void;
  /** Changes state without telling the page (as if deltas were lost). */
  mutateSilently(fn: (s: StateSnapshot) => void): void;
  getStateCalls(): number;
  /** Holds every getState without a task limit until released (to see what the page paints first). */
  holdFullState(hold: boolean): void;
}

declare global {
  /** `__crierPreview`, when seeded, is what every previewFeed answers; without it previewFeed fails. */
  interface Window {
    __crierSeed?: StateSnapshot; __crierFake?: FakeControls; __crierPreview?: PreviewResult;
    /** Per address, before `__crierPreview`: what previewFeed answers, or the ApiError it rejects with. */
    __crierPreviews?: Record<string, PreviewResult | { error: ApiError }>;
    /** Seeded true: getState without a limit waits from the start until holdFullState(false). */
    __crierHoldFullState?: boolean;
    /** Set: deletePost rejects with this ApiError, as when X refuses (code 'x-refused'). */
    __crierDeleteRefusal?: ApiError;
    /** The skipped log, oldest first: what listSkipped answers from (postSkipped takes entries out). */
    __crierSkipped?: SkippedItem[];
  }
}

const seed = window.__crierSeed;
if (seed) {
  const listeners = new Set<(d: StateDelta) => void>();
  const calls: FakeControls['calls'] = [];
  let getStateCalls = 0;
  // Read at the first call: a test's init script may set the seed flag after this script ran.
  let holdFull: boolean | null = null;
  const heldFull: (() => void)[] = [];
  const state: StateSnapshot = structuredClone(seed);
  const clone = <T>(x: T): T => structuredClone(x);

  const recount = (): void => { state.queue = { ...state.queue, counts: countsOf(state.tasks) }; };
  const applyLocal = (d: Omit<StateDelta, 'epoch' | 'seq'>): void => {
    if (d.tasks) {
      const byId = new Map(d.tasks.map((t) => [t.id, t]));
      state.tasks = state.tasks.map((t) => byId.get(t.id) ?? t);
      for (const t of d.tasks) if (!state.tasks.some((x) => x.id === t.id)) state.tasks.push(t);
      recount();
    }
    if (d.removedTaskIds) { state.tasks = state.tasks.filter((t) => !d.removedTaskIds?.includes(t.id)); recount(); }
    if (d.queue) state.queue = { ...d.queue, counts: countsOf(state.tasks) };
    if (d.account) state.account = d.account;
    if (d.notices) state.notices = d.notices;
    if (d.feeds) state.feeds = d.feeds;
    if (d.settings) state.settings = d.settings;
  };
  const emit: FakeControls['emit'] = (d) => {
    applyLocal(d);
    state.seq = d.seq ?? state.seq + 1;
    if (d.epoch) state.epoch = d.epoch;
    const delta: StateDelta = { ...clone(d), epoch: state.epoch, seq: state.seq };
    if (delta.tasks || delta.removedTaskIds) delta.queue = clone(state.queue);
    // Asynchronous, like IPC: a delta never arrives inside the call that caused it.
    setTimeout(() => { for (const l of listeners) l(delta); }, 0);
  };
  const record = (method: string, ...args: unknown[]): void => { calls.push({ method, args: clone(args) }); };
  const transition = (id: string, action: 'retry' | 'cancel'): Task => {
    const t = state.tasks.find((x) => x.id === id);
    if (!t) throw Object.assign(new Error('No such task'), { code: 'not-found' });
    if (!allowedActions(t.status).includes(action)) throw Object.assign(new Error(`Cannot ${action} a ${t.status} task`), { code: 'conflict' });
    if (action === 'cancel') beforeCancel.set(t.id, t);
    const next: Task = { ...t, status: action === 'retry' ? 'pending' : 'cancelled', error: action === 'retry' ? null : t.error, updatedAt: changedAt(t.updatedAt, Date.now()) };
    emit({ tasks: [next] });
    return clone(next);
  };
  const notWired = async (): Promise<never> => { throw new Error('not in the fake'); };
  /** What each cancel replaced, for undoCancel (no time limit here; a test drives the window). */
  const beforeCancel = new Map<string, Task>();
  const find = (id: string): Task => {
    const t = state.tasks.find((x) => x.id === id);
    if (!t) throw Object.assign(new Error('No such task'), { code: 'not-found' });
    return t;
  };
  const bulk = (ids: string[], action: 'retry' | 'cancel'): number => {
    const changed: Task[] = [];
    for (const id of new Set(ids)) {
      const t = state.tasks.find((x) => x.id === id);
      if (!t || !allowedActions(t.status).includes(action)) continue;
      if (action === 'cancel') beforeCancel.set(t.id, t);
      const now = new Date().toISOString();
      changed.push(action === 'retry'
        ? { ...t, status: 'pending', attempts: 0, error: null, finishedAt: null, updatedAt: now }
        : { ...t, status: 'cancelled', finishedAt: now, postNowAt: null, updatedAt: now });
    }
    if (changed.length > 0) emit({ tasks: changed });
    return changed.length;
  };

  const api: Api = {
    async getState(options) {
      getStateCalls += 1;
      if (options === undefined) record('getState'); else record('getState', options);
      if (options?.taskLimit !== undefined) return clone({ ...state, tasks: newestTasks(state.tasks, options.taskLimit), tasksTotal: state.tasks.length });
      if (holdFull ?? window.__crierHoldFullState === true) await new Promise<void>((resolve) => heldFull.push(resolve));
      return clone(state);
    },
    onDelta(l) { listeners.add(l); return () => listeners.delete(l); },
    async retryTask(id) { record('retryTask', id); return transition(id, 'retry'); },
    async cancelTask(id) { record('cancelTask', id); return transition(id, 'cancel'); },
    async editTask(id, text, expectedUpdatedAt) {
      record('editTask', id);
      const t = state.tasks.find((x) => x.id === id);
      if (!t) throw Object.assign(new Error('No such task'), { code: 'not-found' });
      if (t.updatedAt !== expectedUpdatedAt) throw Object.assign(new Error('This task changed while you were editing it.'), { code: 'conflict' });
      const next: Task = { ...t, text, edit: { at: new Date().toISOString(), composedText: t.edit?.composedText ?? t.text }, updatedAt: changedAt(t.updatedAt, Date.now()) };
      emit({ tasks: [next] });
      return clone(next);
    },
    async postTask(id) {
      record('postTask', id);
      const t = find(id);
      if (t.status !== 'pending') throw Object.assign(new Error(`Only a pending task can be posted now; this one is ${t.status}.`), { code: 'conflict' });
      if (state.queue.paused) throw Object.assign(new Error('The queue is paused, so nothing is posted. Resume it to post this task now.'), { code: 'conflict' });
      if (state.queue.postedToday >= state.queue.dailyCap) throw Object.assign(new Error('Today\'s cap of posts is reached, so nothing more is posted before midnight.'), { code: 'conflict' });
      const now = new Date().toISOString();
      const next: Task = { ...t, postNowAt: now, updatedAt: now };
      emit({ tasks: [next] });
      return clone(next);
    },
    async undoCancel(id) {
      record('undoCancel', id);
      const t = find(id);
      const before = beforeCancel.get(id);
      if (!before || t.status !== 'cancelled') throw Object.assign(new Error('It is too late to undo this cancel: a cancel can be undone for 10 seconds.'), { code: 'conflict' });
      beforeCancel.delete(id);
      const next: Task = { ...before, updatedAt: changedAt(before.updatedAt, Date.now()) };
      emit({ tasks: [next] });
      return clone(next);
    },
    async retryTasks(ids) { record('retryTasks', ids); return bulk(ids, 'retry'); },
    async cancelTasks(ids) { record('cancelTasks', ids); return bulk(ids, 'cancel'); },
    async approveTasks(ids) {
      record('approveTasks', ids);
      // In the order given, each after every task already pending, as the engine does.
      const base = Date.now();
      const changed = [...new Set(ids)].map((id) => state.tasks.find((x) => x.id === id)).filter((t): t is Task => t?.status === 'review')
        .map((t, i): Task => ({ ...t, status: 'pending', queuedAt: new Date(base + i).toISOString(), updatedAt: new Date(base).toISOString() }));
      if (changed.length > 0) emit({ tasks: changed });
      return changed.length;
    },
    async skipTasks(ids) {
      record('skipTasks', ids);
      const now = new Date().toISOString();
      const befores = [...new Set(ids)].map((id) => state.tasks.find((x) => x.id === id)).filter((t): t is Task => t?.status === 'review');
      for (const t of befores) beforeCancel.set(t.id, t);
      const changed = befores.map((t): Task => ({ ...t, status: 'cancelled', skipped: true, note: 'Skipped in review', finishedAt: now, updatedAt: now }));
      if (changed.length > 0) emit({ tasks: changed });
      return changed.length;
    },
    async deletePost(id) {
      record('deletePost', id);
      const t = find(id);
      if (!canDeletePost(t)) throw Object.assign(new Error('Only a posted task\'s post can be deleted from X.'), { code: 'conflict' });
      const refusal = window.__crierDeleteRefusal;
      if (refusal) throw Object.assign(new Error(refusal.message), clone(refusal));
      const now = new Date().toISOString();
      const next: Task = { ...t, deletedAt: now, updatedAt: now };
      emit({ tasks: [next] });
      return clone(next);
    },
    async listSkipped(feedId) {
      record('listSkipped', feedId);
      // Unseeded: the feeds' recent skips stand in for the log, so pages seeded before it show them.
      const log = window.__crierSkipped ?? state.feeds.flatMap((f) => [...f.recentSkips].reverse().map((s, i): SkippedItem => ({
        id: `${f.id}-skip-${i}`, feedId: f.id, reason: s.reason, at: s.at,
        item: { id: `${f.id}-item-${i}`, title: s.itemTitle, link: null, summary: '', published: null, author: null, image: null, categories: [] },
      })));
      return clone([...log].reverse().filter((s) => feedId === undefined || s.feedId === feedId));
    },
    async postSkipped(skipId) {
      record('postSkipped', skipId);
      const entry = (window.__crierSkipped ?? []).find((s) => s.id === skipId);
      if (!entry) throw Object.assign(new Error('This item is not in the skipped log.'), { code: 'not-found' });
      window.__crierSkipped = (window.__crierSkipped ?? []).filter((s) => s !== entry);
      const now = new Date().toISOString();
      const task: Task = {
        id: `task-${skipId}`, feedId: entry.feedId, itemId: entry.item.id, itemTitle: entry.item.title, itemLink: entry.item.link, text: entry.item.title,
        imageUrl: null, status: 'pending', attempts: 0, nextAttemptAt: null, error: null, postId: null, postUrl: null, dryRun: false,
        note: null, createdAt: now, updatedAt: now,
      };
      emit({ tasks: [task] });
      return clone(task);
    },
    async removeTasks(ids) {
      record('removeTasks', ids);
      const wanted = new Set(ids);
      const gone = state.tasks.filter((t) => wanted.has(t.id) && allowedActions(t.status).includes('remove')).map((t) => t.id);
      if (gone.length > 0) emit({ removedTaskIds: gone });
      return gone.length;
    },
    async exportTasks(format) {
      record('exportTasks', format);
      return format === 'json' ? JSON.stringify(state.tasks, null, 2) : ['id,status,title', ...state.tasks.map((t) => `${t.id},${t.status},"${t.itemTitle.replace(/"/g, '""')}"`)].join('\r\n');
    },
    async retryAllFailed() {
      record('retryAllFailed');
      const failed = state.tasks.filter((t) => t.status === 'failed');
      emit({ tasks: failed.map((t) => ({ ...t, status: 'pending' as const, error: null })) });
      return failed.length;
    },
    async pause() { record('pause'); emit({ queue: { ...state.queue, paused: true, pauseReason: 'user' } }); },
    async resume() { record('resume'); emit({ queue: { ...state.queue, paused: false, pauseReason: null, resumesAt: null } }); },
    async dismissNotice(id) { record('dismissNotice', id); emit({ notices: state.notices.filter((n) => n.id !== id) }); },
    async pollNow(feedId) { record('pollNow', feedId); },
    async updateSettings(partial) {
      record('updateSettings', partial);
      const settings = { ...state.settings, ...partial };
      state.settings = settings;
      emit({ settings: clone(settings) });
      return clone(settings);
    },
    async testConnection() {
      record('testConnection');
      const { connected, handle } = state.account;
      return connected ? { ok: true, handle, message: `Connected as @${handle ?? '?'}.` } : { ok: false, handle: null, message: 'No X account is connected.' };
    },
    async connectX(credentials) {
      record('connectX', credentials);
      // Like main's validation: the first empty value is named by its field.
      const empty = (['appKey', 'appSecret', 'accessToken', 'accessSecret'] as const).find((k) => credentials[k].trim() === '');
      if (empty) throw Object.assign(new Error(`${empty}: Required.`), { code: 'validation', field: empty });
      const account = { ...state.account, connected: true, handle: 'crier_fake', method: 'oauth1' as const, dryRun: state.settings.dryRun };
      emit({ account });
      return clone(account);
    },
    async startXOAuth2(input) {
      record('startXOAuth2', input);
      if (input.clientId.trim() === '') throw Object.assign(new Error('Enter the OAuth 2.0 client id.'), { code: 'validation', field: 'clientId' });
      const redirectUri = 'http://127.0.0.1:8917/oauth2/callback';
      return { url: `https://x.invalid/i/oauth2/authorize?client_id=${encodeURIComponent(input.clientId)}&redirect_uri=${encodeURIComponent(redirectUri)}`, redirectUri };
    },
    async connectBluesky(credentials) {
      record('connectBluesky', { identifier: credentials.identifier });
      return { id: 'bsky-fake', network: 'bluesky' as const, connected: true, handle: credentials.identifier, method: null, dryRun: false, secretsProtected: true };
    },
    async connectMastodon(credentials) {
      record('connectMastodon', { instanceUrl: credentials.instanceUrl });
      return { id: 'masto-fake', network: 'mastodon' as const, connected: true, handle: 'someone@example.social', method: null, dryRun: false, secretsProtected: true };
    },
    async disconnectX() {
      record('disconnectX');
      const account = { ...state.account, connected: false, handle: null, method: null, dryRun: true };
      emit({ account });
      return clone(account);
    },
    async clearHistory() {
      record('clearHistory');
      const gone = state.tasks.filter((t) => t.status === 'completed' || t.status === 'cancelled').map((t) => t.id);
      emit({ removedTaskIds: gone });
      return gone.length;
    },
    async previewFeed(url, options) {
      record('previewFeed', url, options);
      const answer = window.__crierPreviews?.[url];
      if (answer && 'error' in answer) throw Object.assign(new Error(answer.error.message), clone(answer.error));
      const preview = answer ?? window.__crierPreview;
      return preview ? clone(preview) : notWired();
    },
    async openLogsFolder() { record('openLogsFolder'); },
    async addFeed(input) {
      record('addFeed', input);
      if (state.feeds.some((f) => f.url === input.url)) throw Object.assign(new Error(`Crier already follows ${input.url}.`), { code: 'conflict', field: 'url' });
      const feed: Feed = makeFeed({ ...input, id: `added-${state.feeds.length + 1}`, counts: { posted: 0, pending: 0, failed: 0 } });
      emit({ feeds: [...state.feeds, feed] });
      return clone(feed);
    },
    async updateFeed(id, patch) {
      record('updateFeed', id, patch);
      const current = state.feeds.find((f) => f.id === id);
      if (!current) throw Object.assign(new Error('No feed with that id; it may have been removed.'), { code: 'not-found', field: 'id' });
      const feed: Feed = { ...current, ...patch };
      emit({ feeds: state.feeds.map((f) => (f.id === id ? feed : f)) });
      return clone(feed);
    },
    async removeFeed(id) {
      record('removeFeed', id);
      state.feeds = state.feeds.filter((f) => f.id !== id);
      emit({ removedFeedIds: [id] });
    },
    importOpml: notWired, exportOpml: notWired,
  };
  // contextBridge hands the page a frozen object; so do we.
  Object.defineProperty(window, 'crier', { value: Object.freeze(api), writable: false, configurable: false });
  window.__crierFake = {
    calls, get state() { return state; }, emit, upsertTasks: (tasks) => emit({ tasks }),
    mutateSilently: (fn) => { fn(state); recount(); }, getStateCalls: () => getStateCalls,
    holdFullState: (hold) => { holdFull = hold; if (!hold) for (const release of heldFull.splice(0)) release(); },
  };
}
