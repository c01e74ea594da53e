// The one seam that knows where the page runs: in Electron the preload bridge exposes the
// Api as window.crier; in a browser against `crier serve` the same Api speaks HTTP + SSE.
import type {
  AccountState, Api, ApiError, BlueskyCredentials, MastodonCredentials, ConnectionTestResult, Feed, FeedInput, FeedPatch, FieldIssue, OAuth1Credentials, OAuth2AppInput, OAuth2Start,
  OpmlImportResult, PreviewOptions, PreviewResult, Settings, SkippedItem, StateDelta, StateOptions, StateSnapshot, Task,
} from '../preload/contract';

export type { ConnectionState } from '../common/state';
import { takeEarlyStream } from './lib/early-stream';
import type { ConnectionState } from '../common/state';

/** The contract's Api plus what only a view needs to know about its transport. */
export interface CrierApi extends Api {
  /** 'desktop' when behind the Electron preload, 'headless' against `crier serve`. */
  readonly host: 'desktop' | 'headless';
  /**
   * Whole snapshots pushed by the transport: SSE sends one when it connects (and when it reconnects
   * too late to replay what it missed), before any delta, so a page needs no getState of its own to
   * start. `options` of the subscription that opens the stream bound those snapshots' tasks
   * (GET /api/events?taskLimit=N), as getState's do.
   */
  onSnapshot?(listener: (snapshot: StateSnapshot) => void, options?: StateOptions): () => void;
  /** The live stream's health, where the transport has one to report. */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

/** An Api rejection: a real Error (stack, message) carrying the contract's code, field and field issues. */
export class CrierError extends Error implements ApiError {
  readonly code: string;
  readonly field?: string;
  /** A validation error's every offending field (the first is `field`). */
  readonly issues?: FieldIssue[];
  constructor(e: ApiError) {
    super(e.message);
    this.name = 'CrierError';
    this.code = e.code;
    if (e.field !== undefined) this.field = e.field;
    const issues = Array.isArray(e.issues) ? e.issues.filter(isIssue).map((i) => ({ field: i.field, message: i.message })) : [];
    if (issues.length > 0) this.issues = issues;
  }
}

function isIssue(x: unknown): x is FieldIssue {
  return typeof x === 'object' && x !== null && typeof (x as FieldIssue).field === 'string' && typeof (x as FieldIssue).message === 'string';
}

declare global {
  interface Window { crier?: Api }
}

let cached: CrierApi | null = null;

export function getApi(): CrierApi {
  if (cached) return cached;
  const bridge = typeof window !== 'undefined' ? window.crier : undefined;
  cached = bridge ? wrapBridge(bridge) : createHttpApi();
  return cached;
}

function wrapBridge(bridge: Api): CrierApi {
  // contextBridge objects are frozen proxies; delegate rather than spread so nothing is lost.
  const call = <K extends keyof Api>(k: K) => bridge[k].bind(bridge) as Api[K];
  const unwrap = async <T>(p: Promise<T>): Promise<T> => {
    try { return await p; } catch (err) { throw toCrierError(err); }
  };
  return {
    host: 'desktop',
    getState: (options) => unwrap(options === undefined ? call('getState')() : call('getState')(options)),
    onDelta: (l) => call('onDelta')(l),
    addFeed: (i) => unwrap(call('addFeed')(i)),
    updateFeed: (id, p) => unwrap(call('updateFeed')(id, p)),
    removeFeed: (id) => unwrap(call('removeFeed')(id)),
    pollNow: (id) => unwrap(call('pollNow')(id)),
    previewFeed: (u, o) => unwrap(call('previewFeed')(u, o)),
    retryTask: (id) => unwrap(call('retryTask')(id)),
    cancelTask: (id) => unwrap(call('cancelTask')(id)),
    editTask: (id, text, expected) => unwrap(call('editTask')(id, text, expected)),
    postTask: (id) => unwrap(call('postTask')(id)),
    undoCancel: (id) => unwrap(call('undoCancel')(id)),
    retryTasks: (ids) => unwrap(call('retryTasks')(ids)),
    cancelTasks: (ids) => unwrap(call('cancelTasks')(ids)),
    approveTasks: (ids) => unwrap(call('approveTasks')(ids)),
    skipTasks: (ids) => unwrap(call('skipTasks')(ids)),
    deletePost: (id) => unwrap(call('deletePost')(id)),
    listSkipped: (feedId) => unwrap(call('listSkipped')(feedId)),
    postSkipped: (id) => unwrap(call('postSkipped')(id)),
    removeTasks: (ids) => unwrap(call('removeTasks')(ids)),
    exportTasks: (format) => unwrap(call('exportTasks')(format)),
    retryAllFailed: () => unwrap(call('retryAllFailed')()),
    pause: (accountId) => unwrap(call('pause')(...(accountId === undefined ? [] : [accountId]))),
    resume: (accountId) => unwrap(call('resume')(...(accountId === undefined ? [] : [accountId]))),
    updateSettings: (p) => unwrap(call('updateSettings')(p)),
    clearHistory: () => unwrap(call('clearHistory')()),
    dismissNotice: (id) => unwrap(call('dismissNotice')(id)),
    testConnection: (accountId) => unwrap(call('testConnection')(...(accountId === undefined ? [] : [accountId]))),
    connectX: (c) => unwrap(call('connectX')(c)),
    disconnectX: (accountId) => unwrap(call('disconnectX')(...(accountId === undefined ? [] : [accountId]))),
    startXOAuth2: (input) => unwrap(call('startXOAuth2')(input)),
    connectBluesky: (c) => unwrap(call('connectBluesky')(c)),
    connectMastodon: (c) => unwrap(call('connectMastodon')(c)),
    importOpml: (x) => unwrap(call('importOpml')(x)),
    exportOpml: () => unwrap(call('exportOpml')()),
    openLogsFolder: () => unwrap(call('openLogsFolder')()),
  };
}

/** IPC rejections arrive as plain Errors whose message may carry a JSON ApiError. */
function toCrierError(err: unknown): CrierError {
  if (err instanceof CrierError) return err;
  if (isApiError(err)) return new CrierError(err);
  const message = err instanceof Error ? err.message : String(err);
  const json = /\{.*\}$/s.exec(message);
  if (json) {
    try {
      const parsed: unknown = JSON.parse(json[0]);
      if (isApiError(parsed)) return new CrierError(parsed);
    } catch { /* not JSON: fall through */ }
  }
  return new CrierError({ code: 'internal', message: message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '') });
}

