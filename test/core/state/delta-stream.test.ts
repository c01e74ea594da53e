import { describe, expect, it } from 'vitest';
import type { StateDelta, Task } from '../../../preload/contract';
import { createDeltaStream } from '../../../main/core/state/delta-stream';

const task = (id: string, status: Task['status'] = 'pending'): Task => ({
  id, feedId: 'f', itemId: id, itemTitle: id, itemLink: null, text: id, imageUrl: null, status, attempts: 0,
  nextAttemptAt: null, error: null, postId: null, postUrl: null, dryRun: false, note: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('delta stream', () => {
  it('merges the changes of one tick into one delta with the next seq', async () => {
    const stream = createDeltaStream();
    const seen: StateDelta[] = [];
    stream.subscribe((d) => seen.push(d));
    stream.task(task('a'));
    stream.task(task('a', 'running'));
    stream.task(task('b'));
    await Promise.resolve();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.seq).toBe(1);
    expect(seen[0]?.tasks?.map((t) => [t.id, t.status])).toEqual([['a', 'running'], ['b', 'pending']]);
  });

  it('numbers deltas consecutively within one epoch', async () => {
    const stream = createDeltaStream();
    const seqs: number[] = [];
    stream.subscribe((d) => seqs.push(d.seq));
    stream.task(task('a'));
    stream.flush();
    stream.removeTasks(['a']);
    stream.flush();
    expect(seqs).toEqual([1, 2]);
  });

  it('starts a new epoch for every stream', () => {
    expect(createDeltaStream().epoch).not.toBe(createDeltaStream().epoch);
  });

  it('sends a removal rather than an update for a task changed then removed in one tick', () => {
    const stream = createDeltaStream();
    const seen: StateDelta[] = [];
    stream.subscribe((d) => seen.push(d));
    stream.task(task('a'));
    stream.removeTasks(['a']);
    stream.flush();
    expect(seen[0]?.tasks).toBeUndefined();
    expect(seen[0]?.removedTaskIds).toEqual(['a']);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const errors: unknown[] = [];
    const stream = createDeltaStream({ onListenerError: (e) => errors.push(e) });
    const seen: number[] = [];
    stream.subscribe(() => { throw new Error('bad view'); });
    stream.subscribe((d) => seen.push(d.seq));
    stream.task(task('a'));
    stream.flush();
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  it('sends nothing when nothing changed', () => {
    const stream = createDeltaStream();
    const seen: StateDelta[] = [];
    stream.subscribe((d) => seen.push(d));
    stream.flush();
    expect(seen).toEqual([]);
  });
});
