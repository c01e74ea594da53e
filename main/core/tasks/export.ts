// The task history as a file: CSV for spreadsheets, JSON for programs. Pure: the service hands
// in the tasks and the feeds; the shells send the text (HTTP: as an attachment).
import { newestFirst, type Feed, type Task } from '../../../preload/contract';

export type ExportFormat = 'csv' | 'json';

export const CSV_HEADER = ['id', 'status', 'feed', 'title', 'link', 'text', 'created', 'finished', 'attempts', 'postUrl', 'error'] as const;

/** What a spreadsheet would run as a formula (or a DDE command) when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A cell a spreadsheet would run as a formula gets a leading apostrophe, which shows it as text.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A feed's name as the user knows it: their label, else the feed's own title, else its address. */
function feedLabel(feed: Pick<Feed, 'name' | 'title' | 'url'> | undefined, feedId: string): string {
  if (feed === undefined) return feedId;
  return feed.name ?? feed.title ?? feed.url;
}

/** The tasks newest first, as the tasks window lists them; CSV lines end with CRLF, as RFC 4180 says. */
export function exportTasks(tasks: readonly Task[], feeds: readonly Pick<Feed, 'id' | 'name' | 'title' | 'url'>[], format: ExportFormat): string {
  const ordered = [...tasks].sort(newestFirst);
  if (format === 'json') return `${JSON.stringify(ordered, null, 2)}\n`;
  const byId = new Map(feeds.map((f) => [f.id, f]));
  const lines = [CSV_HEADER.join(',')];
  for (const t of ordered) {
    lines.push([
      t.id, t.status, feedLabel(byId.get(t.feedId), t.feedId), t.itemTitle, t.itemLink, t.text, t.createdAt,
      t.finishedAt ?? null, t.attempts, t.postUrl, t.error?.message ?? null,
    ].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