function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && typeof (x as ApiError).code === 'string' && typeof (x as ApiError).message === 'string';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request(method: Method, path: string, body?: unknown, opts: { text?: boolean; xml?: boolean; accept?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = { Accept: opts.accept ?? (opts.text ? 'text/x-opml, application/xml, text/xml' : 'application/json') };
  let payload: string | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = opts.xml ? 'text/x-opml' : 'application/json';
    payload = opts.xml ? String(body) : JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  } catch (err) {
    throw new CrierError({ code: 'offline', message: `Cannot reach Crier (${err instanceof Error ? err.message : String(err)}).` });
  }
  if (!res.ok) {
    let parsed: unknown = null;
    try { parsed = await res.json(); } catch { /* a non-JSON error body */ }
    const e = (parsed as { error?: unknown } | null)?.error;
    if (isApiError(e)) throw new CrierError(e);
    throw new CrierError({ code: res.status === 401 ? 'unauthorized' : 'http', message: `Crier answered ${res.status} ${res.statusText}`.trim() });
  }
  if (res.status === 204) return undefined;
  if (opts.text) return res.text();
  const raw = await res.text();
  return raw === '' ? undefined : JSON.parse(raw);
}

/** The counting routes answer `{ retried }` / `{ cleared }` / …; a bare number is taken too. */
function asCount(x: unknown, key: 'retried' | 'cleared' | 'cancelled' | 'removed' | 'approved' | 'skipped'): number {
  if (typeof x === 'number') return x;
  const n = typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[key] : undefined;
  return typeof n === 'number' ? n : 0;
}

