import { describe, expect, it } from 'vitest';
import type { StateDelta, StateSnapshot } from '../../../preload/contract';
import { applyDelta, createStore, snapshotSupersedes } from '../../../renderer/lib/state';
import { makeFeed, makeSnapshot, makeTask } from '../../e2e/support/fixtures';

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

function fakeApi(initial: StateSnapshot) {
  let server = initial;
  let deltaListener: ((d: StateDelta) => void) | null = null;
  let snapshotListener: ((s: StateSnapshot) => void) | null = null;
  let gets = 0;
  const pendingGets: (() => void)[] = [];
  let holdGets = false;
  return {
    api: {
      getState: () => new Promise<StateSnapshot>((resolve) => {
        gets += 1;
        const answer = () => resolve(structuredClone(server));
        if (holdGets) pendingGets.push(answer); else answer();
      }),
      onDelta: (l: (d: StateDelta) => void) => { deltaListener = l; return () => { deltaListener = null; }; },
      onSnapshot: (l: (s: StateSnapshot) => void) => { snapshotListener = l; return () => { snapshotListener = null; }; },
    },
    setServer: (s: StateSnapshot) => { server = s; },
    send: (d: StateDelta) => deltaListener?.(d),
    push: (s: StateSnapshot) => snapshotListener?.(s),
    gets: () => gets,
    hold: (on: boolean) => { holdGets = on; if (!on) pendingGets.splice(0).forEach((f) => f()); },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

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

  it('replaces its state with a snapshot the transport pushes after a reconnect', async () => {
    const f = fakeApi(base());
    const store = createStore(f.api);
    await flush();
    let changes = 0;
    store.subscribe(() => { changes += 1; });
    f.push({ ...base(), seq: 12, tasks: [] });
    expect(store.get()?.seq).toBe(12);
    expect(store.get()?.tasks).toEqual([]);
    expect(changes).toBe(1);
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
