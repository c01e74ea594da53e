// Notices (a recovered store, a moved feed, …) shown until the user dismisses them.
import type { Notice } from '../../preload/contract';
import { button, h, icon } from './dom';
import { exactTime, relativeTime } from '../../common/time';

const INFO_ICON = ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M12 11v5', 'M12 7.7v.2'];

export function renderNotices(container: HTMLElement, notices: readonly Notice[], now: number, onDismiss: (id: string) => void): void {
  container.replaceChildren(...notices.map((n) =>
    h('div', { class: `notice notice-${n.kind}`, attrs: { role: 'status' } },
      icon(INFO_ICON, 'icon notice-icon'),
      h('p', { class: 'notice-text' },
        h('span', { text: n.message, attrs: { dir: 'auto' } }),
        h('time', { class: 'notice-time', text: ` · ${relativeTime(n.at, now)}`, attrs: { datetime: n.at, title: exactTime(n.at) } })),
      button('Dismiss', () => onDismiss(n.id), { class: 'btn btn-small btn-quiet', attrs: { 'aria-label': `Dismiss: ${n.message}` } }))));
  container.hidden = notices.length === 0;
}
