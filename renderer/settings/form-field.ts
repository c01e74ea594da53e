// A labelled control with its help and its error, wired for assistive tech: the error is
// linked by aria-describedby and flagged with aria-invalid, so a screen reader reads it with
// the field. Errors come from the server's `field`, mapped to one of these.
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
  return {
    wrap, control,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = message === null;
      wrap.classList.toggle('has-error', message !== null);
      if (message === null) control.removeAttribute('aria-invalid'); else control.setAttribute('aria-invalid', 'true');
      describe(message !== null);
    },
  };
}

export interface FieldErrors {
  clear(): void;
  /** Shows each message by its field; focuses the first. Returns the messages no field claimed. */
  show(errors: Record<string, string>): string[];
  /** Shows an Api error by its `field`; returns false when no field here claims it. */
  showApiError(err: unknown): boolean;
}

export function fieldErrors(fields: Record<string, FieldView>): FieldErrors {
  const names = Object.keys(fields);
  const clear = (): void => { for (const f of Object.values(fields)) f.setError(null); };
  const show = (errors: Record<string, string>): string[] => {
    const unclaimed: string[] = [];
    let first: FieldView | null = null;
    for (const [name, message] of Object.entries(errors)) {
      const key = controlForField(name, names);
      const f = key ? fields[key] : undefined;
      if (!f) { unclaimed.push(message); continue; }
      f.setError(messageForField(message, name));
      first ??= f;
    }
    first?.control.focus();
    return unclaimed;
  };
  return {
    clear, show,
    showApiError(err) {
      if (!(err instanceof CrierError) || !err.field) return false;
      return show({ [err.field]: err.message }).length === 0;
    },
  };
}

export function input(type: string, attrs: Record<string, string | number | boolean | undefined> = {}): HTMLInputElement {
  return h('input', { attrs: { type, ...attrs } });
}
