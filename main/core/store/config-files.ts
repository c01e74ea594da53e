// Settings and feed configs in electron-store's file format, through conf. Each part lives in
// its own file, so a damaged one is recovered without touching the other.
import type Conf from 'conf';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../../preload/contract';
import { DEFAULT_MAX_HASHTAGS, DEFAULT_SETTINGS, DEFAULT_TEMPLATE } from '../defaults';
import { lazyRequire } from '../lazy-require';
import type { Logger } from '../ports';
import { FeedPatchSchema, IdSchema, SettingsSchema } from '../schemas';
import { type AsyncFiles, backupPath, keepPreviousSave, keepPreviousSaveAsync, nodeAsyncFiles, readConfig, replaceFile, replaceFileAsync } from './config-backup';
import { createGroupWriter } from './group-writer';
import { corruptName, moveAside } from './quarantine';
import type { FeedConfig } from './types';

/** The schema version of settings.json and feeds.json; bump it with a migration below. */
export const CONFIG_VERSION = '1.0.0';
export const SETTINGS_FILE = 'settings';
export const FEEDS_FILE = 'feeds';

type ConfStore = Conf<Record<string, unknown>>;
type Migrations = Record<string, (store: ConfStore) => void>;
/** What the files below use of conf after it opened a file. */
interface Store { readonly path: string; store: Record<string, unknown>; set(key: string, value: unknown): void }

/**
 * conf (with ajv and semver, a sixth of a start's CPU) loads only for a file it must migrate. A
 * missing file is created, and a file already at CONFIG_VERSION read and written, as conf would:
 * JSON with tabs, its version under `__internal__` (issue 13).
 */
const loadConf = lazyRequire<typeof import('conf')>('conf');

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

/**
 * The feed list file: a write changes it off the event loop and settles when the file holds that
 * list or a later one (writes are grouped, see group-writer.ts).
 */
export interface FeedsFile {
  value: FeedConfig[];
  write(value: FeedConfig[]): Promise<void>;
  /** Settles when the file holds the newest list, writing it again if the last write failed. */
  settle(): Promise<void>;
}

interface OpenContext { dir: string; now: number; log: Logger; recover(recovery: Recovery): void }

export function openSettingsFile(ctx: OpenContext): ConfigFile<Settings> {
  const { conf, damage } = openConf(ctx, SETTINGS_FILE, settingsMigrations, settingsWords);
  const { value, rejected } = settingsFrom(conf.store);
  if (damage) ctx.recover({ message: damageMessage(settingsWords, damage, 'the settings were restored from the previous save') });
  if (rejected.length > 0) {
    keepCopy(ctx, conf, `Some settings could not be read (${rejected.join(', ')}); they were reset to their defaults.`);
    conf.store = { ...value };
  }
  return {
    value,
    write(next) {
      const parsed = SettingsSchema.parse(next);
      keepPreviousSave(conf.path, ctx.log);
      conf.store = { ...parsed };
    },
  };
}

