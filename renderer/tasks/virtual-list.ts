// A windowed list: only the rows near the viewport are in the DOM, in normal flow between two
// spacers that stand for the rows above and below (their measured heights, else the estimate).
//
// Why not absolutely positioned rows (@tanstack/virtual-core, before issue 13): every measured
// height moved the rows below it and, from script, the scroll position — work on the scroll path
// that made frames 3–9× a plain list's, and that opened the window scrolled ten rows down. Here:
// - a scroll only reads scrollTop and compares two ranges; rows are built ahead of need in idle
//   time (requestIdleCallback), a few at a time, and dropped when far away, so a frame of a steady
//   scroll usually touches no DOM. Only a jump past the rows built (the scrollbar dragged) builds
//   the missing ones at once, and only those in sight.
// - heights come from a ResizeObserver (read after layout, never forcing one);
// - when a row turns out taller or shorter than estimated, the browser's own scroll anchoring
//   keeps what the user sees in place: the spacers opt out of being anchors, and only siblings of
//   the rows change size (a change to an ancestor's padding would suspend anchoring).
// Sizes are set through the CSSOM (CSP style-src 'self' allows it).

export interface VirtualListOptions<T> {
  scrollElement: HTMLElement;
  /** Holds the rows (role=list); the spacers go in it too, hidden from assistive tech. */
  container: HTMLElement;
  key(item: T): string;
  /** Fills a row element; called when the row first appears and whenever its item changes. */
  render(row: HTMLElement, item: T): void;
  /** A row's height in px until it has been measured. */
  estimateSize: number;
  /** Pixels of rows built beyond each edge of the viewport (default: one viewport, at least 400). */
  overscan?: number;
}

export interface VirtualList<T> {
  setItems(items: readonly T[]): void;
  /** Re-renders the rows in the DOM even if their items did not change (e.g. relative times). */
  refresh(): void;
  /** Rows currently in the DOM (for tests and focus handling). */
  renderedCount(): number;
  scrollToTop(): void;
  destroy(): void;
}

interface Row<T> { el: HTMLElement; item: T | undefined; index: number }
interface Range { start: number; end: number }

type IdleDeadline = { timeRemaining(): number; didTimeout: boolean };
const requestIdle: (fn: (deadline: IdleDeadline) => void) => number = typeof requestIdleCallback === 'function'
  // The timeout: on a machine never idle, building ahead still happens, a little at a time.
  ? (fn) => requestIdleCallback(fn, { timeout: 100 })
  : (fn) => window.setTimeout(() => fn({ timeRemaining: () => 8, didTimeout: false }), 16);
const cancelIdle: (handle: number) => void = typeof cancelIdleCallback === 'function' ? cancelIdleCallback : (h) => window.clearTimeout(h);

