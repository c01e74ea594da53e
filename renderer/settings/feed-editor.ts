// Adding and editing a feed. A new feed is previewed before it is saved — or, when the preview
// fails (the feed is down right now), added anyway on the user's word; a web page's address finds
// the page's feeds to pick from. An existing feed previews live (debounced) as its template and
// filters change: what its next check would post. An address Crier already follows is caught as
// it is typed.
import type { AccountState, Feed, FeedCandidate, PreviewResult } from '../../preload/contract';
import type { CrierApi } from '../api';
import { CrierError } from '../api';
import { button, h, safeHttpUrl } from '../lib/dom';
import { followedAt, plainLabel } from '../lib/feed-labels';
import { errorMessage } from '../lib/toast';
import { accountLabel } from '../lib/account-label';
import { feedAccounts, feedPatch, previewOptions, readFeedForm, type FeedFormRaw } from './feed-patch';
import { field, fieldErrors, input, type FieldView } from './form-field';
import { createPreviewPanel } from './preview-panel';
import { createTemplateEditor } from './template-editor';

export const PREVIEW_DEBOUNCE_MS = 450;

export interface FeedEditorOptions {
  api: CrierApi;
  /** Absent for a new feed. */
  feed?: Feed;
  defaultIntervalMinutes: number;
  /** The feeds Crier follows now, to catch an address already followed as it is typed. */
  followed(): readonly Feed[];
  onSaved(feed: Feed, created: boolean): void;
  onCancel(): void;
  /** Every account, the default one first: with more than one, the feed chooses whom it posts to. */
  accounts?(): readonly AccountState[];
}

export interface FeedEditor { el: HTMLElement; focus(): void; destroy(): void }

const DEFAULT_TEMPLATE = '{title} {link}';

