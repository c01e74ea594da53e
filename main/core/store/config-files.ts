// Settings and feed configs in electron-store's file format, through conf. Each part lives in
// its own file, so a damaged one is recovered without touching the other.
import Conf from 'conf';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../../preload/contract';
import { DEFAULT_MAX_HASHTAGS, DEFAULT_SETTINGS, DEFAULT_TEMPLATE } from '../defaults';
import type { Logger } from '../ports';
import { FeedPatchSchema, IdSchema, SettingsSchema } from '../schemas';
import { corruptName, moveAside } from './quarantine';
import type { FeedConfig } from './types';

/** The schema version of settings.json and feeds.json; bump it with a migration below. */
export const CONFIG_VERSION = '1.0.0';
export const SETTINGS_FILE = 'settings';
export const FEEDS_FILE = 'feeds';

type Store = Conf<Record<string, unknown>>;
type Migrations = Record<string, (store: Store) => void>;

/** 0.x kept the gap between posts in minutes; 1.0.0 counts seconds like every other duration. */
const settingsMigrations: Migrations = {
  '1.0.0': (store) => {
    const minutes = store.get('minPostGapMinutes');
    if (typeof minutes === 'number' && !store.has('minPostGapSeconds')) store.set('minPostGapSeconds', Math.round(minutes * 60));
    store.delete('minPostGapMinutes');
  },
};

/** 0.x nested a feed's keywords under `filters`; 1.0.0 keeps `include` and `exclude` on the feed. */
const feedsMigrations: Migrations = {
  '1.0.0': (store) => {
    const feeds = store.get('feeds');
    if (!Array.isArray(feeds)) return;
    store.set('feeds', feeds.map((feed: unknown) => {
      if (!isPlainObject(feed) || !isPlainObject(feed.filters)) return feed;
      const { filters, ...rest } = feed;
      return { include: filters.include ?? [], exclude: filters.exclude ?? [], ...rest };
    }));
  },
};

export interface Recovery { message: string }

export interface ConfigFile<T> {
  value: T;
  write(value: T): void;
}

interface OpenContext { dir: string; now: number; log: Logger; recover(recovery: Recovery): void }

export function openSettingsFile(ctx: OpenContext): ConfigFile<Settings> {
  const conf = openConf(ctx, SETTINGS_FILE, settingsMigrations, 'Settings');
  const { value, rejected } = settingsFrom(conf.store);
  if (rejected.length > 0) {
    keepCopy(ctx, conf, `Some settings could not be read (${rejected.join(', ')}); they were reset to their defaults.`);
    conf.store = { ...value };
  }
  return {
    value,
    write(next) {
      conf.store = { ...SettingsSchema.parse(next) };
    },
  };
}

export function openFeedsFile(ctx: OpenContext): ConfigFile<FeedConfig[]> {
  const conf = openConf(ctx, FEEDS_FILE, feedsMigrations, 'The feed list');
  const { value, problems } = feedsFrom(conf.store);
  if (problems.length > 0) {
    keepCopy(ctx, conf, `Some feed settings could not be read: ${problems.join('; ')}.`);
    conf.set('feeds', value);
  }
  return {
    value,
    write(next) {
      conf.set('feeds', next);
    },
  };
}

/** Every known setting that validates is kept; the rest take their defaults, and new fields appear. */
export function settingsFrom(stored: Record<string, unknown>): { value: Settings; rejected: string[] } {
  const value: Settings = { ...DEFAULT_SETTINGS };
  const rejected: string[] = [];
  const shape = SettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    if (!(key in stored)) continue;
    const parsed = shape[key].safeParse(stored[key]);
    if (parsed.success) (value as unknown as Record<string, unknown>)[key] = parsed.data;
    else rejected.push(key);
  }
  return { value, rejected };
}

const feedFieldShape = FeedPatchSchema.shape;

