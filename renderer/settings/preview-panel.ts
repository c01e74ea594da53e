// What a feed would post, shown before anything is saved: the next posts with their weighted
// length (X counts a URL as 23, emoji and CJK as 2) and the items the filters skip, with why.
// For a followed feed, only what its next check would post (and an example when nothing is new);
// for a web page, the feeds it offers to pick from.
import type { FeedCandidate, PreviewPost, PreviewResult } from '../../preload/contract';
import { button, h } from '../lib/dom';
import { shortAddress } from '../lib/feed-labels';

export const MAX_WEIGHT = 280;

export function weightLabel(weight: number): string {
  return weight > MAX_WEIGHT ? `${weight} / ${MAX_WEIGHT} — over X's limit` : `${weight} / ${MAX_WEIGHT}`;
}

/** What the preview means: for a feed not yet added, the first check posts only the backfill. */
export function previewSummary(result: PreviewResult, firstCheck?: { backfill: number }): string {
  const n = result.posts.length;
  const seen = result.alreadySeen ?? 0;
  const feed = result.feedTitle ?? 'this feed';
  if (n === 0 && result.skipped.length === 0) {
    if (seen === 0) return 'The feed has no items yet.';
    const all = seen === 1 ? 'the one item' : `all ${seen} items`;
    return `Nothing new to post from ${feed}: Crier has seen ${all} in the feed now.${result.example ? ' New items will be posted like this example:' : ''}`;
  }
  if (!firstCheck) {
    const next = `${n === 0 ? 'No posts' : n === 1 ? 'The next post' : `The next ${n} posts`} from ${feed}, newest first.`;
    return seen > 0 ? `${next} ${seen === 1 ? 'The item' : `The ${seen} items`} Crier has seen already ${seen === 1 ? 'is' : 'are'} not posted again.` : next;
  }
  const shown = `${n === 0 ? 'No post' : n === 1 ? 'A post' : `Posts`} as Crier would write ${n === 1 ? 'it' : 'them'} for the newest items of ${feed}.`;
  const first = firstCheck.backfill === 0
    ? 'On its first check Crier marks the items already there as seen and posts none of them; new items after that are posted like these.'
    : `On its first check Crier posts the newest ${firstCheck.backfill === 1 ? 'item' : `${firstCheck.backfill} items`} (those the filters let through) and marks the rest as seen; new items after that are posted like these.`;
  return `${shown} ${first}`;
}

/** "RSS", "Atom", "JSON Feed". */
export function candidateType(type: FeedCandidate['type']): string {
  return type === 'json' ? 'JSON Feed' : type === 'atom' ? 'Atom' : 'RSS';
}

export interface PreviewPanel {
  el: HTMLElement;
  loading(): void;
  /** `backfill` given: a feed not yet added, whose first check only posts its newest `backfill` items. */
  show(result: PreviewResult, firstCheck?: { backfill: number }): void;
  /** A web page's feeds, each with a button that picks it. */
  offer(candidates: readonly FeedCandidate[], pick: (candidate: FeedCandidate) => void): void;
  /** `detail`: a second line, e.g. that the feed may be added anyway. */
  fail(message: string, detail?: string): void;
  idle(message: string): void;
}

function postItem(p: PreviewPost, example = false): HTMLLIElement {
  return h('li', { class: `preview-post${example ? ' preview-example' : ''}`, dataset: { itemId: p.itemId } },
    example ? h('p', { class: 'preview-example-label', text: 'Example — already seen, not posted again' }) : null,
    h('p', { class: 'preview-post-text', text: p.text, attrs: { dir: 'auto' } }),
    h('p', { class: 'preview-post-meta' },
      h('span', { class: 'preview-post-item', text: p.itemTitle, attrs: { dir: 'auto' } }),
      h('span', { class: `weight${p.weightedLength > MAX_WEIGHT ? ' weight-over' : ''}`, text: weightLabel(p.weightedLength),
        attrs: { title: 'Weighted length as X counts it: a link is 23, emoji and CJK count 2' } })),
    // Each other network's post of the same item, side by side with X's (issue 18).
    p.networks?.length ? h('ul', { class: 'preview-networks', attrs: { 'aria-label': 'On other networks' } }, ...p.networks.map((n) =>
      h('li', { class: 'preview-network', dataset: { network: n.network } },
        h('p', { class: 'preview-network-name' },
          h('strong', { text: NETWORK_NAMES[n.network] }),
          h('span', { class: `weight${n.length > n.limit ? ' weight-over' : ''}`, text: `${n.length}/${n.limit}`,
            attrs: { title: n.network === 'bluesky' ? 'Graphemes as Bluesky counts them, a long link shortened as it will show' : 'Characters as the Mastodon instance counts them, each link at its reserved length' } })),
        h('p', { class: 'preview-post-text', text: n.text === '' ? '(nothing: the template leaves this item empty)' : n.text, attrs: { dir: 'auto' } })))) : null);
}

