// The posting form as data: which settings it edits, how a field's text becomes a value, and
// which changed fields go into updateSettings. Pure, so it is unit-tested without a page.
import type { NotificationMode, Settings } from '../../preload/contract';

type NumberKey = { [K in keyof Settings]-?: Settings[K] extends number | null | undefined ? K : never }[keyof Settings];
type BooleanKey = { [K in keyof Settings]-?: Settings[K] extends boolean ? K : never }[keyof Settings];

export interface NumberField {
  key: NumberKey; kind: 'int' | 'decimal'; label: string; unit?: string; help?: string; min: number; max: number; step?: number;
  /** How a sentence names it ("The daily cap"), and the unit it counts in words, as the engine's messages do. */
  name: string; counts?: string;
  /** An empty box means no value (null): "no limit". */
  optional?: boolean;
}
export interface BooleanField { key: BooleanKey; kind: 'bool'; label: string; help?: string }
export interface ChoiceField { key: 'notifications'; kind: 'choice'; label: string; help?: string; choices: { value: NotificationMode; label: string }[] }
export type SettingsField = NumberField | BooleanField | ChoiceField;

export interface FieldGroup { id: string; title: string; description?: string; fields: SettingsField[] }

export const POSTING_GROUPS: FieldGroup[] = [
  { id: 'pacing', title: 'Pacing', description: 'One post at a time. Items over the cap wait until tomorrow; nothing is dropped.', fields: [
    { key: 'minPostGapSeconds', kind: 'int', label: 'Minimum gap between posts', unit: 'seconds', min: 0, max: 86_400, name: 'The minimum gap between posts', counts: 'seconds' },
    { key: 'dailyCap', kind: 'int', label: 'Daily cap', unit: 'posts a day', min: 0, max: 2400, help: 'Counted per local calendar day.', name: 'The daily cap' },
  ] },
  { id: 'retries', title: 'Retries', description: 'Network errors and X server errors are retried with growing waits.', fields: [
    { key: 'retryBaseSeconds', kind: 'int', label: 'First retry after', unit: 'seconds', min: 1, max: 3600, name: 'The first retry wait', counts: 'seconds' },
    { key: 'retryMaxSeconds', kind: 'int', label: 'Longest wait between retries', unit: 'seconds', min: 1, max: 86_400, name: 'The longest wait between retries', counts: 'seconds' },
    { key: 'maxAttempts', kind: 'int', label: 'Give up after', unit: 'attempts', min: 1, max: 20, name: 'The number of attempts' },
    { key: 'checkTimelineBeforeResend', kind: 'bool', label: 'Look for a lost post on X before resending it',
      help: 'About $0.025 a check: X bills $0.005 for each of the up to 5 posts it returns. Only for a post whose answer was lost; X\'s duplicate check stays the fallback.' },
  ] },
  { id: 'behaviour', title: 'Behaviour', fields: [
    { key: 'historyLimit', kind: 'int', label: 'Keep history of', unit: 'tasks', min: 10, max: 100_000, help: 'Older completed and cancelled tasks are dropped first.', name: 'The history kept', counts: 'tasks' },
    { key: 'failedHistoryLimit', kind: 'int', label: 'Keep failed tasks', unit: 'tasks', min: 10, max: 1_000_000, help: 'Failed tasks wait for you to retry them; past this many, the oldest are dropped and a notice says so.', name: 'The failed tasks kept', counts: 'tasks' },
    { key: 'defaultIntervalMinutes', kind: 'int', label: 'Check new feeds every', unit: 'minutes', min: 1, max: 1440, name: 'The check interval for new feeds', counts: 'minutes' },
    { key: 'notifications', kind: 'choice', label: 'Notifications', choices: [
      { value: 'all', label: 'Every post and failure' }, { value: 'failures', label: 'Failures only' }, { value: 'off', label: 'Off' },
    ] },
    { key: 'startAtLogin', kind: 'bool', label: 'Start Crier when I log in', help: 'Desktop app only.' },
    { key: 'dryRun', kind: 'bool', label: 'Dry run', help: 'Run every step except the post itself. With no account connected Crier always runs dry.' },
  ] },
  { id: 'prices', title: 'X prices', description: 'Used for the cost estimate. X bills per post, and more for a post that carries a URL.', fields: [
    { key: 'pricePerPostUsd', kind: 'decimal', label: 'Price per post', unit: 'USD', min: 0, max: 100, step: 0.001, name: 'The price per post', counts: 'US dollars' },
    { key: 'pricePerPostWithUrlUsd', kind: 'decimal', label: 'Price per post with a URL', unit: 'USD', min: 0, max: 100, step: 0.001, name: 'The price per post with a URL', counts: 'US dollars' },
    { key: 'monthlySpendLimitUsd', kind: 'decimal', label: 'Monthly spending limit', unit: 'USD', min: 0, max: 100_000, step: 0.01, optional: true,
      help: 'Live posts stop for the rest of the month once this month’s posts cost this much; empty: no limit.', name: 'The monthly spending limit', counts: 'US dollars' },
  ] },
];

