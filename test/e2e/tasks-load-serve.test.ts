// The tasks window against a real `crier serve` holding 300 tasks: one state load — the event
// stream's first snapshot with the newest 60, then one GET /api/state for every task once those
// are painted — and the settings window, which shows no tasks, asks for none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../main/core/defaults';
import { silentLogger, systemClock } from '../../main/core/ports';
import { openStore } from '../../main/core/store';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { launchChromium, watchPage } from './support/browser';
import { manyTasks } from './support/fixtures';

const TASKS = 300;

describe('the pages\' state loads against crier serve', () => {
  let dir: string;
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crier-load-serve-'));
    const store = openStore(join(dir, 'data'), { clock: systemClock, log: silentLogger });
    store.setSettings({ ...DEFAULT_SETTINGS, historyLimit: 10_000 });
    // Paused by the user, so nothing posts (and changes) while the pages load.
    store.queueMemory.savePause({ reason: 'user', resumesAt: null, credentials: null });
    for (const task of manyTasks(TASKS, Date.now())) store.tasks.put(task);
    await store.close();
    serve = await startServeProcess({ dataDir: join(dir, 'data') });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(page: string): Promise<{ requests: string[]; problems: string[]; tasks: () => Promise<string | null> }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    await context.addCookies([{ name: `crier_token_${serve.port}`, value: serve.token, url: serve.origin }]);
    const p = await context.newPage();
    const watch = await watchPage(p);
    const requests: string[] = [];
    p.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) requests.push(`${r.method()} ${u.pathname}${u.search}`); });
    await p.goto(`${serve.origin}/${page}`);
    await p.locator('body[data-status="ready"]').waitFor();
    return { requests, problems: watch.problems, tasks: () => p.locator('.filter-all .filter-count').textContent() };
  }

  it('loads the tasks window with the stream\'s first snapshot and one request for the rest', async () => {
    const page = await open('tasks.html');
    await expect.poll(() => page.requests).toEqual(['GET /api/events?taskLimit=60', 'GET /api/state']);
    expect(await page.tasks()).toBe(String(TASKS));
    // Nothing else follows.
    await new Promise((r) => setTimeout(r, 500));
    expect(page.requests).toEqual(['GET /api/events?taskLimit=60', 'GET /api/state']);
    expect(page.problems).toEqual([]);
  });

  it('loads the settings window with one stream snapshot that carries no tasks', async () => {
    const page = await open('settings.html');
    await expect.poll(() => page.requests).toEqual(['GET /api/events?taskLimit=0']);
    // Nothing else follows.
    await new Promise((r) => setTimeout(r, 500));
    expect(page.requests).toEqual(['GET /api/events?taskLimit=0']);
    expect(page.problems).toEqual([]);
  });
});
