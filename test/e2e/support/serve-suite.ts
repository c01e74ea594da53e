// One real `crier serve` in a temp data dir, a loopback feed site, the HTTPS fake X API when asked
// for, and a Chromium tab for a test file: started before its tests (before the file's own
// beforeAll, which may build on them), stopped after. The pages are opened by name, as a user would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Settings, StateSnapshot } from '../../../preload/contract';
import { childEnvFor, startFakeXApi, type FakeXApi, type FakeXApiOptions } from '../../support/fake-x-api';
import { startFeedServer, type FeedRoute, type FeedServer } from '../../support/feed-server';
import { callApi, startServeProcess, type ServeProcess } from '../../support/serve-process';
import { launchChromium, watchPage, type PageWatch } from './browser';

export interface ServeSuiteOptions {
  /** Names the temp dir. */
  name: string;
  /** The loopback site's routes (feeds, pages). */
  routes?: Record<string, FeedRoute>;
  /** Settings put before the first test (e.g. no gap between posts). */
  settings?: Partial<Settings>;
  viewport?: { width: number; height: number };
  /** The browser context's other options (e.g. acceptDownloads). */
  context?: Omit<BrowserContextOptions, 'viewport'>;
  /** Starts the HTTPS fake X API with these options, and gives crier serve its credentials. */
  x?: FakeXApiOptions;
  /** More environment for crier serve. */
  env?: Record<string, string>;
}

export interface ServeSuite {
  readonly serve: ServeProcess;
  readonly site: FeedServer;
  /** The fake X API (only with the `x` option). */
  readonly x: FakeXApi;
  readonly tab: Page;
  readonly watch: PageWatch;
  /** Opens a page of crier serve (e.g. 'settings.html', '#posting') and waits until it is ready. */
  open(page: string, hash?: string): Promise<void>;
  /** GET /api/state. */
  state(): Promise<StateSnapshot>;
}

export function useServeSuite(options: ServeSuiteOptions): ServeSuite {
  let dir: string | undefined;
  let serve: ServeProcess | undefined;
  let site: FeedServer | undefined;
  let x: FakeXApi | undefined;
  let browser: Browser | undefined;
  let tab: Page | undefined;
  let watch: PageWatch | undefined;
  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the serve suite has no ${what} yet (used outside a test?)`);
    return value;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `crier-${options.name}-`));
    site = await startFeedServer(options.routes ?? {});
    if (options.x) x = await startFakeXApi(options.x);
    serve = await startServeProcess({ dataDir: join(dir, 'data'), env: { ...(x ? childEnvFor(x, dir) : {}), ...options.env } });
    if (options.settings) await callApi(serve, 'PUT', '/api/settings', options.settings);
    browser = await launchChromium();
    tab = await (await browser.newContext({ ...options.context, viewport: options.viewport ?? { width: 1200, height: 900 } })).newPage();
    watch = await watchPage(tab);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await site?.close();
    await x?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  return {
    get serve() { return must(serve, 'server'); },
    get site() { return must(site, 'site'); },
    get x() { return must(x, 'fake X API (ask for it with the x option)'); },
    get tab() { return must(tab, 'tab'); },
    get watch() { return must(watch, 'page watch'); },
    async open(page, hash = '') {
      const t = must(tab, 'tab');
      // The listening line's URL carries the token; the page trades it for the cookie.
      await t.goto(`${must(serve, 'server').line.replace(/^Crier listening on /, '').replace('/?', `/${page}?`)}${hash}`);
      await t.locator('body[data-status="ready"]').waitFor();
    },
    state: () => callApi<StateSnapshot>(must(serve, 'server'), 'GET', '/api/state'),
  };
}
