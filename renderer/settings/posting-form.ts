// Posting rules: a form over the settings that saves only what changed. A field the user has
// not touched follows the server (another window may change it); a touched one is left alone.
import type { Feed, Settings } from '../../preload/contract';
import type { CrierApi } from '../api';
import { button, h } from '../lib/dom';
import { errorMessage, type Toaster } from '../lib/toast';
import { describeCost, estimateMonthlyCost } from './cost';
import { field, fieldErrors, input, type Control, type FieldView } from './form-field';
import { createPostingHoursField, sameHours } from './posting-hours-field';
import { controlValue, POSTING_FIELDS, POSTING_GROUPS, readSettingsForm, settingsPatch, type RawValue, type SettingsField } from './settings-patch';

export interface PostingForm { update(settings: Settings, feeds: readonly Feed[], dryRunNow: boolean): void }

function controlFor(f: SettingsField): Control {
  if (f.kind === 'bool') return input('checkbox');
  if (f.kind === 'choice') return h('select', {}, ...f.choices.map((c) => h('option', { text: c.label, attrs: { value: c.value } })));
  return input('number', { min: f.min, max: f.max, step: f.step ?? 1, inputmode: f.kind === 'int' ? 'numeric' : 'decimal' });
}

const readControl = (c: Control): RawValue => (c instanceof HTMLInputElement && c.type === 'checkbox' ? c.checked : c.value);
const writeControl = (c: Control, v: RawValue): void => {
  if (c instanceof HTMLInputElement && c.type === 'checkbox') c.checked = v === true; else c.value = String(v);
};

export function createPostingForm(root: HTMLElement, costRoot: HTMLElement, api: CrierApi, toast: Toaster): PostingForm {
  const views: Record<string, FieldView> = {};
  for (const f of POSTING_FIELDS) {
    views[f.key] = field({ id: `set-${f.key}`, label: f.label, control: controlFor(f), help: f.help, unit: f.kind === 'bool' || f.kind === 'choice' ? undefined : f.unit, inline: f.kind === 'bool' });
  }
  const errors = fieldErrors(views);
  const hours = createPostingHoursField();
  const status = h('p', { class: 'form-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const formError = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true } });
  const saveBtn = h('button', { class: 'btn btn-primary', text: 'Save', attrs: { type: 'submit' } });
  const revertBtn = button('Revert', () => revert(), { class: 'btn btn-quiet' });
  const form = h('form', { class: 'settings-form', attrs: { novalidate: true, 'aria-label': 'Posting rules' } },
    ...POSTING_GROUPS.map((g) => h('fieldset', { class: `card settings-group group-${g.id}` },
      h('legend', { class: 'card-title', text: g.title }),
      g.description ? h('p', { class: 'group-description', text: g.description }) : null,
      h('div', { class: 'settings-fields' }, ...g.fields.map((f) => views[f.key]?.wrap)),
      g.id === 'pacing' ? hours.el : null,
      g.id === 'prices' ? costRoot : null)),
    formError,
    h('div', { class: 'form-actions form-actions-sticky' }, status, revertBtn, saveBtn));
  root.replaceChildren(form);

  let baseline: Settings | null = null;
  let feeds: readonly Feed[] = [];
  let dryRun = false;

  const raw = (): Record<string, RawValue> => Object.fromEntries(POSTING_FIELDS.map((f) => [f.key, readControl(views[f.key]!.control)]));
  /** Fields whose control differs from the saved value, valid or not (an invalid one is a change to explain on Save). */
  const touched = (): number => {
    if (!baseline) return 0;
    const b = baseline;
    return POSTING_FIELDS.filter((f) => readControl(views[f.key]!.control) !== controlValue(b, f)).length + (hoursTouched() ? 1 : 0);
  };
  const hoursTouched = (): boolean => {
    if (!baseline) return false;
    const r = hours.read();
    return 'error' in r || !sameHours(r.value, baseline.postingHours);
  };

  function paintCost(): void {
    if (!baseline) return;
    const { values } = readSettingsForm(raw());
    const c = estimateMonthlyCost({ ...baseline, ...values }, feeds);
    const d = describeCost(c);
    costRoot.replaceChildren(
      h('div', { class: 'cost-figure' },
        h('span', { class: 'cost-label', text: 'Estimated monthly cost' }),
        h('strong', { class: 'cost-value', text: d.headline, attrs: { id: 'cost-value' } })),
      h('p', { class: 'cost-detail', text: d.detail, attrs: { id: 'cost-detail' } }),
      dryRun ? h('p', { class: 'cost-dry', text: 'Dry run is on: nothing is posted now, so nothing is charged.' }) : '');
  }
  function paintDirty(): void {
    const n = touched();
    saveBtn.disabled = n === 0;
    revertBtn.hidden = n === 0;
    if (n > 0) status.textContent = `${n} unsaved ${n === 1 ? 'change' : 'changes'}`;
    else if (status.dataset.kind !== 'saved') status.textContent = '';
  }
  function revert(): void {
    if (!baseline) return;
    for (const f of POSTING_FIELDS) writeControl(views[f.key]!.control, controlValue(baseline, f));
    hours.write(baseline.postingHours ?? null);
    hours.showError(null);
    errors.clear();
    formError.hidden = true;
    status.dataset.kind = '';
    paintDirty();
    paintCost();
  }

  form.addEventListener('input', () => { status.dataset.kind = ''; paintDirty(); paintCost(); });
  form.addEventListener('change', () => { paintDirty(); paintCost(); });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save();
  });

  async function save(): Promise<void> {
    if (!baseline) return;
    errors.clear();
    formError.hidden = true;
    const reading = readSettingsForm(raw());
    const hoursReading = hours.read();
    if ('error' in hoursReading) hours.showError(hoursReading.error);
    if (Object.keys(reading.errors).length) { errors.show(reading.errors); return; }
    if ('error' in hoursReading) return;
    const patch = settingsPatch(baseline, reading.values);
    if (!sameHours(hoursReading.value, baseline.postingHours)) patch.postingHours = hoursReading.value;
    if (Object.keys(patch).length === 0) return;
    saveBtn.disabled = true;
    try {
      const saved = await api.updateSettings(patch);
      adopt(saved, true);
      status.dataset.kind = 'saved';
      status.textContent = 'Saved. The new rules apply at once.';
      toast.show('Settings saved.');
    } catch (err) {
      if (!errors.showApiError(err)) { formError.textContent = `Could not save: ${errorMessage(err)}`; formError.hidden = false; }
    } finally {
      paintDirty();
    }
  }

  /** Takes the server's settings; `force` overwrites even touched fields (after our own save). */
  function adopt(next: Settings, force: boolean): void {
    for (const f of POSTING_FIELDS) {
      const c = views[f.key]!.control;
      const untouched = baseline === null || readControl(c) === controlValue(baseline, f);
      if (force || untouched) writeControl(c, controlValue(next, f));
    }
    if (force || !hoursTouched()) hours.write(next.postingHours ?? null);
    baseline = next;
  }

  return {
    update(settings, nextFeeds, dryRunNow) {
      feeds = nextFeeds;
      dryRun = dryRunNow;
      if (settings !== baseline) adopt(settings, false);
      paintDirty();
      paintCost();
    },
  };
}
