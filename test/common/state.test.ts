import { describe, expect, it } from 'vitest';
import type { StateDelta, StateOptions, StateSnapshot } from '../../preload/contract';
import type { ConnectionState } from '../../renderer/api';
import { applyDelta, createStore, holdsAllTasks, snapshotSupersedes } from '../../common/state';
import { makeFeed, makeSnapshot, makeTask } from '../e2e/support/fixtures';

const base = (): StateSnapshot => makeSnapshot({ seq: 5, tasks: [makeTask({ id: 'a' }), makeTask({ id: 'b' })] });

describe('applyDelta', () => {
  it('replaces changed tasks in place and appends new ones', () => {
    const s = base();
    const out = applyDelta(s, { epoch: 'epoch-1', seq: 6, tasks: [makeTask({ id: 'b', status: 'running' }), makeTask({ id: 'c' })] });
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.state.seq).toBe(6);
    expect(out.state.tasks.map((t) => [t.id, t.status])).toEqual([['a', 'pending'], ['b', 'running'], ['c', 'pending']]);
  });

  it('keeps the identity of unchanged tasks so rows need not re-render', () => {
    const s = base();
    const out = applyDelta(s, { epoch: 'epoch-1', seq: 6, tasks: [makeTask({ id: 'b', status: 'running' })] });
    if (out.kind !== 'applied') throw new Error(out.kind);
    expect(out.state.tasks[0]).toBe(s.tasks[0]);
    expect(out.state.tasks[1]).not.toBe(s.tasks[1]);
  });

  it('removes tasks and feeds listed as removed', () => {
    const s = { ...base(), feeds: [makeFeed({ id: 'blog' }), makeFeed({ id: 'news' })] };
    const out = applyDelta(s, { epoch: 'epoch-1', seq: 6, removedTaskIds: ['a'], removedFeedIds: ['news'] });
    if (out.kind !== 'applied') throw new Error(out.kind);
    expect(out.state.tasks.map((t) => t.id)).toEqual(['b']);
    expect(out.state.feeds.map((f) => f.id)).toEqual(['blog']);
  });

  it('replaces queue, account, settings and the notice list when the delta carries them', () => {
    const s = base();
    const notices = [{ id: 'n', kind: 'info' as const, message: 'hello', at: '2026-03-01T00:00:00.000Z' }];
    const out = applyDelta(s, { epoch: 'epoch-1', seq: 6, queue: { ...s.queue, paused: true, pauseReason: 'user' }, notices });
    if (out.kind !== 'applied') throw new Error(out.kind);
    expect(out.state.queue.paused).toBe(true);
    expect(out.state.notices).toEqual(notices);
    expect(out.state.account).toBe(s.account);
  });

  it('asks for a refetch when a seq is skipped', () => {
    expect(applyDelta(base(), { epoch: 'epoch-1', seq: 7 })).toEqual({ kind: 'refetch', reason: 'gap' });
  });

  it('asks for a refetch when the epoch changes, whatever the seq', () => {
    expect(applyDelta(base(), { epoch: 'epoch-2', seq: 1 })).toEqual({ kind: 'refetch', reason: 'epoch' });
  });

  it('ignores a delta it has already applied', () => {
    expect(applyDelta(base(), { epoch: 'epoch-1', seq: 5 })).toEqual({ kind: 'stale' });
    expect(applyDelta(base(), { epoch: 'epoch-1', seq: 3 })).toEqual({ kind: 'stale' });
  });
});

describe('snapshotSupersedes', () => {
  it('takes a pushed snapshot from a new epoch or at least as new, and refuses an older one', () => {
    const s = base();
    expect(snapshotSupersedes(null, s)).toBe(true);
    expect(snapshotSupersedes(s, { ...s, seq: 5 })).toBe(true);
    expect(snapshotSupersedes(s, { ...s, epoch: 'epoch-2', seq: 1 })).toBe(true);
    expect(snapshotSupersedes(s, { ...s, seq: 4 })).toBe(false);
  });
});

/**
 * The bridge (Electron) when `stream` is false: getState and pushed deltas. The HTTP transport
 * when true: it also pushes a snapshot when its stream opens, and reports the stream's health.
 */
