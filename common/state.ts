// The view's copy of the app state: a snapshot plus deltas applied in order. A seq gap or a
// new epoch means we missed something, so the store refetches the whole snapshot. A page that
// shows tasks loads its first screenful first and the rest once it has painted (issue 13).
import type { StateDelta, StateOptions, StateSnapshot } from '../preload/contract';

export type DeltaOutcome =
  | { kind: 'applied'; state: StateSnapshot }
  /** Already seen (e.g. replayed after an SSE reconnect): nothing changes. */
  | { kind: 'stale' }
  | { kind: 'refetch'; reason: 'gap' | 'epoch' };

function upsert<T extends { id: string }>(list: T[], changed: T[] | undefined, removed: string[] | undefined): T[] {
  if (!changed?.length && !removed?.length) return list;
  const gone = new Set(removed ?? []);
  const byId = new Map((changed ?? []).map((x) => [x.id, x]));
  const out: T[] = [];
  for (const x of list) {
    if (gone.has(x.id)) continue;
    const next = byId.get(x.id);
    out.push(next ?? x);
    byId.delete(x.id);
  }
  for (const x of byId.values()) if (!gone.has(x.id)) out.push(x);
  return out;
}

/** Pure: the next state, or why the delta cannot be applied. Unchanged entities keep their identity. */
export function applyDelta(state: StateSnapshot, delta: StateDelta): DeltaOutcome {
  if (delta.epoch !== state.epoch) return { kind: 'refetch', reason: 'epoch' };
  if (delta.seq <= state.seq) return { kind: 'stale' };
  if (delta.seq !== state.seq + 1) return { kind: 'refetch', reason: 'gap' };
  return {
    kind: 'applied',
    state: {
      ...state,
      seq: delta.seq,
      tasks: upsert(state.tasks, delta.tasks, delta.removedTaskIds),
      feeds: upsert(state.feeds, delta.feeds, delta.removedFeedIds),
      settings: delta.settings ?? state.settings,
      queue: delta.queue ?? state.queue,
      ...(delta.queues === undefined ? {} : { queues: { ...state.queues, ...delta.queues } }),
      account: delta.account ?? state.account,
      ...(delta.accounts === undefined ? {} : { accounts: delta.accounts }),
      notices: delta.notices ?? state.notices,
    },
  };
}

/** Whether a snapshot that arrives on its own (SSE connect) should replace what we hold. */
export function snapshotSupersedes(current: StateSnapshot | null, incoming: StateSnapshot): boolean {
  return current === null || incoming.epoch !== current.epoch || incoming.seq >= current.seq;
}

export type StoreStatus = 'loading' | 'ready' | 'error';

export interface Store {
  get(): StateSnapshot | null;
  status(): StoreStatus;
  error(): Error | null;
  /** False while the state holds only the first tasks of a limited load (the rest is on its way). */
  tasksComplete(): boolean;
  /** Called after every change; returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Fetches a fresh snapshot (also used after a gap). */
  refresh(): Promise<void>;
  close(): void;
}

export interface StoreOptions {
  /**
   * The first load asks for only this many tasks, the newest (what the page shows at once), so it
   * paints before the whole list has been sent, parsed and sorted. Omitted: every task at once.
   */
  taskLimit?: number;
  /**
   * After a limited load, fetch every task once the page has painted (true, the default: the tasks
   * window), or never (false: a page that shows no tasks, e.g. settings).
   */
  allTasks?: boolean;
  /** Runs `fn` once what the store holds now has been painted (default: after the next frame). */
  afterPaint?(fn: () => void): void;
}

/** How a transport's connection stands (the renderer's HTTP client reports it; IPC never closes). */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** What the store needs of an Api: the renderer's bridge or HTTP client, or main's own service. */
export interface StoreApi {
  getState(options?: StateOptions): Promise<StateSnapshot>;
  onDelta(listener: (delta: StateDelta) => void): () => void;
  onSnapshot?(listener: (snapshot: StateSnapshot) => void, options?: StateOptions): () => void;
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

function defaultAfterPaint(fn: () => void): void {
  // A frame callback runs before that frame's paint; a task queued from it runs after.
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(fn, 0));
  else setTimeout(fn, 0);
}

