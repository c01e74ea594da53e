// The Mastodon destination over masto 8: an instance URL and an access token.
//
// Exactly once: every attempt of a task sends the same Idempotency-Key (derived from the task's
// key), so a retry within the instance's hour returns the first status instead of making a second.
// A retry racing a first request still being processed can slip through (mastodon#21840), and the
// key is forgotten after an hour, so a task in doubt looks among the account's recent statuses
// first (findPost), comparing each status's source text — `content` is HTML.
//
// Each request gets its own masto client: masto takes an abort signal per client (its paginated
// lists drop per-request options), and each request needs its own sleep-aware deadline
// (x/deadline.ts) rather than masto's `timeout`, which a machine's sleep would trip.
// Image processing is polled here, not by masto: its poll sleeps on the wall clock for up to 60 s.
import { createHash } from 'node:crypto';
import { createRestAPIClient, type mastodon } from 'masto';
import { USER_AGENT } from '../../../version';
import type { Logger } from '../../ports';
import { sleepAwareDeadline } from '../../x/deadline';
import { downloadImage, ImageDownloadError, type ImageNetwork } from '../../x/image-download';
import { XError, type PostResult, type XFailure } from '../../x/types';
import type { Destination, DestinationPost, LengthRules } from '../types';
import { mapMastodonError } from './failure';
import { parseInstanceUrl, type InstanceUrlOptions } from './instance-url';
import { DEFAULT_INSTANCE_RULES, mastodonLengthRules, type InstanceRules } from './length';

export const DEFAULT_MASTODON_TIMEOUT_MS = 30_000;
/** How long the instance remembers an Idempotency-Key (PostStatusService: redis setex 3,600 s). */
export const IDEMPOTENCY_WINDOW_MS = 3_600_000;
/** Mastodon's own image limit (MediaAttachment::IMAGE_LIMIT, 16 MB). */
export const MASTODON_MAX_IMAGE_BYTES = 16 * 1024 * 1024;
export const IMAGE_FAILED_NOTE = 'image failed: posted text only';
/** A page of the account's statuses (the instance's maximum), and how many pages one look reads at most. */
export const LOOK_PAGE = 40;
export const LOOK_PAGES = 3;
/** At most this many sources are read in one look (each is a request against the account's rate limit). */
export const LOOK_SOURCES = 40;

/** Failures that would sink the post too: better to wait with the image than post without it. */
const QUEUE_LEVEL_KINDS = new Set<XFailure['kind']>(['rate-limited', 'auth', 'offline']);

export interface MastodonOptions extends InstanceUrlOptions {
  /** As typed; reduced to its https origin (parseInstanceUrl). */
  instanceUrl: string;
  accessToken: string;
  log: Logger;
  /** Bounds each request and the image download (default 30 s). */
  timeoutMs?: number;
  /** Lets item images come from loopback (never private ranges): tests only, never a setting. */
  allowLoopbackImages?: boolean;
  imageNetwork?: ImageNetwork;
  /** Default 16 MB, Mastodon's limit. */
  maxImageBytes?: number;
  /** Waits between media processing polls (default setTimeout); tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Between polls of an image still processing (default 1 s), and how many polls before giving up (default 30). */
  mediaPollMs?: number;
  mediaPollAttempts?: number;
}

export interface MastodonAccount {
  /** user@instance-host */
  handle: string;
  accountId: string;
  /** The profile page, e.g. https://mastodon.social/@user */
  url: string | null;
}

export interface MastodonDestination extends Destination {
  readonly network: 'mastodon';
  /** The instance origin the client talks to. */
  readonly instance: string;
  deletePost(postId: string): Promise<{ alreadyGone: boolean }>;
  /** GET /api/v1/accounts/verify_credentials; rejects with XError (a refused token: kind 'auth'). */
  verify(): Promise<MastodonAccount>;
  /** The instance's limits, read once per client (v2 instance, then v1, then 500/23). Never rejects. */
  instanceRules(): Promise<InstanceRules>;
  /** LengthRules for this instance. Never rejects. */
  lengthRules(): Promise<LengthRules>;
}

/** The Idempotency-Key for a task's key: the same on every attempt, header-safe whatever the key holds. */
export function idempotencyKeyFor(key: string): string {
  return `crier-${createHash('sha256').update(`mastodon:${key}`).digest('hex').slice(0, 40)}`;
}