function fakeApi(initial: StateSnapshot, stream = false) {
  let server = initial;
  let deltaListener: ((d: StateDelta) => void) | null = null;
  let snapshotListener: ((s: StateSnapshot) => void) | null = null;
  let connectionListener: ((c: ConnectionState) => void) | null = null;
  const gets: (StateOptions | undefined)[] = [];
  const streamOptions: (StateOptions | undefined)[] = [];
  const pendingGets: (() => void)[] = [];
  let holdGets = false;
  const answer = (options: StateOptions | undefined): StateSnapshot => {
    const s = structuredClone(server);
    if (options?.taskLimit === undefined) return s;
    return { ...s, tasks: s.tasks.slice(0, options.taskLimit), tasksTotal: s.tasks.length };
  };
  return {
    api: {
      getState: (options?: StateOptions) => new Promise<StateSnapshot>((resolve) => {
        gets.push(options);
        const reply = () => resolve(answer(options));
        if (holdGets) pendingGets.push(reply); else reply();
      }),
      onDelta: (l: (d: StateDelta) => void) => { deltaListener = l; return () => { deltaListener = null; }; },
      ...(stream ? {
        onSnapshot: (l: (s: StateSnapshot) => void, options?: StateOptions) => {
          snapshotListener = l;
          streamOptions.push(options);
          return () => { snapshotListener = null; };
        },
        onConnection: (l: (c: ConnectionState) => void) => { connectionListener = l; return () => { connectionListener = null; }; },
      } : {}),
    },
    setServer: (s: StateSnapshot) => { server = s; },
    send: (d: StateDelta) => deltaListener?.(d),
    /** The stream's snapshot, limited as the stream was asked. */
    push: (s: StateSnapshot = server) => { const o = streamOptions[0]; snapshotListener?.(o?.taskLimit === undefined ? structuredClone(s) : { ...structuredClone(s), tasks: s.tasks.slice(0, o.taskLimit), tasksTotal: s.tasks.length }); },
    connection: (c: ConnectionState) => connectionListener?.(c),
    gets: () => gets.length,
    getOptions: () => gets,
    streamOptions: () => streamOptions,
    hold: (on: boolean) => { holdGets = on; if (!on) pendingGets.splice(0).forEach((f) => f()); },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
/** Stands in for "after the page painted": runs what the store deferred when the test says so. */
function paints() {
  const queued: (() => void)[] = [];
  return { afterPaint: (fn: () => void) => { queued.push(fn); }, paint: () => queued.splice(0).forEach((f) => f()), waiting: () => queued.length };
}
const many = (n: number): StateSnapshot => makeSnapshot({ seq: 5, tasks: Array.from({ length: n }, (_, i) => makeTask({ id: `t${i}` })) });

describe('createStore', () => {
  it('loads the snapshot and applies deltas in order', async () => {
    const f = fakeApi(base());
    const store = createStore(f.api);
    await flush();
    expect(store.status()).toBe('ready');
    f.send({ epoch: 'epoch-1', seq: 6, tasks: [makeTask({ id: 'a', status: 'completed' })] });
    expect(store.get()?.tasks.find((t) => t.id === 'a')?.status).toBe('completed');
    expect(f.gets()).toBe(1);
  });

  it('refetches the snapshot when it sees a seq gap', async () => {
    const f = fakeApi(base());
    const store = createStore(f.api);
    await flush();
    f.setServer({ ...base(), seq: 9, tasks: [makeTask({ id: 'z' })] });
    f.send({ epoch: 'epoch-1', seq: 8, tasks: [makeTask({ id: 'y' })] });
    await flush();
    expect(f.gets()).toBe(2);
    expect(store.get()?.seq).toBe(9);
    expect(store.get()?.tasks.map((t) => t.id)).toEqual(['z']);
  });

  it('refetches when a new epoch starts (the engine restarted)', async () => {
    const f = fakeApi(base());
    const store = createStore(f.api);
    await flush();
    f.setServer(makeSnapshot({ epoch: 'epoch-2', seq: 1 }));
    f.send({ epoch: 'epoch-2', seq: 2 });
    await flush();
    await flush();
    expect(store.get()?.epoch).toBe('epoch-2');
    expect(f.gets()).toBeGreaterThanOrEqual(2);
  });

  it('replays deltas that arrive while a snapshot is loading on top of it', async () => {
    const f = fakeApi(base());
    f.hold(true);
    const store = createStore(f.api);
    f.send({ epoch: 'epoch-1', seq: 5 });
    f.send({ epoch: 'epoch-1', seq: 6, tasks: [makeTask({ id: 'new' })] });
    f.hold(false);
    await flush();
    expect(store.get()?.seq).toBe(6);
    expect(store.get()?.tasks.map((t) => t.id)).toContain('new');
    expect(f.gets()).toBe(1);
  });

  it('reports an error when the first snapshot cannot be loaded', async () => {
    const store = createStore({
      getState: () => Promise.reject(new Error('Cannot reach Crier')),
      onDelta: () => () => undefined,
    });
    await flush();
    expect(store.status()).toBe('error');
    expect(store.error()?.message).toBe('Cannot reach Crier');
  });
});

describe('one state load per page (issue 13)', () => {
  it('asks the bridge for the first screenful, and for every task once that has been painted', async () => {
    const f = fakeApi(many(100));
    const p = paints();
    const store = createStore(f.api, { taskLimit: 10, afterPaint: p.afterPaint });
    await flush();
    expect(f.getOptions()).toEqual([{ taskLimit: 10 }]);
    expect(store.get()?.tasks).toHaveLength(10);
    expect(store.tasksComplete()).toBe(false);
    // Nothing more until the page has shown those ten.
    await flush();
    expect(f.gets()).toBe(1);
    p.paint();
    await flush();
    expect(f.getOptions()).toEqual([{ taskLimit: 10 }, undefined]);
    expect(store.get()?.tasks).toHaveLength(100);
    expect(store.tasksComplete()).toBe(true);
    expect(p.waiting()).toBe(0);
  });

  it('makes no second load when the first screenful already holds every task', async () => {
    const f = fakeApi(many(4));
    const p = paints();
    const store = createStore(f.api, { taskLimit: 10, afterPaint: p.afterPaint });
    await flush();
    p.paint();
    await flush();
    expect(f.gets()).toBe(1);
    expect(store.tasksComplete()).toBe(true);
  });

  it('applies deltas to the first screenful while the rest is on its way, then to the whole list', async () => {
    const f = fakeApi(many(30));
    const p = paints();
    const store = createStore(f.api, { taskLimit: 5, afterPaint: p.afterPaint });
    await flush();
    f.hold(true);
    p.paint();
    f.send({ epoch: 'epoch-1', seq: 6, tasks: [makeTask({ id: 't20', status: 'failed' })] });
    f.setServer({ ...many(30), seq: 6, tasks: many(30).tasks.map((t) => (t.id === 't20' ? { ...t, status: 'failed' as const } : t)) });
    f.send({ epoch: 'epoch-1', seq: 7, tasks: [makeTask({ id: 'late' })] });
    f.hold(false);
    await flush();
    expect(store.get()?.seq).toBe(7);
    expect(store.get()?.tasks).toHaveLength(31);
    expect(store.get()?.tasks.find((t) => t.id === 't20')?.status).toBe('failed');
  });

  it('makes no request of its own where the stream pushes the first snapshot, and asks the stream for the first screenful', async () => {
    const f = fakeApi(many(3), true);
    const p = paints();
    const store = createStore(f.api, { taskLimit: 10, afterPaint: p.afterPaint });
    await flush();
    expect(f.streamOptions()).toEqual([{ taskLimit: 10 }]);
    expect(store.status()).toBe('loading');
    f.push();
    p.paint();
    await flush();
    expect(store.status()).toBe('ready');
    expect(store.get()?.tasks).toHaveLength(3);
    expect(f.gets()).toBe(0);
  });

  it('loads the rest with one request after a limited stream snapshot has been painted', async () => {
    const f = fakeApi(many(50), true);
    const p = paints();
    const store = createStore(f.api, { taskLimit: 10, afterPaint: p.afterPaint });
    f.push();
    expect(store.get()?.tasks).toHaveLength(10);
    expect(f.gets()).toBe(0);
    p.paint();
    await flush();
    expect(f.getOptions()).toEqual([undefined]);
    expect(store.get()?.tasks).toHaveLength(50);
  });

  it('asks with a request when the stream fails before its first snapshot, so the page can say why', async () => {
    const f = fakeApi(many(3), true);
    const store = createStore(f.api, { taskLimit: 10, afterPaint: () => undefined });
    f.connection('connecting');
    await flush();
    expect(f.getOptions()).toEqual([{ taskLimit: 10 }]);
    expect(store.status()).toBe('ready');
  });

  it('never loads every task for a page that shows none, and refetches with its own limit after a gap', async () => {
    const f = fakeApi(many(40));
    const p = paints();
    const store = createStore(f.api, { taskLimit: 0, allTasks: false, afterPaint: p.afterPaint });
    await flush();
    p.paint();
    f.setServer({ ...many(40), seq: 9 });
    f.send({ epoch: 'epoch-1', seq: 9 });
    await flush();
    expect(f.getOptions()).toEqual([{ taskLimit: 0 }, { taskLimit: 0 }]);
    expect(store.get()?.tasks).toEqual([]);
  });

  it('replaces its state with a snapshot the transport pushes after a reconnect, and loads the rest again if it is limited', async () => {
    const f = fakeApi(many(20), true);
    const p = paints();
    const store = createStore(f.api, { taskLimit: 5, afterPaint: p.afterPaint });
    f.push();
    p.paint();
    await flush();
    expect(store.get()?.tasks).toHaveLength(20);
    let changes = 0;
    store.subscribe(() => { changes += 1; });
    f.setServer({ ...many(20), epoch: 'epoch-2', seq: 1 });
    f.push();
    expect(store.get()?.epoch).toBe('epoch-2');
    expect(store.get()?.tasks).toHaveLength(5);
    expect(changes).toBe(1);
    p.paint();
    await flush();
    expect(store.get()?.tasks).toHaveLength(20);
    expect(f.gets()).toBe(2);
  });
});

describe('holdsAllTasks', () => {
  it('is true for a snapshot without a limit or one whose limit left nothing out', () => {
    expect(holdsAllTasks(many(3))).toBe(true);
    expect(holdsAllTasks({ ...many(3), tasksTotal: 3 })).toBe(true);
    expect(holdsAllTasks({ ...many(3), tasksTotal: 4 })).toBe(false);
  });
});
