// A labelled control with its help and its error, wired for assistive tech: the error is
// linked by aria-describedby and flagged with aria-invalid, so a screen reader reads it with
// the field. Errors come from the form's own checks or the server's field issues (every
// offending field at once), mapped to one of these; an error goes as soon as its field changes.
import { CrierError } from '../api';
import { h } from '../lib/dom';
import { controlForField, messageForField } from './feed-patch';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface FieldView {
  wrap: HTMLElement;
  control: Control;
  setError(message: string | null): void;
}

export interface FieldOptions {
  id: string;
  label: string;
  control: Control;
  help?: string;
  /** Shown after the control ("seconds"). */
  unit?: string;
  /** Checkbox layout: control before label. */
  inline?: boolean;
  /** Extra nodes under the control (e.g. the placeholder chips). */
  extra?: Node[];
  class?: string;
}

export function field(o: FieldOptions): FieldView {
  const { control } = o;
  control.id = o.id;
  const helpId = `${o.id}-help`;
  const errorId = `${o.id}-error`;
  const help = o.help ? h('p', { class: 'field-help', text: o.help, attrs: { id: helpId } }) : null;
  const error = h('p', { class: 'field-error', attrs: { id: errorId, hidden: true } });
  const describe = (withError: boolean): void => {
    const ids = [withError ? errorId : null, help ? helpId : null].filter(Boolean).join(' ');
    if (ids) control.setAttribute('aria-describedby', ids); else control.removeAttribute('aria-describedby');
  };
  describe(false);
  const label = h('label', { class: 'field-label', text: o.label, attrs: { for: o.id } });
  const wrap = o.inline
    ? h('div', { class: `field field-check ${o.class ?? ''}`.trim() },
      h('div', { class: 'field-check-row' }, control, label), help, error)
    : h('div', { class: `field ${o.class ?? ''}`.trim() }, label,
      h('div', { class: 'field-control' }, control, o.unit ? h('span', { class: 'field-unit', text: o.unit }) : null),
      ...(o.extra ?? []), help, error);
  // The user is fixing it: the old message no longer describes what is there.
  const clearOnChange = (): void => { if (wrap.classList.contains('has-error')) view.setError(null); };
  control.addEventListener('input', clearOnChange);
  control.addEventListener('change', clearOnChange);
  const view: FieldView = {
    wrap, control,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = message === null;
      wrap.classList.toggle('has-error', message !== null);
      if (message === null) control.removeAttribute('aria-invalid'); else control.setAttribute('aria-invalid', 'true');
      describe(message !== null);
    },
  };
  return view;
}

export interface ShowOptions {
  /** Move focus to the first field shown (default true; false while the user types elsewhere). */
  focus?: boolean;
}

export interface FieldErrors {
  clear(): void;
  /** Shows each message by its field; focuses the first. Returns the messages no field claimed. */
  show(errors: Record<string, string>, options?: ShowOptions): string[];
  /**
   * Shows an Api error's field issues (all of them), or its one `field`. Returns the messages no
   * field here claimed, or null when the error names no field at all.
   */
  showApiError(err: unknown, options?: ShowOptions): string[] | null;
}

/** An Api error as messages by field: its issues, or its one field; null when it names none. */
export function apiFieldErrors(err: unknown): Record<string, string> | null {
  if (!(err instanceof CrierError)) return null;
  if (err.issues?.length) return Object.fromEntries(err.issues.map((i) => [i.field, i.message]));
  return err.field ? { [err.field]: err.message } : null;
}

export function fieldErrors(fields: Record<string, FieldView>): FieldErrors {
  const names = Object.keys(fields);
  const clear = (): void => { for (const f of Object.values(fields)) f.setError(null); };
  const show = (errors: Record<string, string>, options: ShowOptions = {}): string[] => {
    const unclaimed: string[] = [];
    // Several issues may land on one control (include.0 and include.3 are both the include box).
    const byControl = new Map<FieldView, string[]>();
    for (const [name, message] of Object.entries(errors)) {
      const key = controlForField(name, names);
      const f = key ? fields[key] : undefined;
      if (!f) { unclaimed.push(message); continue; }
      byControl.set(f, [...(byControl.get(f) ?? []), messageForField(message, name)]);
    }
    for (const [f, messages] of byControl) f.setError(messages.join(' '));
    const [first] = byControl.keys();
    if (options.focus !== false) first?.control.focus();
    return unclaimed;
  };
  return {
    clear, show,
    showApiError(err, options) {
      const byField = apiFieldErrors(err);
      return byField ? show(byField, options) : null;
    },
  };
}

export function input(type: string, attrs: Record<string, string | number | boolean | undefined> = {}): HTMLInputElement {
  return h('input', { attrs: { type, ...attrs } });
}