const NETWORK_NAMES = { bluesky: 'Bluesky', mastodon: 'Mastodon' } as const;

/** `subject` names what is previewed ("New feed"), so two open previews are told apart. */
export function createPreviewPanel(idPrefix: string, subject: string): PreviewPanel {
  const status = h('p', { class: 'preview-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const body = h('div', { class: 'preview-body' });
  const detail = h('p', { class: 'preview-detail', attrs: { hidden: true } });
  const headingId = `${idPrefix}-preview-title`;
  const el = h('section', { class: 'preview', attrs: { 'aria-label': `Preview: ${subject}`, 'aria-busy': 'false' } },
    h('h4', { class: 'preview-title', text: 'Preview', attrs: { id: headingId } }), status, detail, body);
  const setStatus = (text: string, tone: 'muted' | 'error' = 'muted', more = ''): void => {
    el.setAttribute('aria-busy', 'false');
    el.classList.remove('is-loading');
    status.textContent = text;
    status.classList.toggle('preview-status-error', tone === 'error');
    detail.textContent = more;
    detail.hidden = more === '';
  };
  return {
    el,
    loading() { setStatus('Fetching the feed…'); el.setAttribute('aria-busy', 'true'); el.classList.add('is-loading'); },
    idle(message) { setStatus(message); body.replaceChildren(); },
    fail(message, more) { setStatus(message, 'error', more ?? ''); body.replaceChildren(); },
    offer(candidates, pick) {
      const n = candidates.length;
      setStatus(n === 1
        ? 'This address is a web page. It names one feed, which could not be read just now:'
        : `This address is a web page, not a feed. It offers ${n} feeds; pick the one to follow.`);
      body.replaceChildren(h('ul', { class: 'candidates', attrs: { 'aria-label': 'Feeds on this page' } },
        ...candidates.map((c) => {
          const name = c.title ?? shortAddress(c.url);
          return h('li', { class: 'candidate' },
            h('div', { class: 'candidate-names' },
              h('span', { class: 'candidate-title', text: name, attrs: { dir: 'auto' } }),
              h('span', { class: 'candidate-url', text: `${candidateType(c.type)} · ${c.url}` })),
            button('Use this feed', () => pick(c), { class: 'btn btn-small', attrs: { 'aria-label': `Use this feed: ${name}` } }));
        })));
    },
    show(result, firstCheck) {
      setStatus(previewSummary(result, firstCheck), 'muted',
        result.feedUrl ? `This address is a web page; Crier found its feed at ${result.feedUrl} and follows that.` : '');
      const posts = result.posts.map((p) => postItem(p));
      if (posts.length === 0 && result.example) posts.push(postItem(result.example, true));
      const skipped = result.skipped.map((s) => h('li', { class: 'preview-skip' },
        h('span', { class: 'preview-skip-title', text: s.itemTitle || '(untitled item)', attrs: { dir: 'auto' } }),
        h('span', { class: 'preview-skip-reason', text: s.reason })));
      body.replaceChildren(
        posts.length ? h('ol', { class: 'preview-posts', attrs: { 'aria-label': result.posts.length ? 'Next posts' : 'Example post' } }, ...posts) : '',
        skipped.length ? h('div', { class: 'preview-skipped' },
          h('h5', { text: `Skipped (${skipped.length})` }),
          h('ul', { attrs: { 'aria-label': 'Skipped items' } }, ...skipped)) : '');
    },
  };
}
