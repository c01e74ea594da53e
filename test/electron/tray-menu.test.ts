import { describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../preload/contract';
import { menuBehaviour, renderTrayMenu, trayIconName, trayTooltip, type TrayAction, type TrayMenuItem } from '../../main/electron/tray-menu';
import { clockTime } from '../../common/time';
import { queueState, snapshot } from './tray-state';
import { DEFAULT_SETTINGS } from '../../main/core/defaults';

type QueueFields = Parameters<typeof queueState>[0];
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const labels = (items: TrayMenuItem[]): string[] => items.map((i) => (i.type === 'separator' ? '---' : i.label));
const find = (items: TrayMenuItem[], label: string): TrayMenuItem => {
  const item = items.find((i) => i.type !== 'separator' && i.label === label);
  if (!item) throw new Error(`no item '${label}' in ${labels(items).join(' | ')}`);
  return item;
};

describe('renderTrayMenu', () => {
  it('lists the status lines, the counts and every action in order', () => {
    const state = snapshot({ queue: queueState({ postedToday: 3, counts: { pending: 4, running: 1, failed: 2 } }) });
    expect(labels(renderTrayMenu(state, { platform: 'darwin', now: NOW }))).toEqual([
      'Pending 4 · Running 1 · Failed 2',
      'Posted today: 3 of 50',
      '---',
      'Open tasks',
      'Retry all failed (2)',
      'Poll now',
      'Pause',
      '---',
      'Settings…',
      'Start at login',
      'Help',
      '---',
      'Quit Crier',
    ]);
  });

  it('names the app in the menu itself on Linux, where the tooltip often does not show', () => {
    const items = renderTrayMenu(snapshot(), { platform: 'linux', now: NOW });
    expect(items[0]).toEqual({ type: 'normal', label: 'Crier', enabled: false });
    expect(labels(renderTrayMenu(snapshot(), { platform: 'win32', now: NOW }))).not.toContain('Crier');
  });

  it('shows information lines disabled and without an action', () => {
    const items = renderTrayMenu(snapshot(), { platform: 'win32', now: NOW });
    for (const item of items.slice(0, 2)) expect(item).toMatchObject({ type: 'normal', enabled: false });
    expect(items.slice(0, 2).every((i) => !('action' in i))).toBe(true);
  });

  it.each([
    [0, false],
    [1, true],
    [12, true],
  ])('with %i failed tasks the retry item is enabled: %s', (failed, enabled) => {
    const items = renderTrayMenu(snapshot({ queue: queueState({ counts: { failed } }) }), { platform: 'linux', now: NOW });
    expect(find(items, `Retry all failed (${failed})`)).toEqual({ type: 'normal', label: `Retry all failed (${failed})`, enabled, action: 'retry-failed' });
  });

  it.each<[string, QueueFields, string]>([
    ['a user pause', { paused: true, pauseReason: 'user' }, 'Posting is paused'],
    ['credits used up', { paused: true, pauseReason: 'credits-depleted' }, 'Paused: X API credits used up (402)'],
    ['refused credentials', { paused: true, pauseReason: 'auth' }, 'Paused: X rejected the credentials (401)'],
    ['being offline', { paused: true, pauseReason: 'offline' }, 'Paused: offline'],
    ['a rate limit without a reset time', { paused: true, pauseReason: 'rate-limited' }, 'Paused: X rate limit reached (429)'],
    ['the daily cap', { postedToday: 50, dailyCap: 50 }, 'Daily cap reached'],
  ])('says why posting stops for %s', (_name, queue, line) => {
    const items = renderTrayMenu(snapshot({ queue: queueState(queue) }), { platform: 'win32', now: NOW });
    expect(items[0]).toEqual({ type: 'normal', label: line, enabled: false });
  });

  it('says until when a rate limit pauses the queue, in local clock time', () => {
    const resumesAt = new Date(NOW + 15 * 60_000).toISOString();
    const state = snapshot({ queue: queueState({ paused: true, pauseReason: 'rate-limited', resumesAt }) });
    const items = renderTrayMenu(state, { platform: 'win32', now: NOW, locale: 'en-GB' });
    expect(find(items, `Paused: X rate limit reached (429), until ${clockTime(resumesAt, NOW, 'en-GB')}`)).toMatchObject({ enabled: false });
  });

  it('says when pending posts wait for the posting hours', () => {
    const closed = new Date(NOW + 3 * 3600_000);
    const hh = String(closed.getHours()).padStart(2, '0');
    const state = snapshot({
      queue: queueState({ counts: { pending: 2 } }),
      settings: { ...DEFAULT_SETTINGS, postingHours: { from: `${hh}:00`, to: `${hh}:30`, days: [0, 1, 2, 3, 4, 5, 6] } },
    });
    expect(renderTrayMenu(state, { platform: 'win32', now: NOW })[0]).toEqual({ type: 'normal', label: 'Outside posting hours', enabled: false });
  });

  it('offers Resume instead of Pause while the queue is paused', () => {
    const running = renderTrayMenu(snapshot(), { platform: 'linux', now: NOW });
    const paused = renderTrayMenu(snapshot({ queue: queueState({ paused: true, pauseReason: 'user' }) }), { platform: 'linux', now: NOW });
    expect(find(running, 'Pause')).toMatchObject({ action: 'pause', enabled: true });
    expect(labels(running)).not.toContain('Resume');
    expect(find(paused, 'Resume')).toMatchObject({ action: 'resume', enabled: true });
    expect(labels(paused)).not.toContain('Pause');
  });

  it.each([
    [true, 'Dry run: nothing is posted to X'],
    [false, 'Dry run: no X account connected'],
  ])('marks a dry run (account connected: %s)', (connected, line) => {
    const state = snapshot({ account: { connected, handle: null, method: connected ? 'oauth1' : null, dryRun: true, secretsProtected: true } });
    expect(find(renderTrayMenu(state, { platform: 'darwin', now: NOW }), line)).toMatchObject({ enabled: false });
  });

  it('omits the cap when there is none', () => {
    const items = renderTrayMenu(snapshot({ queue: queueState({ postedToday: 7, dailyCap: 0 }) }), { platform: 'darwin', now: NOW });
    expect(labels(items)).toContain('Posted today: 7');
  });

  it.each([true, false])('checks Start at login from the settings (%s)', (startAtLogin) => {
    const state = snapshot({ settings: { ...snapshot().settings, startAtLogin } });
    expect(find(renderTrayMenu(state, { platform: 'linux', now: NOW }), 'Start at login'))
      .toEqual({ type: 'checkbox', label: 'Start at login', enabled: true, checked: startAtLogin, action: 'toggle-start-at-login' });
  });

  it('gives every action its id', () => {
    const ids = (items: TrayMenuItem[]): TrayAction[] => items.flatMap((i) => (
      i.type === 'submenu' ? ids(i.submenu) : i.type !== 'separator' && i.action ? [i.action] : []));
    expect(ids(renderTrayMenu(snapshot(), { platform: 'linux', now: NOW })))
      .toEqual(['open-tasks', 'retry-failed', 'poll-now', 'pause', 'open-settings', 'toggle-start-at-login', 'open-logs-folder', 'quit']);
  });

  it('offers Open logs folder under Help', () => {
    expect(find(renderTrayMenu(snapshot(), { platform: 'darwin', now: NOW }), 'Help')).toEqual({
      type: 'submenu', label: 'Help', submenu: [{ type: 'normal', label: 'Open logs folder', enabled: true, action: 'open-logs-folder' }],
    });
  });
});

describe('menuBehaviour', () => {
  const behaviour = (queue: QueueFields): string => menuBehaviour(renderTrayMenu(snapshot({ queue: queueState(queue) }), { platform: 'win32', now: NOW }));

  it('stays the same when only counts and status lines change', () => {
    expect(behaviour({ postedToday: 1, counts: { pending: 1, failed: 2 } })).toBe(behaviour({ postedToday: 7, counts: { pending: 40, running: 1, failed: 9 } }));
  });

  it('changes when an item would do something else or is enabled differently', () => {
    expect(behaviour({ paused: true, pauseReason: 'user' })).not.toBe(behaviour({}));
    expect(behaviour({ counts: { failed: 1 } })).not.toBe(behaviour({}));
    const login = (startAtLogin: boolean): string => menuBehaviour(renderTrayMenu(snapshot({ settings: { ...snapshot().settings, startAtLogin } }), { platform: 'win32', now: NOW }));
    expect(login(true)).not.toBe(login(false));
  });
});

describe('trayTooltip', () => {
  it.each<[string, Partial<StateSnapshot>, string]>([
    ['nothing to do', {}, 'Crier — all caught up'],
    ['pending work', { queue: queueState({ counts: { pending: 3, running: 1 } }) }, 'Crier — 3 pending, posting'],
    ['failures first', { queue: queueState({ counts: { pending: 3, failed: 2 } }) }, 'Crier — 2 failed, 3 pending'],
    ['a pause', { queue: queueState({ paused: true, pauseReason: 'rate-limited' }) }, 'Crier — paused by X rate limit'],
    ['a dry run', { account: { connected: false, handle: null, method: null, dryRun: true, secretsProtected: true } }, 'Crier — dry run'],
  ])('sums up %s', (_name, fields, tooltip) => {
    expect(trayTooltip(snapshot(fields))).toBe(tooltip);
  });

  it('stays within the 127 characters Windows shows', () => {
    const state = snapshot({ queue: queueState({ paused: true, pauseReason: 'auth', counts: { pending: 1e9, failed: 1e9, running: 1 } }),
      account: { connected: true, handle: null, method: 'oauth1', dryRun: true, secretsProtected: true } });
    expect(trayTooltip(state).length).toBeLessThanOrEqual(127);
  });
});

describe('trayIconName', () => {
  it.each<[string, QueueFields, NodeJS.Platform, string]>([
    ['idle', {}, 'linux', 'tray'],
    ['idle', {}, 'darwin', 'trayTemplate'],
    ['paused by the user', { paused: true, pauseReason: 'user' }, 'win32', 'tray-paused'],
    ['paused offline', { paused: true, pauseReason: 'offline' }, 'darwin', 'tray-pausedTemplate'],
    ['rate limited', { paused: true, pauseReason: 'rate-limited' }, 'linux', 'tray-paused'],
    ['refused credentials', { paused: true, pauseReason: 'auth' }, 'linux', 'tray-error'],
    ['credits used up', { paused: true, pauseReason: 'credits-depleted' }, 'darwin', 'tray-errorTemplate'],
    ['failed tasks', { counts: { failed: 1 } }, 'win32', 'tray-error'],
    ['failed tasks while paused', { paused: true, pauseReason: 'user', counts: { failed: 1 } }, 'linux', 'tray-error'],
  ])('picks the icon for a queue that is %s, per platform', (_name, queue, platform, icon) => {
    expect(trayIconName(snapshot({ queue: queueState(queue) }), platform)).toBe(icon);
  });
});

describe('the tray menu with several accounts', () => {
  const two = (brandPaused: boolean): StateSnapshot => snapshot({
    accounts: [
      { id: 'default', connected: true, handle: 'crier', method: 'oauth1', dryRun: false, secretsProtected: true },
      { id: 'other-brand', connected: true, handle: 'brand', method: 'oauth2', dryRun: false, secretsProtected: true },
    ],
    queues: {
      default: queueState({ postedToday: 3 }),
      'other-brand': queueState({ postedToday: 1, ...(brandPaused ? { paused: true, pauseReason: 'rate-limited' as const } : {}) }),
    },
  });

  it('shows one line per account, with whether it posts and its posts today', () => {
    const items = labels(renderTrayMenu(two(true), { platform: 'darwin' }));
    expect(items).toContain('@crier: posting · 3/50 today');
    expect(items).toContain('@brand: paused by X · 1/50 today');
  });

  it('offers to pause all and resume all while only some accounts are paused', () => {
    const items = labels(renderTrayMenu(two(true), { platform: 'darwin' }));
    expect(items).toEqual(expect.arrayContaining(['Pause all', 'Resume all']));
    expect(labels(renderTrayMenu(two(false), { platform: 'darwin' }))).toContain('Pause');
  });

  it('shows no account lines with one account', () => {
    expect(labels(renderTrayMenu(snapshot(), { platform: 'darwin' })).some((l) => l.includes(' today') && l.startsWith('@'))).toBe(false);
  });
});
