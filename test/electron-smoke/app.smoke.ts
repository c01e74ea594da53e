// The real desktop app, end to end: Electron (the binary run.mjs found, in CRIER_SMOKE_ELECTRON)
// runs the built dist/electron/main.js with a temp data dir and a temp Chromium profile, driven by
// playwright-core's _electron. Everything the mocked unit tests cannot show: the tray is there
// with its menu, both windows load from app://crier/, the preload bridge answers, the pages get
// the CSP header and are sandboxed, and a feed added in Settings (a loopback feed server) is
// polled and its new item becomes a task in the Tasks window. No X account: the engine runs dry.
//
// Run it with `npm run test:electron` (run.mjs), never directly: run.mjs checks for the binary,
// builds dist/ and, on Linux, gives it a private X display and session bus.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../main/shell/security-headers';
import { SMOKE_PROBE_KEY, SMOKE_TEST_ENV, type SmokeProbe } from '../../main/electron/smoke-hook';
import { rssDocument, startFeedServer, type FeedServer } from '../support/feed-server';

const root = join(import.meta.dirname, '../..');
const executablePath = process.env.CRIER_SMOKE_ELECTRON;
// Chromium refuses to start as root with its sandbox on; everywhere else the sandbox stays on.
const asRoot = process.getuid?.() === 0;

const OLD_ITEM = { title: 'Already there when the feed was added', link: 'https://smoke.example.org/1', guid: 'smoke-1', pubDate: 'Sun, 01 Mar 2026 10:00:00 GMT' };
const NEW_ITEM = { title: 'Fresh from the smoke test', link: 'https://smoke.example.org/2', guid: 'smoke-2', pubDate: 'Sun, 01 Mar 2026 11:00:00 GMT' };

let dir: string;
let feeds: FeedServer;
let items = [OLD_ITEM];
let app: ElectronApplication;
let tasks: Page;
let settings: Page;

/** The tray's current menu, as labels (the hook in main/electron/smoke-hook.ts exposes it). */
const trayMenu = (): Promise<{ destroyed: boolean; labels: string[] } | null> => app.evaluate((_electron, key) => {
  const probe = (globalThis as Record<string, unknown>)[key] as SmokeProbe | undefined;
  if (!probe) return null;
  return { destroyed: probe.tray.isDestroyed(), labels: probe.menu?.items.map((item) => item.label) ?? [] };
}, SMOKE_PROBE_KEY);

/** Clicks a tray menu item the way the menu would. */
const clickTray = (label: string): Promise<void> => app.evaluate((_electron, [key, wanted]) => {
  const probe = (globalThis as Record<string, unknown>)[key!] as SmokeProbe | undefined;
  const item = probe?.menu?.items.find((i) => i.label === wanted);
  if (!item) throw new Error(`no tray menu item "${wanted}"`);
  item.click();
}, [SMOKE_PROBE_KEY, label]);

const ready = (page: Page): Promise<void> => page.locator('body[data-status="ready"]').waitFor();