export const POSTING_FIELDS: SettingsField[] = POSTING_GROUPS.flatMap((g) => g.fields);

/** What a form control holds: text for inputs and selects, a boolean for checkboxes. */
export type RawValue = string | boolean;

export interface FormReading<T> { values: Partial<T>; errors: Record<string, string> }

/** Parses the text of a number field; a message when it is not a number of the right kind. */
export function parseNumber(text: string, kind: 'int' | 'decimal'): number | string {
  const t = text.trim();
  if (t === '') return 'Enter a number.';
  const n = Number(t);
  if (!Number.isFinite(n)) return 'Enter a number.';
  if (kind === 'int' && !Number.isInteger(n)) return 'Enter a whole number.';
  return n;
}

export interface NumberRule { kind: 'int' | 'decimal'; min: number; max: number; name: string; counts?: string }

const count = (n: number): string => n.toLocaleString('en-US');

/** What a number field holds, in the words the engine uses: "The daily cap is a whole number from 0 to 2,400." */
export function numberRule(rule: NumberRule): string {
  return rule.kind === 'int'
    ? `${rule.name} is a whole number${rule.counts ? ` of ${rule.counts}` : ''} from ${count(rule.min)} to ${count(rule.max)}.`
    : `${rule.name} is a number from ${count(rule.min)} to ${count(rule.max)}${rule.counts ? ` (${rule.counts})` : ''}.`;
}

/** A number field's value, or the rule it breaks (not a number, not whole, out of range). */
export function readNumber(text: string, rule: NumberRule): number | string {
  const n = parseNumber(text, rule.kind);
  return typeof n === 'number' && n >= rule.min && n <= rule.max ? n : numberRule(rule);
}

/** The form's values, read from raw control values keyed by setting name; every field's problem at once. */
export function readSettingsForm(raw: Readonly<Record<string, RawValue | undefined>>, fields: readonly SettingsField[] = POSTING_FIELDS): FormReading<Settings> {
  const values: Partial<Settings> = {};
  const errors: Record<string, string> = {};
  const out = values as Record<string, unknown>;
  for (const f of fields) {
    const v = raw[f.key];
    if (v === undefined) continue;
    if (f.kind === 'bool') out[f.key] = v === true;
    else if (f.kind === 'choice') out[f.key] = String(v);
    else if (f.optional && String(v).trim() === '') out[f.key] = null;
    else {
      const n = readNumber(String(v), f);
      if (typeof n === 'number') out[f.key] = n;
      else errors[f.key] = n;
    }
  }
  return { values, errors };
}

/** Only the fields whose value differs from what the server last said. */
export function settingsPatch(baseline: Settings, values: Partial<Settings>): Partial<Settings> {
  const patch: Partial<Settings> = {};
  for (const key of Object.keys(values) as (keyof Settings)[]) {
    // An optional setting the server never sent reads back from its empty box as null: no change.
    if (values[key] !== undefined && values[key] !== (baseline[key] ?? null)) (patch as Record<string, unknown>)[key] = values[key];
  }
  return patch;
}

/** A setting as its control shows it. */
export function controlValue(settings: Settings, field: SettingsField): RawValue {
  const v = settings[field.key];
  return typeof v === 'boolean' ? v : v === null || v === undefined ? '' : String(v);
}
