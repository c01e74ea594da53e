// A windowed list over @tanstack/virtual-core: only the rows near the viewport exist in the
// DOM, each measured after it renders so rows may differ in height. Positions are set
// through the CSSOM (allowed by the CSP's style-src 'self'), never with style="".
import {
  Virtualizer, elementScroll, measureElement, observeElementOffset, observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';

export interface VirtualListOptions<T> {
  scrollElement: HTMLElement;
  /** Holds the rows; gets the total height. */
  container: HTMLElement;
  key(item: T): string;
  /** Fills a row element; called when the row first appears and whenever its item changes. */
  render(row: HTMLElement, item: T): void;
  estimateSize: number;
  overscan?: number;
}

export interface VirtualList<T> {
  setItems(items: readonly T[]): void;
  /** Re-renders the visible rows even if their items did not change (e.g. relative times). */
  refresh(): void;
  /** Rows currently in the DOM (for tests and focus handling). */
  renderedCount(): number;
  scrollToTop(): void;
  destroy(): void;
}

interface RowRecord<T> { el: HTMLElement; item: T | undefined }

export function createVirtualList<T>(opts: VirtualListOptions<T>): VirtualList<T> {
  let items: readonly T[] = [];
  const rows = new Map<string, RowRecord<T>>();
  let frame = 0;

  const options = (): VirtualizerOptions<HTMLElement, HTMLElement> => ({
    count: items.length,
    getScrollElement: () => opts.scrollElement,
    estimateSize: () => opts.estimateSize,
    overscan: opts.overscan ?? 6,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    measureElement,
    getItemKey: (i) => { const it = items[i]; return it === undefined ? i : opts.key(it); },
    indexAttribute: 'data-index',
    onChange: () => schedule(),
  });

  const virtualizer = new Virtualizer<HTMLElement, HTMLElement>(options());
  const unmount = virtualizer._didMount();

  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; layout(false); });
  }

  function layout(force: boolean): void {
    virtualizer._willUpdate();
    const visible = virtualizer.getVirtualItems();
    opts.container.style.height = `${virtualizer.getTotalSize()}px`;
    const keep = new Set<string>();
    let previous: HTMLElement | null = null;
    for (const vi of visible) {
      const item = items[vi.index];
      if (item === undefined) continue;
      const key = String(vi.key);
      keep.add(key);
      let rec = rows.get(key);
      let fresh = false;
      if (!rec) {
        const el = document.createElement('div');
        el.setAttribute('role', 'listitem');
        rec = { el, item: undefined };
        rows.set(key, rec);
        fresh = true;
      }
      const el = rec.el;
      if (fresh || force || rec.item !== item) {
        const hadFocus = el.contains(document.activeElement) ? (document.activeElement as HTMLElement | null) : null;
        const focusKey = hadFocus?.dataset.action;
        opts.render(el, item);
        rec.item = item;
        // Keep keyboard users where they were when a row re-renders under them.
        if (hadFocus && !el.contains(document.activeElement)) {
          const again = (focusKey && el.querySelector<HTMLElement>(`[data-action="${focusKey}"]`)) || el.querySelector<HTMLElement>('button, a[href]');
          (again ?? el).focus({ preventScroll: true });
        }
      }
      el.dataset.index = String(vi.index);
      el.setAttribute('aria-posinset', String(vi.index + 1));
      el.setAttribute('aria-setsize', String(items.length));
      el.style.transform = `translateY(${vi.start}px)`;
      // DOM order follows list order, so Tab moves through rows top to bottom.
      const expectedNext: ChildNode | null = previous ? previous.nextSibling : opts.container.firstChild;
      if (expectedNext !== el) opts.container.insertBefore(el, expectedNext);
      previous = el;
      if (fresh || force || el.dataset.measured !== '1') { virtualizer.measureElement(el); el.dataset.measured = '1'; }
    }
    for (const [key, rec] of rows) {
      if (keep.has(key)) continue;
      rec.el.remove();
      rows.delete(key);
    }
  }

  return {
    setItems(next) {
      items = next;
      virtualizer.setOptions(options());
      layout(false);
    },
    refresh() { layout(true); },
    renderedCount: () => rows.size,
    scrollToTop() { virtualizer.scrollToOffset(0); },
    destroy() { cancelAnimationFrame(frame); unmount(); rows.clear(); opts.container.replaceChildren(); },
  };
}
