// What a feed would post, shown before anything is saved: the next posts with their weighted
// length (X counts a URL as 23, emoji and CJK as 2) and the items the filters skip, with why.
import type { PreviewResult } from '../../preload/contract';
import { h } from '../lib/dom';

export const MAX_WEIGHT = 280;

export function weightLabel(weight: number): string {
  return weight > MAX_WEIGHT ? `${weight} / ${MAX_WEIGHT} — over X's limit` : `${weight} / ${MAX_WEIGHT}`;
}

/** What the preview means: for a feed not yet added, the first check posts only the backfill. */
export function previewSummary(result: PreviewResult, firstCheck?: { backfill: number }): string {
  const n = result.posts.length;
  if (n === 0 && result.skipped.length === 0) return 'The feed has no items yet.';
  const feed = result.feedTitle ?? 'this feed';
  if (!firstCheck) return `${n === 0 ? 'No posts' : n === 1 ? 'The next post' : `The next ${n} posts`} from ${feed}, newest first.`;
  const shown = `${n === 0 ? 'No post' : n === 1 ? 'A post' : `Posts`} as Crier would write ${n === 1 ? 'it' : 'them'} for the newest items of ${feed}.`;
  const first = firstCheck.backfill === 0
    ? 'On its first check Crier marks the items already there as seen and posts none of them; new items after that are posted like these.'
    : `On its first check Crier posts the newest ${firstCheck.backfill === 1 ? 'item' : `${firstCheck.backfill} items`} (those the filters let through) and marks the rest as seen; new items after that are posted like these.`;
  return `${shown} ${first}`;
}

export interface PreviewPanel {
  el: HTMLElement;
  loading(): void;
  /** `backfill` given: a feed not yet added, whose first check only posts its newest `backfill` items. */
  show(result: PreviewResult, firstCheck?: { backfill: number }): void;
  fail(message: string): void;
  idle(message: string): void;
}

/** `subject` names what is previewed ("New feed"), so two open previews are told apart. */
export function createPreviewPanel(idPrefix: string, subject: string): PreviewPanel {
  const status = h('p', { class: 'preview-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const body = h('div', { class: 'preview-body' });
  const headingId = `${idPrefix}-preview-title`;
  const el = h('section', { class: 'preview', attrs: { 'aria-label': `Preview: ${subject}`, 'aria-busy': 'false' } },
    h('h4', { class: 'preview-title', text: 'Preview', attrs: { id: headingId } }), status, body);
  const setStatus = (text: string, tone: 'muted' | 'error' = 'muted'): void => {
    status.textContent = text;
    status.classList.toggle('preview-status-error', tone === 'error');
  };
  return {
    el,
    loading() { el.setAttribute('aria-busy', 'true'); el.classList.add('is-loading'); setStatus('Fetching the feed…'); },
    idle(message) { el.setAttribute('aria-busy', 'false'); el.classList.remove('is-loading'); setStatus(message); body.replaceChildren(); },
    fail(message) { el.setAttribute('aria-busy', 'false'); el.classList.remove('is-loading'); setStatus(message, 'error'); body.replaceChildren(); },
    show(result, firstCheck) {
      el.setAttribute('aria-busy', 'false');
      el.classList.remove('is-loading');
      setStatus(previewSummary(result, firstCheck));
      const posts = result.posts.map((p) => h('li', { class: 'preview-post', dataset: { itemId: p.itemId } },
        h('p', { class: 'preview-post-text', text: p.text }),
        h('p', { class: 'preview-post-meta' },
          h('span', { class: 'preview-post-item', text: p.itemTitle }),
          h('span', { class: `weight${p.weightedLength > MAX_WEIGHT ? ' weight-over' : ''}`, text: weightLabel(p.weightedLength),
            attrs: { title: 'Weighted length as X counts it: a link is 23, emoji and CJK count 2' } }))));
      const skipped = result.skipped.map((s) => h('li', { class: 'preview-skip' },
        h('span', { class: 'preview-skip-title', text: s.itemTitle || '(untitled item)' }),
        h('span', { class: 'preview-skip-reason', text: s.reason })));
      body.replaceChildren(
        posts.length ? h('ol', { class: 'preview-posts', attrs: { 'aria-label': 'Next posts' } }, ...posts) : '',
        skipped.length ? h('div', { class: 'preview-skipped' },
          h('h5', { text: `Skipped (${skipped.length})` }),
          h('ul', { attrs: { 'aria-label': 'Skipped items' } }, ...skipped)) : '');
    },
  };
}