export function openFeedsFile(ctx: OpenContext, fs: AsyncFiles = nodeAsyncFiles): FeedsFile {
  const { conf, damage } = openConf(ctx, FEEDS_FILE, feedsMigrations, feedsWords);
  const { value, problems } = feedsFrom(conf.store);
  if (damage) {
    const count = `${value.length} feed${value.length === 1 ? '' : 's'}`;
    ctx.recover({ message: damageMessage(feedsWords, damage, `the feed list was restored from the previous save (${count})`) });
  }
  if (problems.length > 0) {
    keepCopy(ctx, conf, `Some feed settings could not be read: ${problems.join('; ')}.`);
    conf.set('feeds', value);
  }
  // conf is used only at open (migrations, repair); a write after that is one whole file in
  // conf's own format, so the next open reads and migrates it as before, without conf's
  // synchronous read-back, copies and fsyncs on the event loop for every change.
  // Other top-level keys (conf's __internal__ record of the migrated version) are kept as they are.
  const others: Record<string, unknown> = { __internal__: { migrations: { version: CONFIG_VERSION } }, ...conf.store };
  delete others.feeds;
  let written: Buffer | null = null;
  const writer = createGroupWriter<FeedConfig[]>(async (feeds) => {
    const bytes = Buffer.from(JSON.stringify({ ...others, feeds }, undefined, '\t'));
    await keepPreviousSaveAsync(conf.path, written, ctx.log, fs);
    await replaceFileAsync(conf.path, bytes, fs);
    written = bytes;
  });
  return { value, write: (next) => writer.write(next), settle: () => writer.settle() };
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
    for (const key of ['enabled', 'name', 'intervalMinutes', 'template', 'include', 'exclude', 'maxHashtags', 'postImages', 'backfill', 'utm', 'review', 'dedupe', 'repostAfterDays', 'accountIds', 'templates'] as const) {
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

/** How the notices name a file and what starting from the defaults means for it. */
interface Words { file: string; defaults: string }
const settingsWords: Words = { file: 'The settings file', defaults: 'the settings start from their defaults' };
const feedsWords: Words = { file: 'The feed list file', defaults: 'Crier starts with no feeds' };

/** A config file found damaged at open, and what became of its previous save. */
interface Damage {
  reason: string;
  movedTo: string;
  previous: { kind: 'restored' } | { kind: 'none' } | { kind: 'unusable'; reason: string; movedTo: string };
}

function damageMessage(words: Words, damage: Damage, restored: string): string {
  const found = `${words.file} was damaged (${damage.reason}). It was moved to ${damage.movedTo}`;
  const { previous } = damage;
  if (previous.kind === 'restored') return `${found}, and ${restored}; the last change made before the damage may be missing.`;
  if (previous.kind === 'none') return `${found}. There was no previous save to restore from, so ${words.defaults}.`;
  return `${found}. The previous save could not be used either (${previous.reason}); it was moved to ${previous.movedTo}, so ${words.defaults}.`;
}

function openConf(ctx: OpenContext, name: string, migrations: Migrations, words: Words): { conf: Store; damage: Damage | null } {
  const path = join(ctx.dir, `${name}.json`);
  // A missing file is a fresh start. One that exists but cannot be read (a power loss can leave
  // it empty) is damage: kept aside, and replaced by the previous save when that can be read.
  const current = readConfig(path);
  const damage = current.kind === 'damaged' ? recoverDamaged(ctx, path, current.reason) : null;
  const create = (): ConfStore => new (loadConf().default)<Record<string, unknown>>({
    cwd: ctx.dir, configName: name, projectVersion: CONFIG_VERSION, migrations,
    clearInvalidConfig: false, accessPropertiesByDotNotation: false,
  });
  if (current.kind === 'missing') {
    const store = withoutConf(path, {});
    store.store = {};
    return { conf: store, damage };
  }
  const stored = current.kind === 'good' ? currentVersion(current.bytes) : null;
  if (stored) return { conf: withoutConf(path, stored), damage };
  try {
    return { conf: create(), damage };
  } catch (error) {
    // A migration that throws on an odd old file must not keep the app from starting; any other
    // failure (permissions, a full disk) is not the file's fault and is not hidden by moving it.
    if (!String(error).includes('during the migration')) throw error;
    ctx.log.error('config migration failed', { file: name, error: String(error) });
    const aside = existsSync(path) ? moveAside(path, ctx.now) : null;
    if (damage?.previous.kind === 'restored' && aside) {
      // What failed to upgrade was the restored previous save; the .bak it came from stays in place.
      return { conf: create(), damage: { ...damage, previous: { kind: 'unusable', reason: 'it could not be upgraded to this version of Crier', movedTo: aside } } };
    }
    ctx.recover({ message: `${words.file} could not be upgraded to this version of Crier${aside ? `. It was moved to ${aside}` : ''}; ${words.defaults}.` });
    return { conf: create(), damage };
  }
}

/** The file's values when conf would migrate nothing (its recorded version is this one); else null. */
function currentVersion(bytes: Buffer): Record<string, unknown> | null {
  const value: unknown = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  if (!isPlainObject(value) || !isPlainObject(value.__internal__) || !isPlainObject(value.__internal__.migrations)) return null;
  return value.__internal__.migrations.version === CONFIG_VERSION ? value : null;
}

const INTERNAL = { migrations: { version: CONFIG_VERSION } };

/** A file at this version, read and written as conf does with one: its values without `__internal__`, a write replacing the file. */
function withoutConf(path: string, stored: Record<string, unknown>): Store {
  let values = { ...stored };
  delete values.__internal__;
  return {
    path,
    get store() { return values; },
    set store(value) {
      replaceFile(path, Buffer.from(JSON.stringify({ ...value, __internal__: INTERNAL }, undefined, '\t')));
      values = { ...value };
    },
    set(key, value) { this.store = { ...values, [key]: value }; },
  };
}

/** Moves the damaged file aside and puts the previous save in its place when that can be read. */
function recoverDamaged(ctx: OpenContext, path: string, reason: string): Damage {
  const movedTo = moveAside(path, ctx.now);
  const backup = backupPath(path);
  const previous = readConfig(backup);
  if (previous.kind === 'missing') return { reason, movedTo, previous: { kind: 'none' } };
  if (previous.kind === 'damaged') {
    // Moved too: the next save would write over it, and it may still hold something the user wants.
    return { reason, movedTo, previous: { kind: 'unusable', reason: previous.reason, movedTo: moveAside(backup, ctx.now) } };
  }
  replaceFile(path, previous.bytes);
  return { reason, movedTo, previous: { kind: 'restored' } };
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
