// The header's "2 feeds failing" chip: a link to the feeds in Settings, where failing feeds are
// listed first. Shown on both pages; nothing when every feed is healthy.
import type { Feed } from '../../preload/contract';
import { h } from './dom';
import { distinctLabels, failingFeeds, failingText } from './feed-labels';

export function failingFeedsLink(feeds: readonly Feed[], href: string): HTMLAnchorElement | null {
  const failing = failingFeeds(feeds);
  const text = failingText(failing.length);
  if (!text) return null;
  const labels = distinctLabels(feeds);
  const names = failing.map((f) => labels.get(f.id) ?? f.url);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return h('a', { class: 'chip chip-error chip-link', text, attrs: { href, id: 'failing-feeds', title: `Failing: ${shown}. See them in Settings → Feeds.` } });
}