const id = (s: string): string => encodeURIComponent(s);
const limitQuery = (options: StateOptions): string => (options.taskLimit === undefined ? '' : `?taskLimit=${encodeURIComponent(options.taskLimit)}`);

export function createHttpApi(): CrierApi {
  const deltaListeners = new Set<(d: StateDelta) => void>();
  const snapshotListeners = new Set<(s: StateSnapshot) => void>();
  const connectionListeners = new Set<(c: ConnectionState) => void>();
  let source: EventSource | null = null;
  let streamOptions: StateOptions = {};

  const emitConnection = (c: ConnectionState): void => { for (const l of connectionListeners) l(c); };
  const ensureStream = (): void => {
    if (source) return;
    const url = `/api/events${limitQuery(streamOptions)}`;
    // The tasks window's early script may have opened this very stream already (lib/early-stream.ts).
    const early = takeEarlyStream(url);
    // EventSource reconnects by itself and sends Last-Event-ID; the server answers with a snapshot.
    source = early?.source ?? new EventSource(url, { withCredentials: true });
    const onSnapshot = (ev: Event): void => {
      const s = parseEvent<StateSnapshot>(ev);
      if (s) for (const l of snapshotListeners) l(s);
    };
    const onDeltaEvent = (ev: Event): void => {
      const d = parseEvent<StateDelta>(ev);
      if (d) for (const l of deltaListeners) l(d);
    };
    source.addEventListener('open', () => emitConnection('open'));
    source.addEventListener('error', () => emitConnection(source?.readyState === EventSource.CLOSED ? 'closed' : 'connecting'));
    source.addEventListener('snapshot', onSnapshot);
    source.addEventListener('delta', onDeltaEvent);
    if (!early) return;
    // What came before, once the page's start-up code has subscribed (it subscribes to deltas after
    // snapshots); no event of the stream's own runs before this microtask.
    const opened = early.source.readyState;
    queueMicrotask(() => {
      if (opened === EventSource.OPEN) emitConnection('open');
      else if (opened === EventSource.CLOSED) emitConnection('closed');
      for (const ev of early.events) (ev.type === 'snapshot' ? onSnapshot : onDeltaEvent)(ev);
    });
  };
  const maybeClose = (): void => {
    if (source && deltaListeners.size === 0 && snapshotListeners.size === 0) { source.close(); source = null; }
  };
  const subscribe = <T>(set: Set<T>, l: T): (() => void) => {
    set.add(l);
    ensureStream();
    return () => { set.delete(l); maybeClose(); };
  };

  return {
    host: 'headless',
    getState: async (options?: StateOptions) => (await request('GET', `/api/state${limitQuery(options ?? {})}`)) as StateSnapshot,
    onDelta: (l) => subscribe(deltaListeners, l),
    onSnapshot: (l, options) => {
      if (!source && options) streamOptions = options;
      return subscribe(snapshotListeners, l);
    },
    onConnection: (l) => { connectionListeners.add(l); return () => connectionListeners.delete(l); },
    addFeed: async (input: FeedInput) => (await request('POST', '/api/feeds', input)) as Feed,
    updateFeed: async (feedId: string, patch: FeedPatch) => (await request('PATCH', `/api/feeds/${id(feedId)}`, patch)) as Feed,
    removeFeed: async (feedId) => { await request('DELETE', `/api/feeds/${id(feedId)}`); },
    pollNow: async (feedId) => { await request('POST', feedId ? `/api/feeds/${id(feedId)}/poll` : '/api/poll', {}); },
    previewFeed: async (url: string, options: PreviewOptions = {}) => (await request('POST', '/api/preview', { url, ...options })) as PreviewResult,
    retryTask: async (taskId) => (await request('POST', `/api/tasks/${id(taskId)}/retry`, {})) as Task,
    cancelTask: async (taskId) => (await request('POST', `/api/tasks/${id(taskId)}/cancel`, {})) as Task,
    editTask: async (taskId, text, expectedUpdatedAt) => (await request('POST', `/api/tasks/${id(taskId)}/edit`, { text, expectedUpdatedAt })) as Task,
    postTask: async (taskId) => (await request('POST', `/api/tasks/${id(taskId)}/post-now`, {})) as Task,
    undoCancel: async (taskId) => (await request('POST', `/api/tasks/${id(taskId)}/undo-cancel`, {})) as Task,
    retryTasks: async (ids) => asCount(await request('POST', '/api/tasks/retry', { ids }), 'retried'),
    cancelTasks: async (ids) => asCount(await request('POST', '/api/tasks/cancel', { ids }), 'cancelled'),
    approveTasks: async (ids) => asCount(await request('POST', '/api/tasks/approve', { ids }), 'approved'),
    skipTasks: async (ids) => asCount(await request('POST', '/api/tasks/skip', { ids }), 'skipped'),
    deletePost: async (taskId) => (await request('POST', `/api/tasks/${id(taskId)}/delete-post`, {})) as Task,
    listSkipped: async (feedId) => (await request('GET', feedId === undefined ? '/api/skipped' : `/api/skipped?feedId=${id(feedId)}`)) as SkippedItem[],
    postSkipped: async (skipId) => (await request('POST', `/api/skipped/${id(skipId)}/post`, {})) as Task,
    removeTasks: async (ids) => asCount(await request('POST', '/api/tasks/remove', { ids }), 'removed'),
    exportTasks: async (format) => (await request('GET', `/api/tasks/export?format=${encodeURIComponent(format)}`, undefined,
      { text: true, accept: format === 'csv' ? 'text/csv' : 'application/json' })) as string,
    retryAllFailed: async () => asCount(await request('POST', '/api/tasks/retry-failed', {}), 'retried'),
    pause: async (accountId?: string) => { await request('POST', '/api/pause', accountId === undefined ? {} : { accountId }); },
    resume: async (accountId?: string) => { await request('POST', '/api/resume', accountId === undefined ? {} : { accountId }); },
    updateSettings: async (partial: Partial<Settings>) => (await request('PUT', '/api/settings', partial)) as Settings,
    clearHistory: async () => asCount(await request('POST', '/api/history/clear', {}), 'cleared'),
    dismissNotice: async (noticeId) => { await request('POST', `/api/notices/${id(noticeId)}/dismiss`, {}); },
    testConnection: async (accountId?: string) => (await request('POST', '/api/account/test', accountId === undefined ? {} : { accountId })) as ConnectionTestResult,
    connectX: async (credentials: OAuth1Credentials) => (await request('POST', '/api/account/connect', credentials)) as AccountState,
    disconnectX: async (accountId?: string) => (await request('POST', '/api/account/disconnect', accountId === undefined ? {} : { accountId })) as AccountState,
    startXOAuth2: async (input: OAuth2AppInput) => (await request('POST', '/api/x/oauth2/start', input)) as OAuth2Start,
    connectBluesky: async (credentials: BlueskyCredentials) => (await request('POST', '/api/accounts/bluesky', credentials)) as AccountState,
    connectMastodon: async (credentials: MastodonCredentials) => (await request('POST', '/api/accounts/mastodon', credentials)) as AccountState,
    importOpml: async (xml: string) => (await request('POST', '/api/opml', xml, { xml: true })) as OpmlImportResult,
    exportOpml: async () => (await request('GET', '/api/opml', undefined, { text: true })) as string,
    openLogsFolder: async () => { await request('POST', '/api/logs/open', {}); },
  };
}

function parseEvent<T extends { epoch: string; seq: number }>(ev: Event): T | null {
  try {
    const data: unknown = JSON.parse((ev as MessageEvent<string>).data);
    if (typeof data === 'object' && data !== null && typeof (data as T).epoch === 'string' && typeof (data as T).seq === 'number') return data as T;
  } catch { /* ignore malformed frames; a gap will trigger a refetch */ }
  return null;
}
