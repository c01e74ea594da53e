// Group commit for a file that always holds one whole value (feeds.json): a change made while a
// write runs joins the next write, and only the newest value is written. A burst of 50 changes
// costs two writes, not 50, and no caller waits behind the others' fsyncs.

export interface GroupWriter<T> {
  /** Remembers `value` as the newest; settles when the file holds it or a later value. */
  write(value: T): Promise<void>;
  /**
   * Settles when nothing is left to write: awaits the write that runs or waits, and writes again
   * when the last one failed (memory kept a change the file does not hold).
   */
  settle(): Promise<void>;
}

/** `persist` writes one whole value; it is never called twice at once. */
export function createGroupWriter<T>(persist: (value: T) => Promise<void>): GroupWriter<T> {
  let latest: T | undefined;
  let hasLatest = false;
  /** The write that has not started yet: every change made meanwhile shares its promise. */
  let queued: Promise<void> | null = null;
  /** The end of the write that runs (or ran last), failures swallowed: the next one starts after it. */
  let tail: Promise<void> = Promise.resolve();
  /** The last write failed: the file is behind memory until the next write succeeds. */
  let behind = false;

  const schedule = (): Promise<void> => {
    if (queued) return queued;
    const run = tail.then(async () => {
      queued = null; // from here on, a change goes to the write after this one
      const value = latest as T;
      try {
        await persist(value);
        behind = false;
      } catch (error) {
        behind = true;
        throw error;
      }
    });
    queued = run;
    tail = run.catch(() => undefined);
    return run;
  };

  return {
    write(value) {
      latest = value;
      hasLatest = true;
      return schedule();
    },
    async settle() {
      if (queued) return queued;
      await tail;
      if (behind && hasLatest) return schedule();
    },
  };
}
