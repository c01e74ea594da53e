// Editing a pending or failed task's text in its row: a textarea with X's weighted length counted
// as the user types, Save (Ctrl+Enter) and Cancel (Escape), and the engine's refusals (changed
// meanwhile, in doubt, too long, a link broken) said inside the row, where the user is looking.
import { canEditText, type Task } from '../../preload/contract';
import { button, h } from '../lib/dom';
import type { EditState, RowState } from './row-state';

export interface EditPorts {
  /** Saves the text; resolves with the task as saved, rejects with the engine's refusal. */
  save(task: Task, text: string, expectedUpdatedAt: string): Promise<unknown>;
  /** Renders the row again from its latest task, or `answer` if newer (the editor opened, closed or changed). */
  rerender(answer?: Task): void;
}

type Counter = (text: string) => { weight: number; fits: boolean; left: number };
let counter: Counter | null = null;
/**
 * twitter-text is evaluated the first time an editor opens, not when the page starts (the page's
 * first paint does not wait for it), from a chunk of its own (scripts/build-renderer.mjs splits).
 */
function loadCounter(): Promise<Counter> {
  return counter ? Promise.resolve(counter) : import('./row-length').then((m) => (counter = m.postLength));
}

export function startEdit(state: RowState, task: Task): void {
  state.editing.set(task.id, { draft: task.text, baseUpdatedAt: task.updatedAt, error: '', saving: false,
    selectionStart: task.text.length, selectionEnd: task.text.length });
}

/** "231 / 280", or "12 over the limit of 280". */
export function lengthWords(weight: number, left: number): string {
  return left >= 0 ? `${weight} / 280` : `${-left} over the limit of 280`;
}

/** The editor for `task` in its row, or null when it is not being edited. */
export function renderEditor(state: RowState, task: Task, ports: EditPorts): HTMLElement | null {
  const edit = state.editing.get(task.id);
  if (!edit) return null;
  const ids = { text: `edit-text-${task.id}`, count: `edit-count-${task.id}`, error: `edit-error-${task.id}` };
  const editable = canEditText(task);

  const count = h('span', { class: 'task-edit-count', attrs: { id: ids.count } });
  const textarea = h('textarea', {
    class: 'task-edit-text',
    dataset: { action: 'edit-text' },
    attrs: { id: ids.text, dir: 'auto', rows: 3, spellcheck: 'true', 'aria-describedby': `${ids.count} ${ids.error}`,
      'aria-invalid': edit.error ? 'true' : null, disabled: edit.saving || !editable },
  });
  textarea.value = edit.draft;
  textarea.setSelectionRange(edit.selectionStart, edit.selectionEnd);

  const refusal = !editable
    ? `This task is ${task.status === 'running' ? 'being posted right now' : task.status} now: its text can no longer be edited. Your draft was not saved.`
    : edit.error;
  const error = h('p', { class: 'task-edit-error', text: refusal, attrs: { id: ids.error, role: 'alert', dir: 'auto', hidden: !refusal } });

  const save = button(edit.saving ? 'Saving…' : 'Save', () => void submit(), {
    class: 'btn btn-small btn-primary', dataset: { action: 'edit-save' }, attrs: { disabled: edit.saving || !editable },
  });
  const cancel = button('Cancel', () => close(), { class: 'btn btn-small', dataset: { action: 'edit-cancel' }, attrs: { 'aria-label': 'Cancel editing' } });

  const paintCount = (): void => {
    if (!counter) { void loadCounter().then(paintCount); return; }
    const { weight, left, fits } = counter(edit.draft);
    count.textContent = lengthWords(weight, left);
    count.classList.toggle('is-over', !fits);
    if (editable && !edit.saving) save.disabled = !fits;
  };
  paintCount();

  const remember = (): void => {
    edit.draft = textarea.value;
    edit.selectionStart = textarea.selectionStart;
    edit.selectionEnd = textarea.selectionEnd;
  };
  textarea.addEventListener('input', () => { remember(); paintCount(); });
  textarea.addEventListener('select', remember);
  textarea.addEventListener('keyup', remember);
  textarea.addEventListener('click', remember);
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
  });

  function close(): void {
    state.editing.delete(task.id);
    ports.rerender();
  }

  async function submit(): Promise<void> {
    if (edit!.saving || !editable) return;
    remember();
    edit!.saving = true;
    edit!.error = '';
    ports.rerender();
    let saved: Task | undefined;
    try {
      const answer = await ports.save(task, edit!.draft, edit!.baseUpdatedAt);
      saved = isTask(answer) ? answer : undefined;
      // Closed only if still this edit (not cancelled and reopened meanwhile).
      if (state.editing.get(task.id) === edit) state.editing.delete(task.id);
    } catch (err) {
      edit!.saving = false;
      edit!.error = err instanceof Error ? err.message : String(err);
    }
    // The saved text at once, not the old one until the delta comes.
    ports.rerender(saved);
  }

  // Escape anywhere in the editor (the text, Save, Cancel) closes it.
  return h('div', { class: 'task-edit', on: { keydown: (e) => { if ((e as KeyboardEvent).key === 'Escape') { e.preventDefault(); close(); } } } },
    h('label', { class: 'visually-hidden', text: 'Post text', attrs: { for: ids.text } }),
    textarea,
    error,
    h('div', { class: 'task-edit-bar' }, count, h('span', { class: 'task-edit-keys', text: 'Ctrl+Enter saves · Esc cancels', attrs: { 'aria-hidden': 'true' } }), save, cancel));
}

function isTask(x: unknown): x is Task {
  return typeof x === 'object' && x !== null && typeof (x as Task).id === 'string' && typeof (x as Task).updatedAt === 'string' && typeof (x as Task).text === 'string';
}

/** Whether the row being rendered held focus in its editor (so the new editor takes it back). */
export function editorHadFocus(row: HTMLElement): boolean {
  const active = document.activeElement;
  return active instanceof HTMLTextAreaElement && row.contains(active);
}

export type { EditState };
