// The tasks window's early event stream (issue 13): opened before the main script, its events kept
// until the HTTP client adopts it — one stream, no snapshot lost, none asked for twice.
import { afterEach, describe, expect, it } from 'vitest';
import type { StateDelta, StateSnapshot } from '../../../preload/contract';
import { EARLY_STREAM_URL, keepEvents, openEarlyStream, takeEarlyStream, type EarlyStream } from '../../../renderer/lib/early-stream';
import { createHttpApi } from '../../../renderer/api';
import { makeSnapshot } from '../../e2e/support/fixtures';

/** An EventSource that never connects: the test dispatches its events. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  closed = false;
  constructor(readonly url: string, readonly init?: EventSourceInit) { super(); FakeEventSource.opened.push(this); }
  close(): void { this.closed = true; this.readyState = FakeEventSource.CLOSED; }
  emit(type: string, data: unknown): void { this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) })); }
}

const g = globalThis as unknown as { EventSource?: unknown; __crierEarlyStream?: EarlyStream; crier?: unknown };
afterEach(() => { delete g.EventSource; delete g.__crierEarlyStream; delete g.crier; FakeEventSource.opened = []; });

const snapshot = makeSnapshot({ seq: 4 });
const delta: StateDelta = { epoch: snapshot.epoch, seq: 5, tasks: [] };

describe('the early event stream', () => {
  it('keeps the snapshot and deltas that arrive before it is adopted, in order, and no more once stopped', () => {
    const source = new FakeEventSource(EARLY_STREAM_URL);
    const early = keepEvents(EARLY_STREAM_URL, source as unknown as EventSource);
    source.emit('snapshot', snapshot);
    source.emit('delta', delta);
    early.stop();
    source.emit('delta', { ...delta, seq: 6 });
    expect(early.events.map((e) => [e.type, (JSON.parse(e.data as string) as { seq: number }).seq])).toEqual([['snapshot', 4], ['delta', 5]]);
  });

  it('is taken once for the address it was opened on; one for another address is closed unused', () => {
    expect(takeEarlyStream(EARLY_STREAM_URL, g)).toBeNull();
    const same = new FakeEventSource(EARLY_STREAM_URL);
    g.__crierEarlyStream = keepEvents(EARLY_STREAM_URL, same as unknown as EventSource);
    expect(takeEarlyStream(EARLY_STREAM_URL, g)?.source).toBe(same);
    expect(takeEarlyStream(EARLY_STREAM_URL, g)).toBeNull();
    const other = new FakeEventSource(EARLY_STREAM_URL);
    g.__crierEarlyStream = keepEvents(EARLY_STREAM_URL, other as unknown as EventSource);
    expect(takeEarlyStream('/api/events?taskLimit=100', g)).toBeNull();
    expect(other.closed).toBe(true);
  });

  it('is never opened on a page with the Electron bridge', () => {
    const win = { crier: {}, EventSource: FakeEventSource } as unknown as Window & typeof globalThis;
    openEarlyStream(win);
    expect(FakeEventSource.opened).toEqual([]);
    const plain = { EventSource: FakeEventSource } as unknown as Window & typeof globalThis & { __crierEarlyStream?: EarlyStream };
    openEarlyStream(plain);
    openEarlyStream(plain);
    expect(FakeEventSource.opened.map((s) => [s.url, s.init?.withCredentials])).toEqual([[EARLY_STREAM_URL, true]]);
    expect(plain.__crierEarlyStream?.url).toBe(EARLY_STREAM_URL);
  });

  it('is adopted by the HTTP client: no second stream, its snapshot and deltas delivered after the page subscribed, and its open said', async () => {
    g.EventSource = FakeEventSource;
    const source = new FakeEventSource(EARLY_STREAM_URL);
    g.__crierEarlyStream = keepEvents(EARLY_STREAM_URL, source as unknown as EventSource);
    source.readyState = FakeEventSource.OPEN;
    source.emit('snapshot', snapshot);
    source.emit('delta', delta);

    const api = createHttpApi();
    const seen: string[] = [];
    api.onSnapshot!((s: StateSnapshot) => seen.push(`snapshot ${s.seq}`), { taskLimit: 60 });
    // The page subscribes to deltas and the connection after snapshots, in the same turn.
    api.onDelta((d) => seen.push(`delta ${d.seq}`));
    api.onConnection!((c) => seen.push(c));
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(['open', 'snapshot 4', 'delta 5']);
    // Live from here on, through the same stream.
    source.emit('delta', { ...delta, seq: 6 });
    expect(seen.at(-1)).toBe('delta 6');
    expect(FakeEventSource.opened).toEqual([source]);
  });

  it('is closed, and a stream of the client’s own opened, when the page asks for another first screenful', () => {
    g.EventSource = FakeEventSource;
    const source = new FakeEventSource(EARLY_STREAM_URL);
    g.__crierEarlyStream = keepEvents(EARLY_STREAM_URL, source as unknown as EventSource);
    createHttpApi().onSnapshot!(() => undefined, { taskLimit: 100 });
    expect(source.closed).toBe(true);
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual([EARLY_STREAM_URL, '/api/events?taskLimit=100']);
  });
});
