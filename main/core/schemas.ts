// Every command input is validated here, once, and reused by IPC and HTTP. Unknown fields are
// rejected, strings bounded, URLs http(s) only, numbers ranged. Inside, the types are trusted.
import { z } from 'zod';
import type { FeedInput, FeedPatch, OAuth1Credentials, PreviewOptions, Settings, StateOptions } from '../../preload/contract';
import { CommandError } from './errors';

export const MAX_URL_LENGTH = 2048;

export const HttpUrl = z
  .string()
  .trim()
  .min(1, 'Enter a feed URL.')
  .max(MAX_URL_LENGTH, `A URL is at most ${MAX_URL_LENGTH} characters.`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 80)}" is not a valid URL.` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `Only http and https feed URLs are allowed, not ${url.protocol}` });
    }
  });

const Keyword = z.string().trim().min(1).max(200);
const KeywordList = z.array(Keyword).max(100);
export const Template = z.string().min(1, 'The template cannot be empty.').max(1000);

const feedFields = {
  enabled: z.boolean(),
  name: z.string().trim().max(200).nullable(),
  intervalMinutes: z.number().int().min(1).max(1440),
  template: Template,
  include: KeywordList,
  exclude: KeywordList,
  maxHashtags: z.number().int().min(0).max(10),
  postImages: z.boolean(),
  backfill: z.number().int().min(0).max(50),
};

export const FeedInputSchema = z.strictObject({ url: HttpUrl, ...z.object(feedFields).partial().shape });
export const FeedPatchSchema = z.strictObject({ url: HttpUrl, ...feedFields }).partial();

export const SettingsSchema = z.strictObject({
  minPostGapSeconds: z.number().int().min(0).max(86_400),
  dailyCap: z.number().int().min(0).max(2400),
  retryBaseSeconds: z.number().int().min(1).max(3600),
  retryMaxSeconds: z.number().int().min(1).max(86_400),
  maxAttempts: z.number().int().min(1).max(20),
  maxFeedBytes: z.number().int().min(64 * 1024).max(100 * 1024 * 1024),
  fetchTimeoutSeconds: z.number().int().min(1).max(300),
  historyLimit: z.number().int().min(10).max(100_000),
  failedHistoryLimit: z.number().int().min(10).max(1_000_000),
  maxConcurrentFetches: z.number().int().min(1).max(16),
  defaultIntervalMinutes: z.number().int().min(1).max(1440),
  dryRun: z.boolean(),
  startAtLogin: z.boolean(),
  pricePerPostUsd: z.number().min(0).max(100),
  pricePerPostWithUrlUsd: z.number().min(0).max(100),
  notifications: z.enum(['all', 'failures', 'off']),
  checkTimelineBeforeResend: z.boolean(),
});
export const SettingsPatchSchema = SettingsSchema.partial();

export const IdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'Not a valid id.');

export const PreviewRequestSchema = z.strictObject({
  url: HttpUrl,
  template: Template.optional(),
  include: KeywordList.optional(),
  exclude: KeywordList.optional(),
  maxHashtags: feedFields.maxHashtags.optional(),
});

export const CredentialsSchema = z.strictObject({
  appKey: z.string().trim().min(1).max(200),
  appSecret: z.string().trim().min(1).max(200),
  accessToken: z.string().trim().min(1).max(200),
  accessSecret: z.string().trim().min(1).max(200),
});

export const EditTaskSchema = z.strictObject({
  text: z.string().min(1, 'The post cannot be empty.').max(10_000, 'The post is far over X\'s limit.'),
  expectedUpdatedAt: z.string().min(1).max(64),
});

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

/** Parses `input` or throws a CommandError naming the first offending field. */
export function validate<T>(schema: z.ZodType<T>, input: unknown, fieldPrefix = ''): T {
  const result = schema.safeParse(input);
  if (result.success) return withoutUndefined(result.data);
  const issue = result.error.issues[0];
  const path = [fieldPrefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  let message = issue?.message ?? 'Invalid input.';
  if (issue?.code === 'unrecognized_keys') message = `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.`;
  else if (path) message = `${path}: ${message}`;
  const field = issue?.code === 'unrecognized_keys' ? [path, issue.keys[0]].filter(Boolean).join('.') : path;
  throw new CommandError('validation', message, field || undefined);
}

export const parseFeedInput = (input: unknown): FeedInput => validate(FeedInputSchema, input);
export const parseFeedPatch = (input: unknown): FeedPatch => validate(FeedPatchSchema, input);
export const parseSettingsPatch = (input: unknown): Partial<Settings> => validate(SettingsPatchSchema, input);
export const parseId = (input: unknown, field = 'id'): string => validate(IdSchema, input, field);
export const parsePreviewRequest = (input: unknown): { url: string } & PreviewOptions => validate(PreviewRequestSchema, input);
export const parseTaskEdit = (input: unknown): { text: string; expectedUpdatedAt: string } => validate(EditTaskSchema, input);
export const parseCredentials = (input: unknown): OAuth1Credentials => validate(CredentialsSchema, input);
export const parseStateOptions = (input: unknown): StateOptions => validate(StateOptionsSchema, input ?? {});
