// Composition root: wires store, feed parser, X account and queue into an AppService.
import { createEnvAccount, type AccountPort } from './account';
import type { AppService, EngineOptions } from './app-service';
import { createFeedParser } from './feeds/executor';
import { systemClock } from './ports';
import { createAppService, type EngineService } from './service';
import { openStore } from './store/index';

export interface EngineExtras {
  /** The desktop shell's account (safeStorage); headless and CLI read the environment. */
  account?: AccountPort;
  fetch?: typeof globalThis.fetch;
  /** The desktop shell opens its logs folder; headless has none (the command answers not-supported). */
  openLogsFolder?: () => Promise<void>;
}

export async function openEngine(options: EngineOptions, extras: EngineExtras = {}): Promise<AppService & EngineService> {
  const clock = options.clock ?? systemClock;
  const store = openStore(options.dataDir, { clock, log: options.log });
  try {
    const service = createAppService({
      clock,
      log: options.log,
      store,
      parser: createFeedParser(),
      account: extras.account ?? createEnvAccount(options.env, options.log, { allowLoopbackImages: options.allowLoopbackImages === true }),
      ...(extras.fetch ? { fetch: extras.fetch } : {}),
      ...(extras.openLogsFolder ? { openLogsFolder: extras.openLogsFolder } : {}),
    });
    if (options.start !== false) service.start();
    return service;
  } catch (err) {
    await store.close();
    throw err;
  }
}
