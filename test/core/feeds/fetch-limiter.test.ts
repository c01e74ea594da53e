import { describe, expect, it } from 'vitest';
import { createFetchLimiter } from '../../../main/core/feeds/fetch-limiter';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('fetch limiter', () => {
  it('runs at most the limit of jobs at once', async () => {
    const limiter = createFetchLimiter(2);
    let running = 0;
    let peak = 0;
    const gates = [deferred(), deferred(), deferred()];
    const jobs = gates.map((gate, i) => limiter.run(`feed-${i}`, async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
    }));
    await Promise.resolve();
    expect(running).toBe(2);
    gates.forEach((g) => g.resolve());
    await Promise.all(jobs);
    expect(peak).toBe(2);
  });

  it('joins a second request for a feed already being fetched instead of fetching twice', async () => {
    const limiter = createFetchLimiter(4);
    let calls = 0;
    const gate = deferred();
    const first = limiter.run('feed', async () => { calls++; await gate.promise; return 'done'; });
    const second = limiter.run('feed', async () => { calls++; return 'again'; });
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    expect(calls).toBe(1);
  });

  it('gives the slot to the next job once a job says its fetch is done, while its key stays joined until it ends', async () => {
    const limiter = createFetchLimiter(1);
    const parse = deferred();
    let calls = 0;
    const first = limiter.run('a', async (fetched) => { calls++; fetched(); await parse.promise; return 'a'; });
    const second = limiter.run('b', async () => 'b');
    expect(await second).toBe('b');
    // A request for 'a' meanwhile joins the one in flight.
    const again = limiter.run('a', async () => { calls++; return 'again'; });
    parse.resolve();
    expect(await Promise.all([first, again])).toEqual(['a', 'a']);
    expect(calls).toBe(1);
  });

  it('frees the slot when a job fails', async () => {
    const limiter = createFetchLimiter(1);
    await expect(limiter.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await limiter.run('b', async () => 'ok')).toBe('ok');
  });
});