export function createVirtualList<T>(opts: VirtualListOptions<T>): VirtualList<T> {
  const { scrollElement: scroller, container } = opts;
  let items: readonly T[] = [];
  let keys: string[] = [];
  /** Measured border-box heights by key: they follow a task when the list is filtered or grows. */
  const sizes = new Map<string, number>();
  /** Each row's height (measured, else the estimate) and a Fenwick tree of them: a row measured
   *  costs O(log n), never a pass over 10,000 rows on the scroll path. */
  let heights = new Float64Array(0);
  let tree = new Float64Array(1);
  /** The rows in the DOM: a contiguous run [start, end). */
  let start = 0;
  let end = 0;
  let setSize = -1;
  const rows = new Map<string, Row<T>>();
  const keyOf = new WeakMap<Element, string>();
  let viewport = 0;
  let width = -1;
  /** Where the list starts in the scroller's content; re-read when the scroller resizes. */
  let listTop = 0;
  /** The last scrollTop a scroll event reported: read once per scroll, never after a DOM change. */
  let scrollTop = scroller.scrollTop;
  let frame = 0;
  let idle = 0;

  const spacer = (): HTMLElement => {
    const el = document.createElement('div');
    el.setAttribute('aria-hidden', 'true');
    el.style.overflowAnchor = 'none';
    return el;
  };
  const above = spacer();
  const below = spacer();
  let aboveHeight = -1;
  let belowHeight = -1;
  container.replaceChildren(above, below);

  const rowObserver = new ResizeObserver((entries) => {
    let changed = false;
    for (const entry of entries) {
      const key = keyOf.get(entry.target);
      if (key === undefined || !rows.has(key)) continue;
      const size = entry.borderBoxSize[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
      // 0: the list is hidden (an empty state shows), not a row without height.
      if (size > 0 && sizes.get(key) !== size) {
        sizes.set(key, size);
        const index = rows.get(key)!.index;
        if (keys[index] === key) setHeight(index, size);
        changed = true;
      }
    }
    // Shorter rows than estimated may leave part of the viewport without rows.
    if (changed) schedule();
  });

  const viewObserver = new ResizeObserver(() => {
    viewport = scroller.clientHeight;
    if (scroller.clientWidth !== width) {
      // Rows wrap differently at another width: heights measured before are guesses now, except
      // for the rows in the DOM, which the row observer measures again.
      if (width !== -1) {
        for (const key of sizes.keys()) if (!rows.has(key)) sizes.delete(key);
        measureAll();
      }
      width = scroller.clientWidth;
    }
    if (container.offsetParent !== null) {
      listTop = container.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - scroller.clientTop;
    }
    schedule();
  });
  viewObserver.observe(scroller);

  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; update(); });
  }

  /** Heights and the tree from scratch: O(n), when the items change. */
  function measureAll(): void {
    const n = keys.length;
    heights = new Float64Array(n);
    tree = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      heights[i] = sizes.get(keys[i]!) ?? opts.estimateSize;
      tree[i + 1]! += heights[i]!;
      const parent = i + 1 + ((i + 1) & -(i + 1));
      if (parent <= n) tree[parent]! += tree[i + 1]!;
    }
  }

  function setHeight(index: number, size: number): void {
    const delta = size - heights[index]!;
    heights[index] = size;
    for (let j = index + 1; j < tree.length; j += j & -j) tree[j]! += delta;
  }

  /** Where row `index` starts: the heights of the rows before it. */
  function offsetOf(index: number): number {
    let sum = 0;
    for (let j = index; j > 0; j -= j & -j) sum += tree[j]!;
    return sum;
  }

  /** The row at `y` px into the list (the last row past the end). */
  function indexAt(y: number): number {
    const n = keys.length;
    let pos = 0;
    let rest = y;
    for (let step = 1 << Math.floor(Math.log2(Math.max(1, n))); step > 0; step >>= 1) {
      if (pos + step <= n && tree[pos + step]! <= rest) {
        pos += step;
        rest -= tree[pos]!;
      }
    }
    return Math.min(pos, n - 1);
  }

  /** The rows covering `margin` px beyond each edge of the viewport. */
  function rangeAround(margin: number): Range {
    const n = keys.length;
    if (n === 0) return { start: 0, end: 0 };
    const view = viewport || scroller.clientHeight;
    const top = scrollTop - listTop;
    return { start: indexAt(Math.max(0, top - margin)), end: Math.min(n, indexAt(top + view + margin) + 1) };
  }

  const overscan = (): number => opts.overscan ?? Math.max(400, viewport || scroller.clientHeight);
  /** Rows that must be in the DOM now: what is in sight, and a little more for a fast scroll. */
  const needed = (): Range => rangeAround(overscan() / 4);
  /** Rows worth building ahead in idle time. */
  const wanted = (): Range => rangeAround(overscan());
  /** Rows farther than this are dropped (between wanted and kept, they stay: no churn). */
  const kept = (): Range => rangeAround(overscan() * 2);

  /** Builds what is needed now and no more; the rest comes in idle time. */
  function update(): void {
    const need = needed();
    if (need.start < start || need.end > end) {
      // Past the rows built (a jump, a scroll faster than idle time allows): start over around the
      // viewport when nothing built is in sight, else add what is missing.
      if (need.start >= end || need.end <= start) show(need.start, need.end);
      else show(Math.min(start, need.start), Math.max(end, need.end));
    }
    buildAheadLater();
  }

  function buildAheadLater(): void {
    if (idle) return;
    idle = requestIdle(buildAhead);
  }

  /** Idle time: one row at a time towards the wanted range, nearest the viewport first; far rows dropped. */
  function buildAhead(deadline: IdleDeadline): void {
    idle = 0;
    const keep = kept();
    if (start < keep.start || end > keep.end) show(Math.max(start, keep.start), Math.min(end, keep.end));
    const want = wanted();
    let built = 0;
    while (want.start < start || want.end > end) {
      if (built > 0 && deadline.timeRemaining() < 4) break;
      const top = scrollTop - listTop;
      // The side the user is nearer to runs out first.
      const roomAbove = top - offsetOf(start);
      const roomBelow = offsetOf(end) - (top + (viewport || scroller.clientHeight));
      if (want.end > end && (want.start >= start || roomBelow <= roomAbove)) show(start, end + 1);
      else show(start - 1, end);
      built += 1;
    }
    // Style and layout of the new rows now, in idle time, not in the next frame.
    if (built > 0) void container.offsetHeight;
    if (want.start < start || want.end > end) buildAheadLater();
  }

  /** Puts exactly the rows [from, to) in the DOM, in order, between the spacers. */
  function show(from: number, to: number): void {
    const n = keys.length;
    from = Math.max(0, Math.min(from, n));
    to = Math.max(from, Math.min(to, n));
    const keep = new Set(keys.slice(from, to));
    for (const [key, row] of rows) {
      if (keep.has(key)) continue;
      rowObserver.unobserve(row.el);
      row.el.remove();
      rows.delete(key);
    }
    start = from;
    end = to;
    const newSetSize = n !== setSize;
    setSize = n;
    let previous: Element = above;
    for (let i = from; i < to; i++) {
      const key = keys[i]!;
      const item = items[i]!;
      let row = rows.get(key);
      if (!row) {
        const el = document.createElement('div');
        el.setAttribute('role', 'listitem');
        keyOf.set(el, key);
        row = { el, item: undefined, index: -1 };
        rows.set(key, row);
        rowObserver.observe(el);
      }
      const el = row.el;
      if (row.item !== item) {
        const hadFocus = el.contains(document.activeElement) ? (document.activeElement as HTMLElement | null) : null;
        const focusKey = hadFocus?.dataset.action;
        opts.render(el, item);
        row.item = item;
        // Keep keyboard users where they were when a row re-renders under them.
        if (hadFocus && !el.contains(document.activeElement)) {
          const again = (focusKey && el.querySelector<HTMLElement>(`[data-action="${focusKey}"]`)) || el.querySelector<HTMLElement>('button, a[href]');
          (again ?? el).focus({ preventScroll: true });
        }
      }
      if (row.index !== i) {
        row.index = i;
        el.setAttribute('aria-posinset', String(i + 1));
      }
      if (newSetSize || !el.hasAttribute('aria-setsize')) el.setAttribute('aria-setsize', String(n));
      // DOM order follows list order, so Tab moves through rows top to bottom.
      if (previous.nextSibling !== el) container.insertBefore(el, previous.nextSibling);
      previous = el;
    }
    const top = offsetOf(from);
    const bottom = offsetOf(n) - offsetOf(to);
    if (top !== aboveHeight) { above.style.height = `${top}px`; aboveHeight = top; }
    if (bottom !== belowHeight) { below.style.height = `${bottom}px`; belowHeight = bottom; }
  }

  const onScroll = (): void => {
    scrollTop = scroller.scrollTop;
    update();
  };
  scroller.addEventListener('scroll', onScroll, { passive: true });

  return {
    setItems(next) {
      if (next !== items) {
        items = next;
        keys = next.map((item) => opts.key(item));
        measureAll();
      }
      // The same run of indices now holds other items (or fewer): re-render it, then fill around.
      show(start, end);
      update();
    },
    refresh() {
      for (const row of rows.values()) row.item = undefined;
      show(start, end);
    },
    renderedCount: () => rows.size,
    scrollToTop() {
      scroller.scrollTop = 0;
      scrollTop = 0;
    },
    destroy() {
      cancelAnimationFrame(frame);
      cancelIdle(idle);
      scroller.removeEventListener('scroll', onScroll);
      rowObserver.disconnect();
      viewObserver.disconnect();
      rows.clear();
      container.replaceChildren();
    },
  };
}
