// The feed editor as data: control values → FeedInput for a new feed or the FeedPatch of what
// changed for an existing one. Pure.
import type { Feed, FeedInput, FeedPatch, NetworkTemplates, PreviewOptions, UtmTags } from '../../preload/contract';
import { readNumber, type NumberRule, type RawValue } from './settings-patch';

export interface FeedFormRaw {
  url: string; name: string; intervalMinutes: string; template: string; include: string; exclude: string;
  maxHashtags: string; postImages: boolean; backfill: string; enabled: boolean;
  /** The UTM boxes; absent (older callers) means the feed's tags are not being edited. */
  utmSource?: string; utmMedium?: string; utmCampaign?: string;
  /** Review mode's box; absent (older callers) leaves the feed's mode alone. */
  review?: boolean;
  /** The dedupe choice ('id', 'link', 'title') and the repost box (empty: never); absent: left alone. */
  dedupe?: string;
  repostAfterDays?: string;
  /** The accounts ticked under "Post to"; absent (one account, nothing to choose) leaves them alone. */
  accountIds?: string[];
  /** The Bluesky and Mastodon templates (empty: the feed's own); absent: left alone. */
  templateBluesky?: string;
  templateMastodon?: string;
}

/** The two boxes as the feed's templates per network: only those filled in; none is null. */
export function readTemplates(raw: Pick<FeedFormRaw, 'templateBluesky' | 'templateMastodon'>): NetworkTemplates | null {
  const out: NetworkTemplates = {};
  if (raw.templateBluesky?.trim()) out.bluesky = raw.templateBluesky;
  if (raw.templateMastodon?.trim()) out.mastodon = raw.templateMastodon;
  return Object.keys(out).length > 0 ? out : null;
}
const sameTemplates = (a: NetworkTemplates | null | undefined, b: NetworkTemplates | null | undefined): boolean =>
  (a?.bluesky ?? '') === (b?.bluesky ?? '') && (a?.mastodon ?? '') === (b?.mastodon ?? '');

/** The accounts a feed posts to: none named is the default account only. */
export function feedAccounts(feed: Pick<Feed, 'accountIds'>): string[] {
  return feed.accountIds !== undefined && feed.accountIds.length > 0 ? feed.accountIds : ['default'];
}

const REPOST_DAYS: NumberRule = { kind: 'int', min: 1, max: 3650, name: 'The days before an item that comes back is posted again', counts: 'days' };

/** The three UTM boxes as the feed's tags: only those filled in; none filled in is null (no tags). */
export function readUtm(raw: Pick<FeedFormRaw, 'utmSource' | 'utmMedium' | 'utmCampaign'>): UtmTags | null {
  const tags: UtmTags = {};
  const source = raw.utmSource?.trim() ?? '';
  const medium = raw.utmMedium?.trim() ?? '';
  const campaign = raw.utmCampaign?.trim() ?? '';
  if (source) tags.source = source;
  if (medium) tags.medium = medium;
  if (campaign) tags.campaign = campaign;
  return Object.keys(tags).length ? tags : null;
}

const sameUtm = (a: UtmTags | null | undefined, b: UtmTags | null | undefined): boolean =>
  (a?.source ?? '') === (b?.source ?? '') && (a?.medium ?? '') === (b?.medium ?? '') && (a?.campaign ?? '') === (b?.campaign ?? '');

/** One filter per line; blank lines are not filters. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '');
}

/** The feed's number fields, worded as the engine words them. */
export const FEED_NUMBERS: Record<'intervalMinutes' | 'maxHashtags' | 'backfill', NumberRule> = {
  intervalMinutes: { kind: 'int', min: 1, max: 1440, name: 'The check interval', counts: 'minutes' },
  maxHashtags: { kind: 'int', min: 0, max: 10, name: 'The number of hashtags' },
  backfill: { kind: 'int', min: 0, max: 50, name: 'The number of items posted on the first check' },
};