beforeAll(async () => {
  if (!executablePath) throw new Error('CRIER_SMOKE_ELECTRON is not set: run this through npm run test:electron');
  dir = await mkdtemp(join(tmpdir(), 'crier-electron-smoke-'));
  feeds = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'Smoke Feed', items }) } });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // No X account: the engine runs dry, whatever the shell running the test has set.
    if (value !== undefined && !name.startsWith('CRIER_X_')) env[name] = value;
  }
  Object.assign(env, {
    CRIER_DATA_DIR: join(dir, 'data'),
    [SMOKE_TEST_ENV]: '1',
    // Linux: Chromium's and the app's per-user folders (logs, autostart) inside the temp dir.
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
  });
  app = await electron.launch({
    executablePath,
    args: [root, `--user-data-dir=${join(dir, 'profile')}`],
    env,
    cwd: root,
    chromiumSandbox: !asRoot,
    timeout: 90_000,
  });
  tasks = await app.firstWindow();
  await ready(tasks);
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await feeds?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the desktop app, launched for real', () => {
  it('keeps its data and its Chromium profile in the temp dir it was given', async () => {
    // --user-data-dir, and on Linux XDG_CONFIG_HOME as well: either keeps the profile (and the
    // single-instance lock in it) apart from a Crier the user may be running.
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(userData.startsWith(`${dir}${sep}`), userData).toBe(true);
    expect((await readdir(join(dir, 'data'))).length).toBeGreaterThan(0);
  });

  it('shows a tray icon whose menu carries every action', async () => {
    await expect.poll(async () => (await trayMenu())?.labels ?? [], { timeout: 30_000 }).toContain('Open tasks');
    const menu = await trayMenu();
    expect(menu?.destroyed).toBe(false);
    expect(menu?.labels).toEqual(expect.arrayContaining(['Open tasks', 'Poll now', 'Settings…', 'Start at login', 'Help', 'Quit Crier']));
    // Pause, or Resume when the OS reports no network (the queue then pauses itself).
    expect(menu?.labels.filter((label) => label === 'Pause' || label === 'Resume')).toHaveLength(1);
  });

  it('opens the tasks window from app://crier/', () => {
    expect(tasks.url()).toBe('app://crier/tasks.html');
  });

  it('answers window.crier.getState() through the preload bridge', async () => {
    const state = await tasks.evaluate(() => window.crier!.getState());
    expect(state.feeds).toEqual([]);
    expect(state.account.dryRun).toBe(true);
    expect(state.settings).toMatchObject({ startAtLogin: false });
  });

  it('serves its pages with the CSP header, and the CSP stops an inline script', async () => {
    const header = await tasks.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    expect(header).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    const outcome = await tasks.evaluate(() => new Promise<{ ran: boolean; violated: string }>((resolve, reject) => {
      // An allowed inline script runs as it is inserted; a blocked one fires the event instead.
      let ran = false;
      document.addEventListener('securitypolicyviolation', (e) => resolve({ ran, violated: e.effectiveDirective }), { once: true });
      const script = document.createElement('script');
      script.textContent = 'document.documentElement.dataset.inlineRan = "yes";';
      document.body.append(script);
      ran = document.documentElement.dataset.inlineRan === 'yes';
      if (ran) reject(new Error('the inline script ran: the CSP did not stop it'));
    }));
    expect(outcome.ran).toBe(false);
    expect(outcome.violated).toMatch(/^script-src/);
  });

  it('gives the page no Node: nothing but the bridge reaches it (contextBridge works only with context isolation)', async () => {
    const nodeGlobals = await tasks.evaluate(() => ['require', 'process', 'module', 'Buffer', 'ipcRenderer'].filter((name) => name in globalThis));
    expect(nodeGlobals).toEqual([]);
    expect(await tasks.evaluate(() => Object.keys(window.crier ?? {}).length)).toBeGreaterThan(0);
  });

  // Chromium will not start as root with its sandbox on, so there this cannot be shown.
  it.skipIf(asRoot)('runs each page in a renderer under Chromium\'s OS sandbox (webPreferences.sandbox)', async () => {
    expect(await app.evaluate(({ app: electronApp }) => electronApp.commandLine.hasSwitch('no-sandbox'))).toBe(false);
    const pids = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.webContents.getOSProcessId()));
    expect(pids.length).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      // An unsandboxed renderer (sandbox: false, or Node integration) runs without the seccomp-bpf filter.
      for (const pid of pids) expect(/^Seccomp:\s*(\d)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1], `renderer ${pid}`).toBe('2');
    } else {
      const metrics = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ pid: m.pid, sandboxed: m.sandboxed })));
      for (const pid of pids) expect(metrics.find((m) => m.pid === pid)?.sandboxed, `renderer ${pid}`).toBe(true);
    }
  });

  it('opens Settings from the tray menu, from app://crier/', async () => {
    [settings] = await Promise.all([app.waitForEvent('window'), clickTray('Settings…')]);
    await ready(settings);
    expect(settings.url()).toBe('app://crier/settings.html');
  });

  it('polls a feed added in Settings and shows its new item as a task', async () => {
    await settings.getByRole('button', { name: 'Add feed' }).click();
    const form = settings.locator('.feed-add-card');
    await form.getByLabel('Feed URL').fill(feeds.url('/feed.xml'));
    await form.getByLabel('Feed URL').press('Enter');
    await expect.poll(() => form.locator('.preview-post').count(), { timeout: 30_000 }).toBe(1);
    await form.getByRole('button', { name: 'Add feed' }).click();
    const card = settings.locator('.feed-card', { hasText: 'Smoke Feed' });
    // Saving polls at once: the item already there is the baseline, seen and not posted.
    await expect.poll(() => card.locator('.health').textContent(), { timeout: 30_000 }).toBe('Healthy');
    expect((await settings.evaluate(() => window.crier!.getState())).queue.counts).toMatchObject({ pending: 0, running: 0 });

    items = [NEW_ITEM, OLD_ITEM];
    await clickTray('Poll now');
    await tasks.locator('.task-title', { hasText: NEW_ITEM.title }).waitFor({ timeout: 30_000 });
    expect(await tasks.locator('.task-title', { hasText: OLD_ITEM.title }).count()).toBe(0);
  });
});
