// The template box: placeholder buttons that insert at the cursor, the brace rule, a counter of
// the latest item's weighted length that warns past X's 280, and a height that follows its text.
import { h } from '../lib/dom';
import { MAX_WEIGHT } from './preview-panel';

export const PLACEHOLDER_HELP: { name: string; meaning: string }[] = [
  { name: 'title', meaning: 'the item’s title' },
  { name: 'link', meaning: 'the item’s link (X counts any link as 23)' },
  { name: 'summary', meaning: 'the summary, shortened to fit' },
  { name: 'author', meaning: 'the author' },
  { name: 'feed', meaning: 'the feed’s name' },
  { name: 'date', meaning: 'the publication date' },
  { name: 'hashtags', meaning: 'hashtags from the item’s categories' },
];

export interface TemplateEditor {
  textarea: HTMLTextAreaElement;
  chips: HTMLElement;
  counter: HTMLElement;
  setCount(weight: number | null, note?: string): void;
  /** Fits the box's height to its text (up to the stylesheet's max-height); call after setting the value. */
  grow(): void;
}

/** Inserts `text` at the cursor (replacing a selection) and tells listeners, as typing would. */
export function insertAtCursor(area: HTMLTextAreaElement, text: string): void {
  area.focus();
  area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
  area.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Sets a textarea's height to its content's (CSSOM, which the pages' CSP allows, unlike style attributes). */
export function fitHeight(area: HTMLTextAreaElement): void {
  if (!area.isConnected) return;
  const borders = area.offsetHeight - area.clientHeight;
  area.style.height = 'auto';
  area.style.height = `${area.scrollHeight + borders}px`;
}

export function createTemplateEditor(idPrefix: string): TemplateEditor {
  const textarea = h('textarea', { class: 'template-input', attrs: { rows: 3, spellcheck: 'false', autocomplete: 'off' } });
  const grow = (): void => fitHeight(textarea);
  textarea.addEventListener('input', grow);
  textarea.addEventListener('focus', grow);
  // The value is set after creation and the box is placed in the page after that.
  requestAnimationFrame(grow);
  const counter = h('p', { class: 'counter', attrs: { id: `${idPrefix}-counter`, 'aria-live': 'polite' } });
  const chips = h('div', { class: 'placeholders', attrs: { role: 'group', 'aria-label': 'Insert a placeholder' } },
    ...PLACEHOLDER_HELP.map((p) => {
      const b = h('button', { class: 'placeholder-chip', text: `{${p.name}}`,
        attrs: { type: 'button', title: `Insert {${p.name}}: ${p.meaning}`, 'aria-label': `Insert {${p.name}}, ${p.meaning}` } });
      b.addEventListener('click', () => insertAtCursor(textarea, `{${p.name}}`));
      return b;
    }),
    h('span', { class: 'placeholders-note', text: 'Write {{ and }} for literal braces.' }));
  return {
    textarea, chips, counter, grow,
    setCount(weight, note) {
      counter.classList.toggle('counter-over', weight !== null && weight > MAX_WEIGHT);
      if (weight === null) { counter.textContent = note ?? ''; return; }
      counter.textContent = weight > MAX_WEIGHT
        ? `Latest item: ${weight} / ${MAX_WEIGHT} — over X's limit`
        : `Latest item: ${weight} / ${MAX_WEIGHT}`;
    },
  };
}
