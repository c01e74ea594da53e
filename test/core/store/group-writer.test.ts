// The group commit behind feeds.json: changes made while a write runs share the next write, and
// every caller's promise says whether the file holds its change.
import { describe, expect, it } from 'vitest';
import { createGroupWriter } from '../../../main/core/store/group-writer';

/** A persist whose writes finish only when the test says so. */
function gatedPersist() {
  const written: number[] = [];
  const gates: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const persist = (value: number): Promise<void> => new Promise<void>((resolve, reject) => {
    gates.push({
      resolve: () => {
        written.push(value);
        resolve();
      },
      reject,
    });
  });
  return { persist, written, gates };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether a promise has settled, without waiting for it. */
function watch(promise: Promise<void>): { settled: () => boolean; failed: () => Error | null } {
  let settled = false;
  let failed: Error | null = null;
  promise.then(() => { settled = true; }, (error: Error) => { settled = true; failed = error; });
  return { settled: () => settled, failed: () => failed };
}

describe('createGroupWriter', () => {
  it('writes 50 changes made during one write in one more write, holding only the newest', async () => {
    const { persist, written, gates } = gatedPersist();
    const writer = createGroupWriter(persist);
    const first = writer.write(0);
    await tick();
    expect(gates).toHaveLength(1);
    const later = Array.from({ length: 50 }, (_, i) => writer.write(i + 1));
    await tick();
    expect(gates).toHaveLength(1);
    gates[0]!.resolve();
    await first;
    await tick();
    expect(gates).toHaveLength(2);
    gates[1]!.resolve();
    await Promise.all(later);
    expect(written).toEqual([0, 50]);
  });

  it('settles a caller only once the write holding its change has finished', async () => {
    const { persist, gates } = gatedPersist();
    const writer = createGroupWriter(persist);
    const saved = watch(writer.write(1));
    await tick();
    expect(saved.settled()).toBe(false);
    gates[0]!.resolve();
    await tick();
    expect(saved.settled()).toBe(true);
  });

  it('rejects every caller of a failed write, and the next write holds the newest value', async () => {
    const { persist, written, gates } = gatedPersist();
    const writer = createGroupWriter(persist);
    const a = watch(writer.write(1));
    const b = watch(writer.write(2));
    await tick();
    gates[0]!.reject(new Error('disk full'));
    await tick();
    expect(a.failed()?.message).toBe('disk full');
    expect(b.failed()?.message).toBe('disk full');
    const c = writer.write(3);
    await tick();
    gates[1]!.resolve();
    await c;
    expect(written).toEqual([3]);
  });

  it('writes again on settle when the last write failed, and settles at once when nothing is pending', async () => {
    const { persist, written, gates } = gatedPersist();
    const writer = createGroupWriter(persist);
    await writer.settle();
    expect(gates).toHaveLength(0);
    const failed = writer.write(7).catch(() => undefined);
    await tick();
    gates[0]!.reject(new Error('EIO'));
    await failed;
    const settled = writer.settle();
    await tick();
    gates[1]!.resolve();
    await settled;
    expect(written).toEqual([7]);
  });

  it('settle waits for the write that runs', async () => {
    const { persist, gates } = gatedPersist();
    const writer = createGroupWriter(persist);
    void writer.write(1);
    await tick();
    const settled = watch(writer.settle());
    await tick();
    expect(settled.settled()).toBe(false);
    gates[0]!.resolve();
    await tick();
    expect(settled.settled()).toBe(true);
  });
});
