// Every command input is validated here, once, and reused by IPC and HTTP. Unknown fields are
// rejected, strings bounded, URLs http(s) only, numbers ranged. Inside, the types are trusted.
// Messages are written for people and name their field in words ("The daily cap is a whole number
// from 0 to 2,400."), and a refusal lists every offending field at once (CommandError.issues).
import { z } from 'zod';
import type { BlueskyCredentials, FeedInput, FeedPatch, MastodonCredentials, OAuth1Credentials, PreviewOptions, Settings, StateOptions } from '../../preload/contract';
import type { FieldIssue } from '../../preload/contract';
import { validationError } from './errors';

export const MAX_URL_LENGTH = 2048;

/**
 * 2400 → "2,400", as en-US writes it, without Intl: the first use of Intl loads its locale data,
 * which made building these messages at start cost ~20 ms (issue 13). Bounds are whole numbers.
 */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "The daily cap is a whole number from 0 to 2,400." — one message for a wrong type and either bound. */
export function wholeNumberMessage(label: string, min: number, max: number, unit?: string): string {
  return `${label} is a whole number${unit ? ` of ${unit}` : ''} from ${count(min)} to ${count(max)}.`;
}
function wholeNumber(label: string, min: number, max: number, unit?: string) {
  const error = wholeNumberMessage(label, min, max, unit);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}
function decimal(label: string, min: number, max: number, unit: string) {
  const error = `${label} is a number from ${count(min)} to ${count(max)} (${unit}).`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}
const onOff = (label: string) => z.boolean({ error: `${label} is either true or false.` });

export const HttpUrl = z
  .string({ error: 'Enter a feed URL.' })
  .trim()
  .min(1, 'Enter a feed URL.')
  .max(MAX_URL_LENGTH, `A URL is at most ${count(MAX_URL_LENGTH)} characters.`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 80)}" is not a web address: enter one starting with https:// or http://.` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `Only http and https feed URLs are allowed, not ${url.protocol.replace(/:$/, '')}.` });
    }
  });

const Keyword = z.string({ error: 'Each filter is text.' }).trim().min(1, 'A filter cannot be empty.').max(200, 'A filter is at most 200 characters.');
const KeywordList = z.array(Keyword, { error: 'Filters are a list of words or /patterns/.' }).max(100, 'A feed has at most 100 filters of each kind.');
export const Template = z.string({ error: 'The template is text.' }).min(1, 'The template cannot be empty.').max(1000, 'The template is at most 1,000 characters.');

const utmValue = (label: string) => z.string({ error: `The ${label} tag is text.` }).trim()
  .max(200, `The ${label} tag is at most 200 characters.`)
  .refine((v) => !/\{(?!(?:feed|date)\})[^}]*\}/.test(v), `The ${label} tag can fill in only {feed} and {date}.`);
export const UtmSchema = z.strictObject({
  source: utmValue('utm_source').optional(),
  medium: utmValue('utm_medium').optional(),
  campaign: utmValue('utm_campaign').optional(),
}, { error: 'UTM tags are source, medium and campaign.' }).nullable();

/** An account's id (AccountState.id), wherever a command names one. */
export const AccountId = z.string({ error: 'Not a valid account id.' }).min(1, 'Not a valid account id.').max(100, 'Not a valid account id.').regex(/^[A-Za-z0-9_-]+$/, 'Not a valid account id.');

const feedFields = {
  enabled: onOff('Enabled'),
  name: z.string({ error: 'The name is text.' }).trim().max(200, 'The name is at most 200 characters.').nullable(),
  intervalMinutes: wholeNumber('The check interval', 1, 1440, 'minutes'),
  template: Template,
  include: KeywordList,
  exclude: KeywordList,
  maxHashtags: wholeNumber('The number of hashtags', 0, 10),
  postImages: onOff('Attach the item’s image'),
  backfill: wholeNumber('The number of items posted on the first check', 0, 50),
  utm: UtmSchema,
  review: onOff('Review mode'),
  dedupe: z.enum(['id', 'link', 'title'], { error: 'Dedupe is by "id", "link" or "title".' }),
  repostAfterDays: wholeNumber('The days before an item that comes back is posted again', 1, 3650, 'days').nullable(),
  accountIds: z.array(AccountId, { error: 'The accounts a feed posts to are a list of account ids.' })
    .max(50, 'A feed posts to at most 50 accounts.')
    .transform((ids) => [...new Set(ids)]),
  templates: z.strictObject({ bluesky: Template.optional(), mastodon: Template.optional() }, { error: 'Templates per network are bluesky and mastodon.' }).nullable(),
};

