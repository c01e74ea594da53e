// The engine through a real store in a temp dir, on a fake clock, with an X account that posts
// at once: started by a test, restarted on the same dir, and closed after each test.
import { afterEach } from 'vitest';
import type { AccountPort } from '../../main/core/account';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import type { EngineStore } from '../../main/core/store/types';
import type { PostRequest, XClient } from '../../main/core/x/types';
import type { FakeClock } from './fake-clock';

/** A connected account whose every post succeeds at once and lands in `posts`. */
export function postingAccount(posts: PostRequest[], fingerprint = 'keys'): AccountPort {
  const client: XClient = {
    async post(request) { posts.push(request); return { postId: String(posts.length), postUrl: `https://x.com/i/status/${posts.length}`, note: null }; },
    async me() { return { handle: 'crier' }; },
  };
  return {
    client: () => client, fingerprint: () => fingerprint,
    state: () => ({ connected: true, handle: null, method: 'oauth1', secretsProtected: true }),
    setHandle() {}, connect: async () => {}, disconnect: async () => {},
  };
}

export interface EngineRuns {
  /** Opens the store in `dir` (after `seed` changes it), starts the engine on it. */
  startIn(dir: string, clock: FakeClock, posts: PostRequest[], seed?: (store: EngineStore) => void): EngineService;
  /** Closes one engine before the test ends (a restart). */
  stop(service: EngineService): Promise<void>;
}

/** Engines started in a test file, each closed after its test. */
export function useEngineRuns(fingerprint?: string): EngineRuns {
  const running: EngineService[] = [];
  afterEach(async () => {
    for (const service of running.splice(0)) await service.close();
  });
  return {
    startIn(dir, clock, posts, seed) {
      const store = openStore(dir, { clock, log: silentLogger });
      seed?.(store);
      const service = createAppService({ clock, log: silentLogger, store, parser: createFeedParser({ workers: 1 }), account: postingAccount(posts, fingerprint), random: () => 0.5 });
      service.start();
      running.push(service);
      return service;
    },
    async stop(service) {
      running.splice(running.indexOf(service), 1);
      await service.close();
    },
  };
}
