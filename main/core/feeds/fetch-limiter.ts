// At most N fetches at once across feeds, and one fetch per feed at a time: a second request
// for a feed already in flight joins the first instead of fetching again.

export interface FetchLimiter {
  /**
   * Runs `job` once a slot is free. The slot is held until the job settles, or until the job calls
   * `fetched` (its network part is over: the parse that follows is the parser's to bound); the key
   * stays in flight, joined by a second request, until the job settles either way.
   */
  run<T>(key: string, job: (fetched: () => void) => Promise<T>): Promise<T>;
  setLimit(limit: number): void;
}

export function createFetchLimiter(initialLimit: number): FetchLimiter {
  let limit = Math.max(1, initialLimit);
  let active = 0;
  const waiting: (() => void)[] = [];
  const inFlight = new Map<string, Promise<unknown>>();

  const release = (): void => {
    active--;
    pump();
  };
  const pump = (): void => {
    while (active < limit && waiting.length > 0) {
      active++;
      waiting.shift()?.();
    }
  };
  const acquire = (): Promise<void> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      pump();
    });

  return {
    run<T>(key: string, job: (fetched: () => void) => Promise<T>): Promise<T> {
      const existing = inFlight.get(key);
      if (existing) return existing as Promise<T>;
      let held = true;
      const fetched = (): void => {
        if (!held) return;
        held = false;
        release();
      };
      const promise = acquire()
        .then(() => job(fetched))
        .finally(() => {
          inFlight.delete(key);
          fetched();
        });
      inFlight.set(key, promise);
      return promise;
    },
    setLimit(next) {
      limit = Math.max(1, next);
      pump();
    },
  };
}