export function createFeedEditor(o: FeedEditorOptions): FeedEditor {
  const { api, feed } = o;
  const isNew = !feed;
  const p = isNew ? 'new-feed' : `feed-${feed.id}`;
  const tpl = createTemplateEditor(p);

  const urlInput = input('url', { placeholder: 'https://example.org/feed.xml', autocomplete: 'off', spellcheck: false, required: true });
  const nameInput = input('text', { placeholder: feed?.title ?? 'The feed’s own title', autocomplete: 'off' });
  const intervalInput = input('number', { min: 1, max: 1440, step: 1, inputmode: 'numeric' });
  const includeInput = h('textarea', { attrs: { rows: 2, spellcheck: 'false', placeholder: 'release\n/v\\d+\\.\\d+/' } });
  const excludeInput = h('textarea', { attrs: { rows: 2, spellcheck: 'false', placeholder: 'sponsored' } });
  const hashtagsInput = input('number', { min: 0, max: 10, step: 1, inputmode: 'numeric' });
  const backfillInput = input('number', { min: 0, max: 50, step: 1, inputmode: 'numeric' });
  const imagesInput = input('checkbox');
  const enabledInput = input('checkbox');
  const reviewInput = input('checkbox');
  const dedupeInput = h('select', {},
    h('option', { text: 'By id (a link naming one item counts too)', attrs: { value: 'id' } }),
    h('option', { text: 'By link: one post per page', attrs: { value: 'link' } }),
    h('option', { text: 'By title too', attrs: { value: 'title' } }));
  const repostInput = input('number', { min: 1, max: 3650, step: 1, inputmode: 'numeric', placeholder: 'never' });
  const utmInputs = {
    source: input('text', { placeholder: 'crier', autocomplete: 'off', spellcheck: false }),
    medium: input('text', { placeholder: 'social', autocomplete: 'off', spellcheck: false }),
    campaign: input('text', { placeholder: '{feed}', autocomplete: 'off', spellcheck: false }),
  };

  urlInput.value = feed?.url ?? '';
  nameInput.value = feed?.name ?? '';
  intervalInput.value = String(feed?.intervalMinutes ?? o.defaultIntervalMinutes);
  tpl.textarea.value = feed?.template ?? DEFAULT_TEMPLATE;
  includeInput.value = (feed?.include ?? []).join('\n');
  excludeInput.value = (feed?.exclude ?? []).join('\n');
  hashtagsInput.value = String(feed?.maxHashtags ?? 3);
  backfillInput.value = String(feed?.backfill ?? 0);
  imagesInput.checked = feed?.postImages ?? false;
  enabledInput.checked = feed?.enabled ?? true;
  reviewInput.checked = feed?.review ?? false;
  dedupeInput.value = feed?.dedupe ?? 'id';
  repostInput.value = feed?.repostAfterDays == null ? '' : String(feed.repostAfterDays);
  utmInputs.source.value = feed?.utm?.source ?? '';
  utmInputs.medium.value = feed?.utm?.medium ?? '';
  utmInputs.campaign.value = feed?.utm?.campaign ?? '';

  const fields: Record<string, FieldView> = {
    url: field({ id: `${p}-url`, label: 'Feed URL', control: urlInput, help: isNew ? 'An RSS, Atom or JSON feed, or a site’s home page: Crier finds the feeds it names.' : undefined, class: 'field-wide' }),
    name: field({ id: `${p}-name`, label: 'Name', control: nameInput, help: 'Optional; shown in Crier and as {feed}.' }),
    intervalMinutes: field({ id: `${p}-interval`, label: 'Check every', control: intervalInput, unit: 'minutes' }),
    template: field({ id: `${p}-template`, label: 'Post template', control: tpl.textarea, extra: [tpl.chips, tpl.counter], class: 'field-wide' }),
    include: field({ id: `${p}-include`, label: 'Only post items matching', control: includeInput,
      help: 'One per line. Whole words, any case; /regex/ for a pattern (RE2 syntax: no backreferences or lookaround; runs in linear time). Empty: every item.' }),
    exclude: field({ id: `${p}-exclude`, label: 'Skip items matching', control: excludeInput, help: 'One per line, checked after the include list.' }),
    maxHashtags: field({ id: `${p}-hashtags`, label: 'Hashtags at most', control: hashtagsInput, help: 'Made from the item’s categories, as {hashtags}.' }),
    backfill: field({ id: `${p}-backfill`, label: 'On the first check, post the newest', control: backfillInput, unit: 'items',
      help: isNew ? '0 marks everything already in the feed as seen.' : 'Only used on a feed’s first check.' }),
    postImages: field({ id: `${p}-images`, label: 'Attach the item’s image', control: imagesInput, inline: true }),
    enabled: field({ id: `${p}-enabled`, label: 'Enabled', control: enabledInput, inline: true, help: 'A disabled feed is not checked.' }),
    review: field({ id: `${p}-review`, label: 'Review each post before it goes out', control: reviewInput, inline: true,
      help: 'New items wait in the tasks window under “To review” until you approve or skip them; one never answered is never posted.' }),
    dedupe: field({ id: `${p}-dedupe`, label: 'An item was already posted when', control: dedupeInput,
      help: 'Its id is always checked. By link: any item on a page already posted is skipped; by title: any item whose title was posted too.' }),
    repostAfterDays: field({ id: `${p}-repost`, label: 'Post an item again when it comes back after', control: repostInput, unit: 'days',
      help: 'Empty: never. Counted from the check that found it gone; an item that never left is not posted again.' }),
    // Keyed by the last part of the engine's field path ("utm.source"), which is how its errors find them.
    source: field({ id: `${p}-utm-source`, label: 'utm_source', control: utmInputs.source }),
    medium: field({ id: `${p}-utm-medium`, label: 'utm_medium', control: utmInputs.medium }),
    campaign: field({ id: `${p}-utm-campaign`, label: 'utm_campaign', control: utmInputs.campaign }),
  };
  // "Post to": one box per account, shown once there is more than one to choose from.
  const accounts = o.accounts?.() ?? [];
  const chosen = new Set(feed ? feedAccounts(feed) : ['default']);
  const accountBoxes = accounts.map((account) => {
    const id = account.id ?? 'default';
    const box = input('checkbox');
    box.value = id;
    box.checked = chosen.has(id);
    box.id = `${p}-account-${id}`;
    return h('label', { class: 'account-choice', attrs: { for: box.id } }, box, h('span', { text: accountLabel(account) }));
  });
  const accountsGroup = h('fieldset', { class: 'field account-choices', attrs: { id: `${p}-accounts`, hidden: accounts.length < 2 } },
    h('legend', { class: 'field-label', text: 'Post to' }),
    ...accountBoxes,
    h('p', { class: 'field-help', text: 'One post per item on each account ticked; each account posts at its own pace.' }));
  const accountsError = h('p', { class: 'field-error', attrs: { role: 'alert', hidden: true, id: `${p}-accounts-error` } });
  // Templates for the other networks an account is connected on: empty means the feed's own.
  const networks = new Set(accounts.map((a) => a.network ?? 'x'));
  const blueskyTemplate = h('textarea', { attrs: { rows: 2, spellcheck: 'false', placeholder: 'The feed’s template' } });
  const mastodonTemplate = h('textarea', { attrs: { rows: 2, spellcheck: 'false', placeholder: 'The feed’s template' } });
  blueskyTemplate.value = feed?.templates?.bluesky ?? '';
  mastodonTemplate.value = feed?.templates?.mastodon ?? '';
  fields.bluesky = field({ id: `${p}-template-bluesky`, label: 'Bluesky template', control: blueskyTemplate, help: '300 graphemes; a long link shows shortened. Empty: the feed’s template.' });
  fields.mastodon = field({ id: `${p}-template-mastodon`, label: 'Mastodon template', control: mastodonTemplate, help: 'The instance’s limit (often 500); a link counts 23. Empty: the feed’s template.' });
  const networkTemplates = networks.has('bluesky') || networks.has('mastodon') || feed?.templates
    ? h('details', { class: 'utm-group network-templates', attrs: feed?.templates ? { open: true } : {} },
      h('summary', {}, 'Templates for Bluesky and Mastodon'),
      h('div', { class: 'field-pair' }, networks.has('bluesky') || feed?.templates?.bluesky ? fields.bluesky.wrap : null, networks.has('mastodon') || feed?.templates?.mastodon ? fields.mastodon.wrap : null))
    : null;
  accountsGroup.append(accountsError);
  const errors = fieldErrors(fields);
  const formLabel = isNew ? 'New feed' : `Edit ${feed.name ?? feed.title ?? feed.url}`;
  const preview = createPreviewPanel(p, isNew ? 'new feed' : feed.name ?? feed.title ?? feed.url);
  const formError = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true } });

  const raw = (): FeedFormRaw => ({
    url: urlInput.value, name: nameInput.value, intervalMinutes: intervalInput.value, template: tpl.textarea.value,
    include: includeInput.value, exclude: excludeInput.value, maxHashtags: hashtagsInput.value, postImages: imagesInput.checked,
    backfill: backfillInput.value, enabled: enabledInput.checked,
    utmSource: utmInputs.source.value, utmMedium: utmInputs.medium.value, utmCampaign: utmInputs.campaign.value,
    review: reviewInput.checked,
    dedupe: dedupeInput.value, repostAfterDays: repostInput.value,
    ...(networkTemplates ? { templateBluesky: blueskyTemplate.value, templateMastodon: mastodonTemplate.value } : {}),
    ...(accounts.length < 2 ? {} : { accountIds: accountBoxes.map((l) => l.querySelector('input')!).filter((b) => b.checked).map((b) => b.value) }),
  });

  // ---- preview ----------------------------------------------------------------------
  let previewSeq = 0;
  /** The address the last preview asked about: leaving the URL field unchanged asks nothing again. */
  let askedUrl: string | null = null;
  /** The address whose preview succeeded, or whose preview failed to read it (then it may be added anyway). */
  let previewed: { url: string; ok: boolean } | null = null;
  let lastResult: PreviewResult | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveBtn = button(isNew ? 'Add feed' : 'Save changes', () => void save(), { class: 'btn btn-primary' });
  const previewBtn = isNew ? button('Preview', () => void runPreview(), { class: 'btn' }) : null;

  const duplicate = (): Feed | null => followedAt(urlInput.value, o.followed(), feed?.id);
  const syncSaveState = (): void => {
    const clash = duplicate() !== null;
    if (!isNew) {
      saveBtn.disabled = clash;
      return;
    }
    // A new feed is saved once the user has seen what it would post, or that it cannot be read now.
    const current = previewed !== null && previewed.url === urlInput.value.trim() ? previewed : null;
    saveBtn.disabled = clash || current === null;
    saveBtn.textContent = current?.ok === false ? 'Add anyway' : 'Add feed';
    saveBtn.title = clash ? 'Crier already follows this address' : current ? '' : 'Preview the feed first';
  };
  /** Marks the URL field when the address is one Crier follows; true if it is. */
  const checkDuplicate = (): boolean => {
    const clash = duplicate();
    if (clash) fields.url?.setError(`Crier already follows this address: ${plainLabel(clash)}.`);
    return clash !== null;
  };

  const PREVIEW_FIELDS = ['url', 'template', 'include', 'exclude', 'maxHashtags', 'source', 'medium', 'campaign'] as const;
  async function runPreview(): Promise<void> {
    clearTimeout(timer);
    const { values, errors: local } = readFeedForm(raw());
    const url = values.url;
    if (!safeHttpUrl(url)) {
      previewed = null;
      syncSaveState();
      preview.idle(url ? 'Enter an http or https URL to preview the feed.' : 'Enter the feed’s URL to see what Crier would post.');
      tpl.setCount(null);
      return;
    }
    if (checkDuplicate()) {
      preview.idle('Crier already follows this address; edit that feed instead.');
      tpl.setCount(null);
      return;
    }
    if (local.maxHashtags) { errors.show({ maxHashtags: local.maxHashtags }, { focus: false }); return; }
    askedUrl = url;
    const seq = ++previewSeq;
    preview.loading();
    let result: PreviewResult;
    try {
      result = await api.previewFeed(url, { ...previewOptions(values), ...(feed ? { feedId: feed.id } : {}) });
    } catch (err) {
      if (seq !== previewSeq) return;
      for (const k of PREVIEW_FIELDS) fields[k]?.setError(null);
      lastResult = null;
      if (err instanceof CrierError && err.code === 'feed') {
        // The feed is down or unreadable right now: say so, and let the user add it anyway.
        previewed = { url, ok: false };
        preview.fail(`Could not read the feed: ${err.message}`, isNew
          ? 'You can add it anyway: Crier keeps checking it on its schedule, and its health shows the failure until the feed answers.'
          : 'Saving keeps your changes; the feed’s health shows the failure until it answers.');
      } else {
        const unclaimed = errors.showApiError(err, { focus: false });
        preview.fail(unclaimed === null || unclaimed.length > 0 ? `Could not preview: ${errorMessage(err)}` : 'Fix the highlighted field to see the preview.');
        if (err instanceof CrierError && err.field === 'url') previewed = null;
      }
      syncSaveState();
      tpl.setCount(null, 'No preview yet.');
      return;
    }
    if (seq !== previewSeq) return;
    for (const k of PREVIEW_FIELDS) fields[k]?.setError(null);
    if (result.candidates && !result.feedUrl) {
      // A web page with several feeds (or one that could not be read): the user picks.
      previewed = null;
      lastResult = null;
      preview.offer(result.candidates, pick);
      syncSaveState();
      tpl.setCount(null, 'Pick a feed to measure its latest item.');
      return;
    }
    if (result.feedUrl) {
      // A page's one feed: it is what Crier follows.
      urlInput.value = result.feedUrl;
      if (checkDuplicate()) { previewed = null; syncSaveState(); preview.idle('Crier already follows this page’s feed; edit that feed instead.'); return; }
    }
    previewed = { url: urlInput.value.trim(), ok: true };
    syncSaveState();
    lastResult = result;
    showPreview();
    const latest = result.posts[0] ?? result.example;
    tpl.setCount(latest ? latest.weightedLength : null, latest ? undefined : 'No item passes the filters to measure.');
  }
  function pick(candidate: FeedCandidate): void {
    urlInput.value = candidate.url;
    fields.url?.setError(null);
    void runPreview();
    urlInput.focus();
  }
  function showPreview(): void {
    if (!lastResult) return;
    const backfill = Number.parseInt(backfillInput.value, 10);
    preview.show(lastResult, isNew ? { backfill: Number.isFinite(backfill) && backfill > 0 ? backfill : 0 } : undefined);
  }
  if (isNew) backfillInput.addEventListener('input', showPreview);
  const schedulePreview = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void runPreview(), PREVIEW_DEBOUNCE_MS);
  };
  for (const el of [tpl.textarea, blueskyTemplate, mastodonTemplate, includeInput, excludeInput, hashtagsInput, utmInputs.source, utmInputs.medium, utmInputs.campaign]) el.addEventListener('input', schedulePreview);
  urlInput.addEventListener('input', () => {
    // Caught as it is typed; a new address also makes the last preview's verdict stale.
    checkDuplicate();
    syncSaveState();
    if (!isNew) schedulePreview();
  });
  urlInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); void runPreview(); } });
  // Leaving the field previews a new address; not one just previewed (its result's buttons would be redrawn under the click).
  if (isNew) urlInput.addEventListener('change', () => { if (urlInput.value.trim() !== askedUrl) void runPreview(); });

  // ---- save -------------------------------------------------------------------------
  let saving = false;
  async function save(): Promise<void> {
    // Enter in a field submits the form: a new feed still waits for its preview's verdict.
    if (saving || (isNew && saveBtn.disabled)) return;
    errors.clear();
    formError.hidden = true;
    accountsError.hidden = true;
    const { values, errors: local } = readFeedForm(raw());
    if (local.accountIds !== undefined) {
      accountsError.textContent = local.accountIds;
      accountsError.hidden = false;
      delete local.accountIds;
      if (Object.keys(local).length === 0) return;
    }
    const clash = duplicate();
    if (clash) local.url = `Crier already follows this address: ${plainLabel(clash)}.`;
    if (Object.keys(local).length) { errors.show(local); return; }
    saving = true;
    saveBtn.disabled = true;
    try {
      if (isNew) {
        o.onSaved(await api.addFeed(values), true);
      } else {
        const patch = feedPatch(feed, values);
        o.onSaved(Object.keys(patch).length ? await api.updateFeed(feed.id, patch) : feed, false);
      }
    } catch (err) {
      const unclaimed = errors.showApiError(err);
      if (unclaimed === null || unclaimed.length > 0) { formError.textContent = unclaimed?.join(' ') || errorMessage(err); formError.hidden = false; }
    } finally {
      saving = false;
      saveBtn.disabled = false;
      syncSaveState();
    }
  }

  const cancelBtn = button('Cancel', () => o.onCancel(), { class: 'btn btn-quiet' });
  const form = h('form', { class: 'feed-form', attrs: { novalidate: true, 'aria-label': formLabel } },
    h('div', { class: 'feed-form-url' }, fields.url?.wrap, previewBtn),
    h('div', { class: 'feed-form-grid' },
      h('div', { class: 'feed-form-fields' },
        fields.template?.wrap,
        h('div', { class: 'field-pair' }, fields.name?.wrap, fields.intervalMinutes?.wrap),
        h('div', { class: 'field-pair' }, fields.include?.wrap, fields.exclude?.wrap),
        h('div', { class: 'field-pair' }, fields.maxHashtags?.wrap, fields.backfill?.wrap),
        h('div', { class: 'field-pair' }, fields.postImages?.wrap, fields.enabled?.wrap),
        accountsGroup,
        networkTemplates,
        fields.review?.wrap,
        h('div', { class: 'field-pair' }, fields.dedupe?.wrap, fields.repostAfterDays?.wrap),
        h('details', { class: 'utm-group', attrs: feed?.utm ? { open: true } : {} },
          h('summary', {}, 'Link tracking (UTM tags)'),
          h('p', { class: 'field-help' }, 'Added to the link Crier posts, not to the link it remembers; a tag of the same name in the link is replaced. {feed} and {date} fill in. X counts any link as 23 characters.'),
          h('div', { class: 'field-trio' }, fields.source?.wrap, fields.medium?.wrap, fields.campaign?.wrap))),
      preview.el),
    formError,
    h('div', { class: 'form-actions' }, cancelBtn, saveBtn));
  form.addEventListener('submit', (e) => { e.preventDefault(); void save(); });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); o.onCancel(); }
  });

  syncSaveState();
  if (isNew) { preview.idle('Enter the feed’s URL, or a site’s home page to find its feeds, to see what Crier would post.'); tpl.setCount(null); }
  else void runPreview();

  return {
    el: form,
    focus: () => (isNew ? urlInput : tpl.textarea).focus(),
    destroy: () => { clearTimeout(timer); previewSeq += 1; },
  };
}
