// What a feed would post, shown before anything is saved: the next posts with their weighted
// length (X counts a URL as 23, emoji and CJK as 2) and the items the filters skip, with why.
import type { PreviewResult } from '../../preload/contract';
import { h } from '../lib/dom';

export const MAX_WEIGHT = 280;

export function weightLabel(weight: number): string {
  return weight > MAX_WEIGHT ? `${weight} / ${MAX_WEIGHT} — over X's limit` : `${weight} / ${MAX_WEIGHT}`;
}

export interface PreviewPanel {
  el: HTMLElement;
  loading(): void;
  show(result: PreviewResult): void;
  fail(message: string): void;
  idle(message: string): void;
}

export function createPreviewPanel(idPrefix: string): PreviewPanel {
  const status = h('p', { class: 'preview-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const body = h('div', { class: 'preview-body' });
  const headingId = `${idPrefix}-preview-title`;
  const el = h('section', { class: 'preview', attrs: { 'aria-labelledby': headingId, 'aria-busy': 'false' } },
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
    show(result) {
      el.setAttribute('aria-busy', 'false');
      el.classList.remove('is-loading');
      const n = result.posts.length;
      setStatus(n === 0 && result.skipped.length === 0
        ? 'The feed has no items yet.'
        : `${n === 0 ? 'No posts' : n === 1 ? 'The next post' : `The next ${n} posts`} from ${result.feedTitle ?? 'this feed'}, newest first.`);
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
