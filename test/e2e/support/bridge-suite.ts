// The harness of the fake-bridge browser suites (the Electron path): the pages built into a temp
// dir and served statically, one Chromium for the file, a fresh context per test with the fake
// preload bridge installed, and a check after each test that the page logged no errors, broke no
// CSP rule and opened no dialog.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { StateSnapshot } from '../../../preload/contract';
import { buildRenderer, installFakeBridge, launchChromium, serveStatic, watchPage, type PageWatch, type StaticServer } from './browser';
import type { FakeControls } from './fake-bridge';

export interface BridgeSuite {
  /**
   * Opens `path` (e.g. 'settings.html#account') on the given state, closing the page open before.
   * `beforeLoad` runs on the new page before it navigates (e.g. an init script of the test's own).
   */
  open(page: string, snapshot: StateSnapshot, beforeLoad?: (page: Page) => Promise<void>): Promise<Page>;
}

export function useBridgeSuite(): BridgeSuite {
  let browser: Browser;
  let server: StaticServer;
  let outDir: string;
  let context: BrowserContext | null = null;
  let watch: PageWatch | null = null;
  let problems: string[] = [];

  const closeContext = async (): Promise<void> => {
    problems.push(...(watch?.problems ?? []));
    await context?.close();
    context = null;
    watch = null;
  };

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'crier-renderer-'));
    await buildRenderer(outDir);
    server = await serveStatic(outDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await closeContext();
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });

  return {
    async open(path, snapshot, beforeLoad) {
      await closeContext();
      context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
      const page = await context.newPage();
      watch = await watchPage(page);
      await installFakeBridge(page, snapshot);
      await beforeLoad?.(page);
      await page.goto(`${server.url}/${path}`);
      await page.locator('body[data-status="ready"]').waitFor();
      return page;
    },
  };
}

/** Runs `fn` against the fake bridge's controls inside the page. */
export const fake = <T>(page: Page, fn: (f: FakeControls) => T): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.__crierFake)`) as Promise<T>;
