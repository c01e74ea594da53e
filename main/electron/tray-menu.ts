// The tray's menu, tooltip and icon as plain data rendered from the state (Signal Desktop's
// pattern): the tray keeps no menu state of its own, so whatever the state says is what shows.
// Actions are ids, not click functions, so this stays pure and tray.ts maps them to commands.
import type { StateSnapshot } from '../../preload/contract';
import { describeQueue } from '../../common/queue-banner';
import { clockTime } from '../../common/time';

export type TrayAction =
  | 'open-tasks' | 'open-settings' | 'retry-failed' | 'poll-now' | 'pause' | 'resume'
  | 'toggle-start-at-login' | 'open-logs-folder' | 'quit';

export type TrayMenuItem =
  | { type: 'separator' }
  /** An item without an action is an information line, shown disabled. */
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox'; label: string; enabled: boolean; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; submenu: TrayMenuItem[] };

export interface TrayMenuOptions {
  platform: NodeJS.Platform;
  /** Epoch ms, for "until 14:05" (default: Date.now()). */
  now?: number;
  /** BCP 47 locale for clock times (default: the system's). */
  locale?: string;
}

export type TrayIconName =
  | 'tray' | 'tray-paused' | 'tray-error'
  | 'trayTemplate' | 'tray-pausedTemplate' | 'tray-errorTemplate';

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

const info = (label: string): TrayMenuItem => ({ type: 'normal', label, enabled: false });
const action = (label: string, id: TrayAction, enabled = true): TrayMenuItem => ({ type: 'normal', label, enabled, action: id });
const separator: TrayMenuItem = { type: 'separator' };

/** Help: where the log is, for a report or a look at what went wrong. */
export const HELP_SUBMENU: TrayMenuItem = { type: 'submenu', label: 'Help', submenu: [action('Open logs folder', 'open-logs-folder')] };

export function renderTrayMenu(state: StateSnapshot, options: TrayMenuOptions): TrayMenuItem[] {
  const { queue, settings } = state;
  const failed = queue.counts.failed;
  const items: TrayMenuItem[] = [];
  // StatusNotifierItem hosts often show no tooltip, so on Linux the menu names the app itself.
  if (options.platform === 'linux') items.push(info('Crier'));
  for (const line of statusLines(state, options)) items.push(info(line));
  // Waiting for the user, so first among the counts, and it opens the tasks window where they are.
  const review = queue.counts.review ?? 0;
  if (review > 0) items.push(action(`${review} to review`, 'open-tasks'));
  items.push(info(countsLine(state)));
  items.push(info(postedTodayLine(state)));
  const accounts = accountLines(state);
  // Some accounts paused, not all: both ways are offered, for every account at once.
  const somePaused = Object.values(state.queues ?? {}).some((q) => q.paused);
  items.push(
    ...accounts.map(info),
    separator,
    action('Open tasks', 'open-tasks'),
    action(`Retry all failed (${failed})`, 'retry-failed', failed > 0),
    action('Poll now', 'poll-now'),
    ...(queue.paused ? [action('Resume', 'resume')] : somePaused && accounts.length > 0 ? [action('Pause all', 'pause'), action('Resume all', 'resume')] : [action('Pause', 'pause')]),
    separator,
    action('Settings…', 'open-settings'),
    { type: 'checkbox', label: 'Start at login', enabled: true, checked: settings.startAtLogin, action: 'toggle-start-at-login' },
    HELP_SUBMENU,
    separator,
    action('Quit Crier', 'quit'),
  );
  return items;
}

/**
 * With several accounts, one line each (the tray shows each account's state): who, and whether it
 * posts, waits or is paused, with its posts today. None with one account: the lines above say it all.
 */
export function accountLines(state: StateSnapshot): string[] {
  const accounts = state.accounts ?? [];
  if (accounts.length < 2) return [];
  return accounts.map((account) => {
    const id = account.id ?? 'default';
    const who = account.handle ? `@${account.handle}` : id === 'default' ? 'First account' : 'Another account';
    const queue = state.queues?.[id];
    const how = !account.connected && id !== 'default' ? 'not connected'
      : queue?.paused ? (queue.pauseReason === 'user' ? 'paused' : 'paused by X')
        : account.dryRun ? 'dry run' : 'posting';
    return queue ? `${who}: ${how} · ${queue.postedToday}/${queue.dailyCap} today` : `${who}: ${how}`;
  });
}

