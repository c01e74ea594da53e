// Copying a post's text. In Electron the clipboard write asks for the 'clipboard-sanitized-write'
// permission, which main/electron/security.ts grants to the app's own pages; anywhere it is refused
// (an insecure origin, a browser's policy), the text is selected so Ctrl+C copies it.

export interface CopyPorts {
  writeText(text: string): Promise<void>;
  /** Tells the user how it went. */
  say(message: string, tone: 'info' | 'error'): void;
}

export const COPIED = 'Copied the post’s text.';
export const COPY_FALLBACK = 'Could not copy by itself: the text is selected — press Ctrl+C (⌘C on a Mac) to copy it.';

export async function copyPostText(text: string, textEl: HTMLElement | null, ports: CopyPorts): Promise<boolean> {
  try {
    await ports.writeText(text);
    ports.say(COPIED, 'info');
    return true;
  } catch {
    if (textEl) {
      const sel = window.getSelection();
      sel?.selectAllChildren(textEl);
    }
    ports.say(COPY_FALLBACK, 'error');
    return false;
  }
}

/** The page's clipboard, or a refusal where there is none (an insecure origin). */
export function pageClipboard(text: string): Promise<void> {
  if (!navigator.clipboard) return Promise.reject(new Error('No clipboard here'));
  return navigator.clipboard.writeText(text);
}
