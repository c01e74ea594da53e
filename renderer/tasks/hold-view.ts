// Keeps what the user reads still when the list's items change above it. The browser's scroll
// anchoring does this after a wheel or touch scroll, but not always (measured: after a scroll set
// from script, three new tasks on top moved the rows in sight down by their height), so the first
// row in sight is measured before the change and the scroll position put right after it. When the
// browser has anchored already, the row has not moved and nothing is done.

/** The first row (`.task`, in DOM order) whose bottom is below the scroller's top edge. */
function firstRowInSight(scroller: HTMLElement, list: HTMLElement): HTMLElement | null {
  const top = scroller.getBoundingClientRect().top;
  for (const el of list.querySelectorAll<HTMLElement>('.task')) {
    if (el.getBoundingClientRect().bottom > top) return el;
  }
  return null;
}

/** Runs `change` (which updates the rows in place); the row in sight before it stays where it was. */
export function holdView(scroller: HTMLElement, list: HTMLElement, change: () => void): void {
  const anchor = firstRowInSight(scroller, list);
  const before = anchor?.getBoundingClientRect().top ?? 0;
  change();
  if (!anchor?.isConnected) return;
  const delta = anchor.getBoundingClientRect().top - before;
  if (Math.abs(delta) >= 0.5) scroller.scrollTop += delta;
}
