// Short feedback for actions ("Retrying 3 tasks", "Could not cancel: …"), read out politely.
import { button, h } from './dom';

export interface Toaster {
  show(message: string, tone?: 'info' | 'error'): void;
}

export function createToaster(region: HTMLElement, timeoutMs = 6000): Toaster {
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('role', 'status');
  return {
    show(message, tone = 'info') {
      const item = h('div', { class: `toast toast-${tone}` }, h('span', { text: message, attrs: { dir: 'auto' } }));
      const close = (): void => item.remove();
      item.append(button('Close', close, { class: 'btn btn-small btn-quiet', attrs: { 'aria-label': 'Close message' } }));
      region.append(item);
      // Errors stay until closed; confirmations fade on their own.
      if (tone === 'info') setTimeout(close, timeoutMs);
    },
  };
}

/** The message to show for a failed Api call. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