export function readFeedForm(raw: FeedFormRaw): { values: FeedInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const num = (key: 'intervalMinutes' | 'maxHashtags' | 'backfill'): number | undefined => {
    const n = readNumber(raw[key], FEED_NUMBERS[key]);
    if (typeof n === 'number') return n;
    errors[key] = n;
    return undefined;
  };
  const values: FeedInput = {
    url: raw.url.trim(),
    name: raw.name.trim() === '' ? null : raw.name.trim(),
    template: raw.template,
    include: splitLines(raw.include),
    exclude: splitLines(raw.exclude),
    postImages: raw.postImages,
    enabled: raw.enabled,
  };
  if (raw.utmSource !== undefined || raw.utmMedium !== undefined || raw.utmCampaign !== undefined) values.utm = readUtm(raw);
  if (raw.review !== undefined) values.review = raw.review;
  if (raw.dedupe === 'id' || raw.dedupe === 'link' || raw.dedupe === 'title') values.dedupe = raw.dedupe;
  if (raw.repostAfterDays !== undefined) {
    if (raw.repostAfterDays.trim() === '') values.repostAfterDays = null;
    else {
      const days = readNumber(raw.repostAfterDays, REPOST_DAYS);
      if (typeof days === 'number') values.repostAfterDays = days;
      else errors.repostAfterDays = days;
    }
  }
  if (raw.templateBluesky !== undefined || raw.templateMastodon !== undefined) values.templates = readTemplates(raw);
  if (raw.accountIds !== undefined) {
    if (raw.accountIds.length === 0) errors.accountIds = 'Choose at least one account to post to.';
    else values.accountIds = raw.accountIds;
  }
  const interval = num('intervalMinutes');
  const hashtags = num('maxHashtags');
  const backfill = num('backfill');
  if (interval !== undefined) values.intervalMinutes = interval;
  if (hashtags !== undefined) values.maxHashtags = hashtags;
  if (backfill !== undefined) values.backfill = backfill;
  return { values, errors };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Only what differs from the saved feed. */
export function feedPatch(feed: Feed, values: FeedInput): FeedPatch {
  const patch: FeedPatch = {};
  if (values.url !== feed.url) patch.url = values.url;
  if (values.name !== undefined && values.name !== feed.name) patch.name = values.name;
  if (values.intervalMinutes !== undefined && values.intervalMinutes !== feed.intervalMinutes) patch.intervalMinutes = values.intervalMinutes;
  if (values.template !== undefined && values.template !== feed.template) patch.template = values.template;
  if (values.include && !sameList(values.include, feed.include)) patch.include = values.include;
  if (values.exclude && !sameList(values.exclude, feed.exclude)) patch.exclude = values.exclude;
  if (values.maxHashtags !== undefined && values.maxHashtags !== feed.maxHashtags) patch.maxHashtags = values.maxHashtags;
  if (values.postImages !== undefined && values.postImages !== feed.postImages) patch.postImages = values.postImages;
  if (values.backfill !== undefined && values.backfill !== feed.backfill) patch.backfill = values.backfill;
  if (values.enabled !== undefined && values.enabled !== feed.enabled) patch.enabled = values.enabled;
  if (values.utm !== undefined && !sameUtm(values.utm, feed.utm)) patch.utm = values.utm;
  if (values.review !== undefined && values.review !== (feed.review ?? false)) patch.review = values.review;
  if (values.dedupe !== undefined && values.dedupe !== (feed.dedupe ?? 'id')) patch.dedupe = values.dedupe;
  if (values.repostAfterDays !== undefined && values.repostAfterDays !== (feed.repostAfterDays ?? null)) patch.repostAfterDays = values.repostAfterDays;
  if (values.templates !== undefined && !sameTemplates(values.templates, feed.templates)) patch.templates = values.templates;
  if (values.accountIds !== undefined && !sameList([...values.accountIds].sort(), [...feedAccounts(feed)].sort())) patch.accountIds = values.accountIds;
  return patch;
}

/** What the live preview needs from the form. */
export function previewOptions(values: FeedInput): PreviewOptions {
  const o: PreviewOptions = {};
  if (values.template !== undefined) o.template = values.template;
  if (values.include?.length) o.include = values.include;
  if (values.exclude?.length) o.exclude = values.exclude;
  if (values.maxHashtags !== undefined) o.maxHashtags = values.maxHashtags;
  // Always sent when edited: tags cleared in the form must preview as no tags, not the saved ones.
  if (values.utm !== undefined) o.utm = values.utm;
  if (values.templates !== undefined) o.templates = values.templates;
  return o;
}

/** The control an error's `field` belongs to: "include.2" is the include box, "feeds.0.url" the URL. */
export function controlForField(field: string | undefined, known: readonly string[]): string | null {
  if (!field) return null;
  const parts = field.split('.');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] ?? '';
    if (known.includes(p)) return p;
  }
  return null;
}

/** A server message names its field ("dailyCap: Too big…"); next to the field that prefix is noise. */
export function messageForField(message: string, field: string | undefined): string {
  if (field && message.startsWith(`${field}: `)) return message.slice(field.length + 2);
  return message;
}

export type { RawValue };