/** Source text as Mastodon keeps it compared with the text Crier sent: line endings and outer spaces aside. */
export function isSameText(source: string, sent: string): boolean {
  const norm = (s: string): string => s.replace(/\r\n?/g, '\n').trim().normalize('NFC');
  return norm(source) === norm(sent);
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws InstanceUrlError for an instance address that cannot be used. */
export function createMastodonDestination(options: MastodonOptions): MastodonDestination {
  const origin = parseInstanceUrl(options.instanceUrl, options);
  const host = new URL(origin).host;
  const { accessToken, log } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MASTODON_TIMEOUT_MS;
  const sleep = options.sleep ?? realSleep;
  const pollMs = options.mediaPollMs ?? 1000;
  const pollAttempts = options.mediaPollAttempts ?? 30;
  const secrets = [accessToken];
  let account: MastodonAccount | null = null;
  let rules: Promise<InstanceRules> | null = null;

  const api = (): mastodon.rest.Client => createRestAPIClient({
    url: origin,
    accessToken,
    // No redirects: fetch turns a redirected POST into a GET and drops the token across origins;
    // an instance that redirects its API is reached at its own address instead (failure.ts says so).
    requestInit: { signal: sleepAwareDeadline(timeoutMs), headers: { 'User-Agent': USER_AGENT }, redirect: 'error' },
    // masto logs nothing at 'error' over HTTP; its debug lines would carry bodies.
    log: 'error',
  });

  const fail = (err: unknown, during: string, creating = false): XError => {
    const failure = mapMastodonError(err, { secrets, creating });
    log.debug('mastodon request failed', { during, kind: failure.kind, httpStatus: failure.httpStatus, inDoubt: failure.inDoubt });
    return new XError(failure);
  };

  const statusUrl = (status: { id: string; url?: string | null }): string => {
    if (typeof status.url === 'string' && status.url !== '') return status.url;
    const user = account ? account.handle.split('@')[0] : null;
    return user ? `${origin}/@${user}/${encodeURIComponent(status.id)}` : `${origin}/statuses/${encodeURIComponent(status.id)}`;
  };

  async function verify(): Promise<MastodonAccount> {
    let me: mastodon.v1.Account;
    try {
      me = await api().v1.accounts.verifyCredentials();
    } catch (err) {
      throw fail(err, 'verify_credentials');
    }
    if (typeof me?.id !== 'string' || typeof me.acct !== 'string') {
      throw new XError({ kind: 'unknown', message: "The instance's answer to verify_credentials had no account in it." });
    }
    const handle = me.acct.includes('@') ? me.acct : `${me.acct}@${host}`;
    account = { handle, accountId: me.id, url: typeof me.url === 'string' ? me.url : null };
    return account;
  }

  function instanceRules(): Promise<InstanceRules> {
    rules ??= readRules().then(({ found, answered }) => {
      // An instance that answered without limits keeps the defaults; one not reached is asked again next time.
      if (!answered) rules = null;
      return found ?? DEFAULT_INSTANCE_RULES;
    });
    return rules;
  }

  async function readRules(): Promise<{ found: InstanceRules | null; answered: boolean }> {
    let answered = false;
    for (const read of [() => api().v2.instance.fetch(), () => api().v1.instance.fetch()] as const) {
      try {
        const found = rulesIn(await read());
        if (found) return { found, answered: true };
        answered = true;
      } catch (err) {
        const failure = mapMastodonError(err, { secrets });
        if (failure.httpStatus !== undefined && failure.httpStatus < 500) answered = true;
        log.debug('mastodon instance rules not read', { kind: failure.kind, httpStatus: failure.httpStatus });
      }
    }
    return { found: null, answered };
  }

  /** The account's own statuses (no boosts, no replies) created since `since`, newest first. */
  async function statusesSince(accountId: string, since: number): Promise<mastodon.v1.Status[]> {
    const found: mastodon.v1.Status[] = [];
    let maxId: string | undefined;
    for (let page = 0; page < LOOK_PAGES; page += 1) {
      let statuses: mastodon.v1.Status[];
      try {
        statuses = await api().v1.accounts.$select(accountId).statuses.list({
          limit: LOOK_PAGE, excludeReblogs: true, excludeReplies: true, ...(maxId === undefined ? {} : { maxId }),
        });
      } catch (err) {
        throw fail(err, 'account statuses');
      }
      if (!Array.isArray(statuses)) throw new XError({ kind: 'unknown', message: "The instance did not list the account's statuses." });
      const valid = statuses.filter((s) => typeof s?.id === 'string' && typeof s.createdAt === 'string');
      found.push(...valid.filter((s) => Date.parse(s.createdAt) >= since));
      const last = valid.at(-1);
      if (statuses.length < LOOK_PAGE || last === undefined || Date.parse(last.createdAt) < since) break;
      maxId = last.id;
    }
    return found;
  }

  async function uploadImage(imageUrl: string): Promise<string> {
    const image = await downloadImage(imageUrl, {
      ...options.imageNetwork,
      allowLoopback: options.allowLoopbackImages === true,
      timeoutMs,
      maxBytes: options.maxImageBytes ?? MASTODON_MAX_IMAGE_BYTES,
    });
    const file = new Blob([new Uint8Array(image.bytes)], { type: image.mediaType });
    let media = await api().v2.media.create({ file, skipPolling: true });
    // 202 Accepted: the instance processes the image; a status may not use it before it has a url.
    for (let polls = 0; !media.url; polls += 1) {
      if (polls >= pollAttempts) throw new XError({ kind: 'media', message: 'The instance did not finish processing the image.' });
      await sleep(pollMs);
      media = await api().v1.media.$select(media.id).fetch();
    }
    return media.id;
  }

  return {
    network: 'mastodon',
    instance: origin,

    async post(post: DestinationPost): Promise<PostResult> {
      let mediaId: string | null = null;
      let note: string | null = null;
      if (post.imageUrl) {
        try {
          mediaId = await uploadImage(post.imageUrl);
        } catch (err) {
          if (!(err instanceof ImageDownloadError) && QUEUE_LEVEL_KINDS.has(mapMastodonError(err, { secrets }).kind)) throw fail(err, 'media upload');
          const reason = err instanceof ImageDownloadError ? err.message : mapMastodonError(err, { secrets }).message;
          log.warn('image failed; posting the text alone', { reason });
          note = IMAGE_FAILED_NOTE;
        }
      }
      let status: mastodon.v1.Status;
      try {
        status = await api().v1.statuses.create(
          { status: post.text, visibility: 'public', ...(mediaId ? { mediaIds: [mediaId] } : {}) },
          { requestInit: { headers: { 'Idempotency-Key': idempotencyKeyFor(post.key) } } },
        );
      } catch (err) {
        throw fail(err, 'post', true);
      }
      if (typeof status?.id !== 'string' || status.id === '') {
        throw new XError({ kind: 'unknown', message: "The instance's answer had no status id in it; the status may have been posted.", inDoubt: true });
      }
      log.info('posted to Mastodon', { postId: status.id, withImage: mediaId !== null });
      return { postId: status.id, postUrl: statusUrl(status), note };
    },

    async me(): Promise<{ handle: string }> {
      return { handle: (await verify()).handle };
    },

    verify,

    async findPost(query: { key: string; text: string; since: number }): Promise<PostResult | null> {
      const accountId = account?.accountId ?? (await verify()).accountId;
      const recent = await statusesSince(accountId, query.since);
      // Oldest first: the status of an attempt in doubt is the one nearest `since`.
      const candidates = [...recent].reverse().slice(0, LOOK_SOURCES);
      for (const candidate of candidates) {
        let source: mastodon.v1.StatusSource;
        try {
          source = await api().v1.statuses.$select(candidate.id).source.fetch();
        } catch (err) {
          // Deleted between the list and now: not this task's status any more.
          if (mapMastodonError(err, { secrets }).httpStatus === 404) continue;
          throw fail(err, 'status source');
        }
        if (typeof source?.text === 'string' && isSameText(source.text, query.text)) {
          log.info('found a status in doubt on the account', { postId: candidate.id, read: candidates.length });
          return { postId: candidate.id, postUrl: statusUrl(candidate), note: null };
        }
      }
      log.info('looked for a status in doubt on the account', { listed: recent.length, compared: candidates.length, found: null });
      return null;
    },

    async deletePost(postId: string): Promise<{ alreadyGone: boolean }> {
      try {
        await api().v1.statuses.$select(postId).remove();
      } catch (err) {
        if (mapMastodonError(err, { secrets }).httpStatus === 404) return { alreadyGone: true };
        throw fail(err, 'delete');
      }
      log.info('deleted a status on Mastodon', { postId });
      return { alreadyGone: false };
    },

    instanceRules,

    async lengthRules(): Promise<LengthRules> {
      return mastodonLengthRules(await instanceRules());
    },
  };
}

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/** configuration.statuses of a v2 or v1 instance answer (masto camel-cases keys), or null when absent. */
function rulesIn(instance: unknown): InstanceRules | null {
  if (typeof instance !== 'object' || instance === null) return null;
  const configuration: unknown = Reflect.get(instance, 'configuration');
  const statuses: unknown = typeof configuration === 'object' && configuration !== null ? Reflect.get(configuration, 'statuses') : undefined;
  const fromStatuses = typeof statuses === 'object' && statuses !== null
    ? { max: positiveInt(Reflect.get(statuses, 'maxCharacters')), url: positiveInt(Reflect.get(statuses, 'charactersReservedPerUrl')) }
    : { max: null, url: null };
  // Pleroma/Akkoma and old glitch-soc answer v1 with max_toot_chars only.
  const max = fromStatuses.max ?? positiveInt(Reflect.get(instance, 'maxTootChars'));
  if (max === null) return null;
  return { maxCharacters: max, charactersReservedPerUrl: fromStatuses.url ?? DEFAULT_INSTANCE_RULES.charactersReservedPerUrl };
}
