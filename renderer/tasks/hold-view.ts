// Keeps what the user reads still when the list changes above it. The browser's scroll anchoring
// does this after a wheel or touch scroll, but not always (measured: after a scroll set from
// script, three new tasks on top moved the rows in sight down by their height, and rows built
// above them later, taller or shorter than estimated, moved them again). So the first row in sight
// is held where it was when the list changed: the scroll position is put right after the change
// and after every later change of the list's size, until the user scrolls. When the browser has
// anchored already, the row has not moved and nothing is done.

/**
 * The first row (`.task`, in DOM order) that starts in sight — the one being read; a row cut by the
 * top edge may still change height (its text re-rendered) without moving it. Else the row in sight.
 */
function firstRowInSight(scroller: HTMLElement, list: HTMLElement): HTMLElement | null {
  const view = scroller.getBoundingClientRect();
  let cut: HTMLElement | null = null;
  for (const el of list.querySelectorAll<HTMLElement>('.task')) {
    const r = el.getBoundingClientRect();
    if (r.bottom <= view.top) continue;
    if (r.top >= view.top - 0.5) return r.top < view.bottom ? el : cut ?? el;
    cut ??= el;
  }
  return cut;
}

/** Runs `change` (which updates the rows in place) holding the row in sight where it was. */
export type HoldView = (change: () => void) => void;

export function createHoldView(scroller: HTMLElement, list: HTMLElement): HoldView {
  /** The row held and where in the viewport it belongs; null once the user scrolls. */
  let held: { el: HTMLElement; top: number } | null = null;
  /** The position this module set last: its own scroll event is not the user's. */
  let ours = -1;

  const correct = (): void => {
    if (!held) return;
    if (!held.el.isConnected) { held = null; return; }
    const off = held.el.getBoundingClientRect().top - held.top;
    // Scroll positions snap to device pixels: less than one is as still as it gets.
    if (Math.abs(off) < 1) return;
    scroller.scrollTop += off;
    ours = scroller.scrollTop;
  };
  // After layout, before paint: rows measured or built above the one held never show out of place.
  new ResizeObserver(correct).observe(list);
  scroller.addEventListener('scroll', () => {
    if (scroller.scrollTop !== ours) held = null;
    ours = -1;
  }, { passive: true });

  return (change) => {
    if (!held?.el.isConnected) {
      const el = firstRowInSight(scroller, list);
      held = el ? { el, top: el.getBoundingClientRect().top } : null;
    }
    change();
    correct();
  };
}