/**
 * What the menu's items do, without the words that only inform (counts, status lines, the
 * count in "Retry all failed (3)"): replacing an open menu closes it under the pointer
 * (electron#4801), which is worth it only when an item would now do something else.
 */
export function menuBehaviour(items: TrayMenuItem[]): string {
  const walk = (list: TrayMenuItem[]): unknown[] => list.flatMap((item): unknown[] => {
    if (item.type === 'separator') return [];
    if (item.type === 'submenu') return [{ submenu: item.label, items: walk(item.submenu) }];
    if (!item.action) return [];
    return [item.type === 'checkbox' ? [item.action, item.enabled, item.checked] : [item.action, item.enabled]];
  });
  return JSON.stringify(walk(items));
}

/** One short line: what needs the user first, else the counts. */
export function trayTooltip(state: StateSnapshot): string {
  const { queue } = state;
  const parts: string[] = [];
  if (queue.paused) parts.push(pausedShort(state));
  if ((queue.counts.review ?? 0) > 0) parts.push(`${queue.counts.review} to review`);
  if (queue.counts.failed > 0) parts.push(`${queue.counts.failed} failed`);
  if (queue.counts.pending > 0) parts.push(`${queue.counts.pending} pending`);
  if (queue.counts.running > 0) parts.push('posting');
  if (state.account.dryRun) parts.push('dry run');
  const text = parts.length > 0 ? `Crier — ${parts.join(', ')}` : 'Crier — all caught up';
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}

/**
 * 'tray-error' when something waits for the user (failed tasks, credentials refused, credits
 * used up), 'tray-paused' for any other pause. macOS gets the Template variants (black + alpha)
 * that the menu bar tints for light and dark.
 */
export function trayIconName(state: StateSnapshot, platform: NodeJS.Platform): TrayIconName {
  const { queue } = state;
  const needsUser = queue.counts.failed > 0
    || (queue.paused && (queue.pauseReason === 'auth' || queue.pauseReason === 'credits-depleted'));
  const base = needsUser ? 'tray-error' : queue.paused ? 'tray-paused' : 'tray';
  return platform === 'darwin' ? `${base}Template` : base;
}

/** The pause and dry-run lines, in the tasks page's words (queue-banner.ts). */
function statusLines(state: StateSnapshot, options: TrayMenuOptions): string[] {
  const now = options.now ?? Date.now();
  const lines: string[] = [];
  for (const banner of describeQueue(state.queue, state.account, 'desktop', now, state.settings)) {
    if (banner.id === 'paused' && state.queue.pauseReason === 'rate-limited' && state.queue.resumesAt) {
      lines.push(`${banner.title}, until ${clockTime(state.queue.resumesAt, now, options.locale)}`);
    } else if (banner.id === 'dry-run' && !state.account.connected) {
      lines.push('Dry run: no X account connected');
    } else {
      lines.push(banner.title);
    }
  }
  return lines;
}

function countsLine(state: StateSnapshot): string {
  const { counts } = state.queue;
  return `Pending ${counts.pending} · Running ${counts.running} · Failed ${counts.failed}`;
}

function postedTodayLine(state: StateSnapshot): string {
  const { postedToday, dailyCap } = state.queue;
  // A cap of 0 means no cap (queue-banner.ts reads it the same way).
  return dailyCap > 0 ? `Posted today: ${postedToday} of ${dailyCap}` : `Posted today: ${postedToday}`;
}

function pausedShort(state: StateSnapshot): string {
  switch (state.queue.pauseReason) {
    case 'rate-limited': return 'paused by X rate limit';
    case 'credits-depleted': return 'paused: X credits used up';
    case 'auth': return 'paused: X refused the credentials';
    case 'offline': return 'paused: offline';
    default: return 'paused';
  }
}