/** Whether a snapshot holds every task (one answered without a limit always does). */
export function holdsAllTasks(snapshot: StateSnapshot): boolean {
  return snapshot.tasksTotal === undefined || snapshot.tasks.length >= snapshot.tasksTotal;
}

/**
 * One state load per page: where the transport pushes a snapshot when its stream opens (SSE),
 * that snapshot is the first load and no request is made; elsewhere (the Electron bridge) the
 * store subscribes to deltas before it asks, so none falls between the snapshot and the stream.
 * Deltas that arrive while a snapshot is in flight wait and are replayed on top of it. With a
 * `taskLimit` the first load carries the newest tasks only; the rest comes with one getState()
 * after the first paint.
 */
export function createStore(api: StoreApi, options: StoreOptions = {}): Store {
  let state: StateSnapshot | null = null;
  let complete = true;
  let status: StoreStatus = 'loading';
  let lastError: Error | null = null;
  let inflight: Promise<void> | null = null;
  let restScheduled = false;
  let closed = false;
  let buffered: StateDelta[] = [];
  const listeners = new Set<() => void>();
  const notify = (): void => { for (const l of listeners) l(); };
  const first: StateOptions | undefined = options.taskLimit === undefined ? undefined : { taskLimit: options.taskLimit };
  const wantsAll = options.allTasks ?? true;
  const afterPaint = options.afterPaint ?? defaultAfterPaint;

  const replace = (snapshot: StateSnapshot): void => {
    state = snapshot;
    complete = holdsAllTasks(snapshot);
    status = 'ready';
    lastError = null;
  };

  /** The rest of a limited load, once the page has shown what it has. */
  const loadRestLater = (): void => {
    if (complete || !wantsAll || restScheduled || closed) return;
    restScheduled = true;
    afterPaint(() => {
      restScheduled = false;
      if (!complete && !closed) void load(undefined);
    });
  };

  const onDelta = (delta: StateDelta): void => {
    if (inflight || !state) { buffered.push(delta); return; }
    const out = applyDelta(state, delta);
    if (out.kind === 'applied') { state = out.state; notify(); }
    else if (out.kind === 'refetch') { buffered.push(delta); void refresh(); }
  };

  function load(request: StateOptions | undefined): Promise<void> {
    if (inflight) return inflight;
    inflight = (async () => {
      try {
        replace(await (request === undefined ? api.getState() : api.getState(request)));
      } catch (err) {
        lastError = err instanceof Error ? err : new Error(String(err));
        if (!state) status = 'error';
      } finally {
        inflight = null;
      }
      const replay = buffered;
      buffered = [];
      let needsAnother = false;
      for (const d of replay) {
        if (!state) break;
        const out = applyDelta(state, d);
        if (out.kind === 'applied') state = out.state;
        // A delta from a newer epoch than the snapshot we just got: one more fetch settles it.
        else if (out.kind === 'refetch' && (d.epoch !== state.epoch || d.seq > state.seq)) needsAnother = true;
      }
      notify();
      if (needsAnother && status === 'ready') void refresh();
      else loadRestLater();
    })();
    return inflight;
  }

  /** A page that shows every task refetches all of them; the first load and others stay limited. */
  const refresh = (): Promise<void> => load(state === null || !wantsAll ? first : undefined);

  const offSnapshot = api.onSnapshot?.((snapshot) => {
    if (inflight) return; // the fetch in flight is at least as new
    if (!snapshotSupersedes(state, snapshot)) return;
    replace(snapshot);
    // Deltas that came before the stream's first snapshot (none on SSE, which sends it first).
    const replay = buffered;
    buffered = [];
    for (const d of replay) {
      const out = state ? applyDelta(state, d) : null;
      if (out?.kind === 'applied') state = out.state;
    }
    notify();
    loadRestLater();
  }, first);
  const offDelta = api.onDelta(onDelta);
  // A stream that fails before its first snapshot: the request tells why (or brings the state).
  const offConnection = offSnapshot ? api.onConnection?.((c) => { if (c !== 'open' && !state && !inflight) void refresh(); }) : undefined;
  if (!offSnapshot) void refresh();

  return {
    get: () => state,
    status: () => status,
    error: () => lastError,
    tasksComplete: () => complete,
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
    refresh,
    close() { closed = true; offDelta(); offSnapshot?.(); offConnection?.(); listeners.clear(); },
  };
}
