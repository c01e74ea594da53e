// At most N fetches at once across feeds, and one fetch per feed at a time: a second request
// for a feed already in flight joins the first instead of fetching again.

export interface FetchLimiter {
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
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
    run<T>(key: string, job: () => Promise<T>): Promise<T> {
      const existing = inFlight.get(key);
      if (existing) return existing as Promise<T>;
      const promise = acquire()
        .then(job)
        .finally(() => {
          inFlight.delete(key);
          release();
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