export const FeedInputSchema = z.strictObject({ url: HttpUrl, ...z.object(feedFields).partial().shape });
export const FeedPatchSchema = z.strictObject({ url: HttpUrl, ...feedFields }).partial();

const timeOfDay = (label: string) => z.string({ error: `${label} is a time of day.` })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label} is a time of day from 00:00 to 23:59.`);
export const PostingHoursSchema = z.strictObject({
  from: timeOfDay('The start of the posting hours'),
  to: timeOfDay('The end of the posting hours'),
  days: z.array(z.int().min(0).max(6), { error: 'The posting days are numbers from 0 (Sunday) to 6 (Saturday).' })
    .max(7, 'A week has 7 days.')
    .refine((d) => d.length > 0, 'Choose at least one posting day, or turn posting hours off.')
    .transform((d) => [...new Set(d)].sort((a, b) => a - b)),
}, { error: 'Posting hours are from, to and days.' }).nullable();

export const SettingsSchema = z.strictObject({
  minPostGapSeconds: wholeNumber('The minimum gap between posts', 0, 86_400, 'seconds'),
  dailyCap: wholeNumber('The daily cap', 0, 2400),
  retryBaseSeconds: wholeNumber('The first retry wait', 1, 3600, 'seconds'),
  retryMaxSeconds: wholeNumber('The longest wait between retries', 1, 86_400, 'seconds'),
  maxAttempts: wholeNumber('The number of attempts', 1, 20),
  maxFeedBytes: wholeNumber('The largest feed', 64 * 1024, 100 * 1024 * 1024, 'bytes'),
  fetchTimeoutSeconds: wholeNumber('The fetch timeout', 1, 300, 'seconds'),
  historyLimit: wholeNumber('The history kept', 10, 100_000, 'tasks'),
  failedHistoryLimit: wholeNumber('The failed tasks kept', 10, 1_000_000, 'tasks'),
  maxConcurrentFetches: wholeNumber('The number of fetches at once', 1, 16),
  defaultIntervalMinutes: wholeNumber('The check interval for new feeds', 1, 1440, 'minutes'),
  dryRun: onOff('Dry run'),
  dryRunAccounts: z.array(AccountId, { error: 'The accounts in dry run are a list of account ids.' }).max(100, 'At most 100 accounts.').transform((ids) => [...new Set(ids)]).optional(),
  startAtLogin: onOff('Start at login'),
  pricePerPostUsd: decimal('The price per post', 0, 100, 'US dollars'),
  pricePerPostWithUrlUsd: decimal('The price per post with a URL', 0, 100, 'US dollars'),
  monthlySpendLimitUsd: decimal('The monthly spending limit', 0, 100_000, 'US dollars').nullable(),
  notifications: z.enum(['all', 'failures', 'off'], { error: 'Notifications are "all", "failures" or "off".' }),
  checkTimelineBeforeResend: onOff('Looking for a lost post on X'),
  postingHours: PostingHoursSchema,
  // As RedirectPortSchema in x/oauth2/app-input.ts, which imports this module.
  oauth2RedirectPort: z.number({ error: 'The redirect port is a whole number from 1024 to 65535.' })
    .int('The redirect port is a whole number from 1024 to 65535.')
    .min(1024, 'The redirect port is a whole number from 1024 to 65535.')
    .max(65_535, 'The redirect port is a whole number from 1024 to 65535.')
    .optional(),
});
export const SettingsPatchSchema = SettingsSchema.partial();

export const IdSchema = z.string({ error: 'Not a valid id.' }).min(1, 'Not a valid id.').max(100, 'Not a valid id.').regex(/^[A-Za-z0-9_-]+$/, 'Not a valid id.');

export const PreviewRequestSchema = z.strictObject({
  url: HttpUrl,
  template: Template.optional(),
  include: KeywordList.optional(),
  exclude: KeywordList.optional(),
  maxHashtags: feedFields.maxHashtags.optional(),
  utm: UtmSchema.optional(),
  feedId: IdSchema.optional(),
  templates: feedFields.templates.optional(),
});

const credential = (label: string) => z.string({ error: `Enter ${label}.` }).trim().min(1, `Enter ${label}.`).max(200, `${label[0]!.toUpperCase()}${label.slice(1)} is at most 200 characters.`);
export const CredentialsSchema = z.strictObject({
  appKey: credential('the API key'),
  appSecret: credential('the API key secret'),
  accessToken: credential('the access token'),
  accessSecret: credential('the access token secret'),
});

const secretText = (label: string) => z.string({ error: `Enter ${label}.` }).trim().min(1, `Enter ${label}.`).max(500, `${label[0]!.toUpperCase()}${label.slice(1)} is at most 500 characters.`);
export const BlueskyCredentialsSchema = z.strictObject({
  identifier: secretText('the Bluesky handle or email'),
  appPassword: secretText('an app password (Bluesky: Settings → Privacy and security → App passwords)'),
  service: z.string({ error: 'The server address is text.' }).trim().max(MAX_URL_LENGTH, 'The server address is at most 2,048 characters.').nullable().optional(),
  accountId: AccountId.optional(),
});
export const MastodonCredentialsSchema = z.strictObject({
  instanceUrl: secretText('your Mastodon instance’s address'),
  accessToken: secretText('the access token'),
  accountId: AccountId.optional(),
});

export const EditTaskSchema = z.strictObject({
  text: z.string().min(1, 'The post cannot be empty.').max(10_000, 'The post is far over X\'s limit.'),
  expectedUpdatedAt: z.string().min(1).max(64),
});

/** The ids a bulk task command acts on: each a valid id, at most 100,000 of them. */
export const TaskIdsSchema = z.array(IdSchema, { error: 'The tasks are a list of ids.' }).max(100_000, 'At most 100,000 tasks at once.');

export const ExportFormatSchema = z.enum(['csv', 'json'], { error: 'The export format is "csv" or "json".' });

/** getState's options. Over HTTP the limit comes from the query string, hence the coercion there. */
export const StateOptionsSchema = z.strictObject({
  taskLimit: z.number({ error: 'A task limit is a whole number.' }).int('A task limit is a whole number.').min(0, 'A task limit is at least 0.').max(1_000_000, 'A task limit is at most 1,000,000.').optional(),
});

export const OpmlSchema = z.string().min(1, 'The OPML document is empty.').max(1024 * 1024);

/**
 * An optional field sent as `undefined` (IPC's structured clone keeps such keys) means "not
 * given": dropped, so merging a patch over defaults or a stored object never blanks a field.
 */
function withoutUndefined<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Every offending input of a failed parse, one per field, in input order. Our own messages are
 * sentences that name their field; zod's few defaults (no full stop) get the field's path in front.
 */
export function issuesOf(error: z.ZodError, fieldPrefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const add = (field: string, message: string): void => {
    if (seen.has(field)) return;
    seen.add(field);
    issues.push({ field, message });
  };
  for (const issue of error.issues) {
    const path = [fieldPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([path, key].filter(Boolean).join('.'), `Unknown field: ${key}.`);
      continue;
    }
    const ours = /[.!?]$/.test(issue.message);
    add(path, ours || !path ? issue.message : `${path}: ${issue.message}`);
  }
  return issues;
}

/** Parses `input`, or throws a validation CommandError listing every offending field (the first is `field`). */
export function validate<T>(schema: z.ZodType<T>, input: unknown, fieldPrefix = ''): T {
  const result = schema.safeParse(input);
  if (result.success) return withoutUndefined(result.data);
  throw validationError(issuesOf(result.error, fieldPrefix));
}

export const parseFeedInput = (input: unknown): FeedInput => validate(FeedInputSchema, input);
export const parseFeedPatch = (input: unknown): FeedPatch => validate(FeedPatchSchema, input);
export const parseSettingsPatch = (input: unknown): Partial<Settings> => validate(SettingsPatchSchema, input);
export const parseId = (input: unknown, field = 'id'): string => validate(IdSchema, input, field);
export const parsePreviewRequest = (input: unknown): { url: string } & PreviewOptions => validate(PreviewRequestSchema, input);
export const parseTaskEdit = (input: unknown): { text: string; expectedUpdatedAt: string } => validate(EditTaskSchema, input);
export const parseCredentials = (input: unknown): OAuth1Credentials => validate(CredentialsSchema, input);
export const parseBlueskyCredentials = (input: unknown): BlueskyCredentials => validate(BlueskyCredentialsSchema, input);
export const parseMastodonCredentials = (input: unknown): MastodonCredentials => validate(MastodonCredentialsSchema, input);
export const parseTaskIds = (input: unknown): string[] => validate(TaskIdsSchema, input, 'ids');
export const parseExportFormat = (input: unknown): 'csv' | 'json' => validate(ExportFormatSchema, input, 'format');
export const parseStateOptions = (input: unknown): StateOptions => validate(StateOptionsSchema, input ?? {});