/** A feed keeps every field that validates; one without a usable id or URL cannot be polled and is dropped. */
export function feedsFrom(stored: Record<string, unknown>): { value: FeedConfig[]; problems: string[] } {
  const raw = stored.feeds;
  if (raw === undefined) return { value: [], problems: [] };
  if (!Array.isArray(raw)) return { value: [], problems: ['the list of feeds was not a list, so it starts empty'] };
  const feeds: FeedConfig[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const label = `feed ${index + 1}`;
    if (!isPlainObject(entry)) return void problems.push(`${label} was not an object and was dropped`);
    const id = IdSchema.safeParse(entry.id);
    const url = feedFieldShape.url.unwrap().safeParse(entry.url);
    if (!id.success || !url.success || ids.has(id.data)) {
      return void problems.push(`${label} had no valid ${!url.success ? 'URL' : 'id'} and was dropped`);
    }
    ids.add(id.data);
    const feed: FeedConfig = {
      id: id.data, url: url.data, enabled: true, name: null, intervalMinutes: DEFAULT_SETTINGS.defaultIntervalMinutes,
      template: DEFAULT_TEMPLATE, include: [], exclude: [], maxHashtags: DEFAULT_MAX_HASHTAGS, postImages: false, backfill: 0,
    };
    const reset: string[] = [];
    for (const key of ['enabled', 'name', 'intervalMinutes', 'template', 'include', 'exclude', 'maxHashtags', 'postImages', 'backfill'] as const) {
      if (!(key in entry)) continue;
      const parsed = feedFieldShape[key].unwrap().safeParse(entry[key]);
      if (parsed.success) (feed as unknown as Record<string, unknown>)[key] = parsed.data;
      else reset.push(key);
    }
    if (reset.length > 0) problems.push(`${url.data}: ${reset.join(', ')} reset to defaults`);
    feeds.push(feed);
  });
  return { value: feeds, problems };
}

function openConf(ctx: OpenContext, name: string, migrations: Migrations, what: string): Store {
  const path = join(ctx.dir, `${name}.json`);
  if (existsSync(path) && !readableObject(path)) {
    const aside = moveAside(path, ctx.now);
    ctx.recover({ message: `${what} file was damaged and could not be read. It was moved to ${aside}; ${what.toLowerCase()} starts from the defaults.` });
  }
  const create = (): Store => new Conf<Record<string, unknown>>({
    cwd: ctx.dir, configName: name, projectVersion: CONFIG_VERSION, migrations,
    clearInvalidConfig: false, accessPropertiesByDotNotation: false,
  });
  try {
    return create();
  } catch (error) {
    // A migration that throws on an odd old file must not keep the app from starting; any other
    // failure (permissions, a full disk) is not the file's fault and is not hidden by moving it.
    if (!String(error).includes('during the migration')) throw error;
    ctx.log.error('config migration failed', { file: name, error: String(error) });
    const aside = existsSync(path) ? moveAside(path, ctx.now) : null;
    ctx.recover({ message: `${what} file could not be upgraded${aside ? `. It was moved to ${aside}` : ''}; ${what.toLowerCase()} starts from the defaults.` });
    return create();
  }
}

/** Keeps the user's file as it was before a repair writes over the values that failed. */
function keepCopy(ctx: OpenContext, conf: Store, message: string): void {
  const copy = corruptName(conf.path, ctx.now);
  try {
    copyFileSync(conf.path, copy);
    ctx.recover({ message: `${message} The file as it was is kept at ${copy}.` });
  } catch (error) {
    ctx.log.warn('could not keep a copy of a repaired config file', { file: conf.path, error: String(error) });
    ctx.recover({ message });
  }
}

function readableObject(path: string): boolean {
  try {
    const text = readFileSync(path, 'utf8');
    // conf reads an empty file as an empty store; that is a fresh start, not damage.
    return text.trim() === '' || isPlainObject(JSON.parse(text));
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
