// The status filter buttons with their counts; toggle buttons (aria-pressed), one pressed.
import { button, h } from '../lib/dom';
import { STATUS_FILTERS, type StatusFilter } from './filter';
import { STATUS_WORDS, statusIcon } from './row';

const FILTER_WORDS: Record<StatusFilter, string> = {
  all: 'All', review: 'To review', pending: 'Pending', running: 'Posting', completed: 'Posted', failed: 'Failed', cancelled: 'Cancelled',
};

export interface FilterBar {
  update(counts: Record<StatusFilter, number>, current: StatusFilter): void;
}

export function createFilterBar(container: HTMLElement, onSelect: (status: StatusFilter) => void): FilterBar {
  const buttons = new Map<StatusFilter, { btn: HTMLButtonElement; count: HTMLElement }>();
  for (const status of STATUS_FILTERS) {
    const count = h('span', { class: 'filter-count', text: '0' });
    const btn = button('', () => onSelect(status), { class: `filter filter-${status}`, dataset: { status } });
    btn.append(
      status === 'all' ? '' : statusIcon(status),
      h('span', { class: 'filter-word', text: FILTER_WORDS[status] }),
      // The name comes from the visible text ("Failed: 2"), so speech input can say what it sees.
      h('span', { class: 'visually-hidden', text: ': ' }),
      count,
    );
    btn.title = status === 'all' ? 'All tasks' : `${STATUS_WORDS[status]} tasks`;
    buttons.set(status, { btn, count });
    container.append(btn);
  }
  return {
    update(counts, current) {
      for (const [status, { btn, count }] of buttons) {
        count.textContent = counts[status].toLocaleString();
        btn.setAttribute('aria-pressed', String(status === current));
        // "To review" only matters to feeds in review mode: shown while tasks wait or it is chosen.
        if (status === 'review') btn.hidden = counts.review === 0 && current !== 'review';
      }
    },
  };
}
