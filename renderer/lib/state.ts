// The view's copy of the app state: a snapshot plus deltas applied in order. A seq gap or a
// new epoch means we missed something, so the store refetches the whole snapshot.
import type { StateDelta, StateSnapshot } from '../../preload/contract';
import type { CrierApi } from '../api';

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
      account: delta.account ?? state.account,
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
  /** Called after every change; returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Fetches a fresh snapshot (also used after a gap). */
  refresh(): Promise<void>;
  close(): void;
}

/**
 * Subscribes before fetching, so no delta falls between the snapshot and the stream; deltas
 * that arrive while a snapshot is in flight wait and are replayed on top of it.
 */
export function createStore(api: Pick<CrierApi, 'getState' | 'onDelta' | 'onSnapshot'>): Store {
  let state: StateSnapshot | null = null;
  let status: StoreStatus = 'loading';
  let lastError: Error | null = null;
  let inflight: Promise<void> | null = null;
  let buffered: StateDelta[] = [];
  const listeners = new Set<() => void>();
  const notify = (): void => { for (const l of listeners) l(); };

  const replace = (snapshot: StateSnapshot): void => {
    state = snapshot;
    status = 'ready';
    lastError = null;
  };

  const onDelta = (delta: StateDelta): void => {
    if (inflight || !state) { buffered.push(delta); return; }
    const out = applyDelta(state, delta);
    if (out.kind === 'applied') { state = out.state; notify(); }
    else if (out.kind === 'refetch') { buffered.push(delta); void refresh(); }
  };

  const refresh = (): Promise<void> => {
    if (inflight) return inflight;
    inflight = (async () => {
      try {
        replace(await api.getState());
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
    })();
    return inflight;
  };

  const offDelta = api.onDelta(onDelta);
  const offSnapshot = api.onSnapshot?.((snapshot) => {
    if (inflight) return; // the fetch in flight is at least as new
    if (snapshotSupersedes(state, snapshot)) { replace(snapshot); notify(); }
  });
  void refresh();

  return {
    get: () => state,
    status: () => status,
    error: () => lastError,
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
    refresh,
    close() { offDelta(); offSnapshot?.(); listeners.clear(); },
  };
}
