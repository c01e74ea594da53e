// "Cancelled 3 tasks — Undo": for the 10 seconds the engine keeps what a cancel changed
// (undoCancel), a toast offers to put the tasks back as they were. Read out politely, like the
// other toasts; Undo is a real button, reachable by keyboard.
import { button, h } from '../lib/dom';

export const UNDO_WINDOW_MS = 10_000;

export interface UndoToast {
  show(message: string, onUndo: () => void): void;
}

export function createUndoToast(region: HTMLElement, windowMs = UNDO_WINDOW_MS): UndoToast {
  return {
    show(message, onUndo) {
      const item = h('div', { class: 'toast toast-undo', dataset: { toast: 'undo' } }, h('span', { text: message, attrs: { dir: 'auto' } }));
      let timer = 0;
      const close = (): void => { window.clearTimeout(timer); item.remove(); };
      item.append(
        button('Undo', () => { close(); onUndo(); }, { class: 'btn btn-small toast-undo-btn', dataset: { action: 'undo' } }),
        button('Close', close, { class: 'btn btn-small btn-quiet', attrs: { 'aria-label': 'Close message' } }));
      region.append(item);
      timer = window.setTimeout(close, windowMs);
    },
  };
}
