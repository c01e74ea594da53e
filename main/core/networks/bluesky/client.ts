// The Bluesky destination: posts through @atproto/api to the account's PDS with an app
// password (session.ts), under a record key Crier chooses (tid.ts), so that a post is made
// exactly once: before any retry the queue asks findPost, which reads the record by that key.
// Creating a key that exists answers a generic 500 today (atproto#3718), so a 5xx on create
// is followed by the same read, and a record found there is this task's post.
//
// Links become facets by UTF-8 byte offsets (rich-text.ts); the item's card becomes an
// external embed whose image is uploaded as a blob when it is under Bluesky's 1,000,000-byte
// limit (fetched through the X client's guarded download: public addresses only, bounded).
import { Agent } from '@atproto/api';
import { systemClock, type Clock, type Logger } from '../../ports';
import { sleepAwareDeadline } from '../../x/deadline';
import { downloadImage, ImageDownloadError, type ImageNetwork } from '../../x/image-download';
import { XError, type PostResult, type XFailure } from '../../x/types';
import type { Destination, DestinationPost } from '../types';
import { errorName, httpStatusOf, mapBlueskyError } from './failure';
import { overLimit, prepareText } from './rich-text';
import { BlueskySession, type BlueskySessionData } from './session';
import { tidFromKey } from './tid';

export const DEFAULT_BLUESKY_SERVICE = 'https://bsky.social';
export const DEFAULT_BLUESKY_TIMEOUT_MS = 30_000;
/** Bluesky's limit for an embed's image blob. */
export const BLUESKY_MAX_IMAGE_BYTES = 1_000_000;
export const POST_COLLECTION = 'app.bsky.feed.post';
export const BLUESKY_IMAGE_NOTE = 'image left out: posted without it';

/** Failures that would sink the post too: better to wait with the image than post without it. */
const QUEUE_LEVEL_KINDS = new Set<XFailure['kind']>(['rate-limited', 'auth', 'offline']);

export interface BlueskyDestinationOptions {
  /** Handle (alice.bsky.social) or the account's email. */
  identifier: string;
  /** An app password (Settings → Privacy and security → App passwords); never the account password. */
  appPassword: string;
  /** The PDS or entryway (default https://bsky.social; the entryway forwards to the account's PDS). */
  service?: string;
  /** A session kept from an earlier run (see onSession). */
  session?: BlueskySessionData | null;
  /** Called with each new session (login, refresh): store it with the account's secrets. */
  onSession?: (session: BlueskySessionData) => void;
  log: Logger;
  /** The engine's clock: record times and delta rate-limit resets (default the system clock). */
  clock?: Clock;
  /** Default: global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Bounds each request and the image download (default 30 s). */
  timeoutMs?: number;
  /** Lets item images come from 127.0.0.0/8 and ::1 (never private ranges): tests only, never a setting. */
  allowLoopbackImages?: boolean;
  imageNetwork?: ImageNetwork;
  /** Default 1,000,000 (Bluesky's blob limit for embed images). */
  maxImageBytes?: number;
}

export interface BlueskyDestination extends Destination {
  readonly network: 'bluesky';
  deletePost(postId: string): Promise<{ alreadyGone: boolean }>;
}

/**
 * Why a service URL cannot carry an app password, or null when it can: https only, except on
 * a loopback address (tests, a PDS on this machine) — plain http would send the password readable.
 */
export function serviceUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `The Bluesky service URL is not a URL: ${raw.slice(0, 200)}`;
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return null;
  return `The Bluesky service URL must start with https:// (${url.protocol}// would send the app password readable).`;
}

/** https://bsky.app/profile/<handle>/post/<rkey>; the DID stands in for a handle that does not resolve. */
export function blueskyPostUrl(handleOrDid: string, rkey: string): string {
  // Handles and DIDs are URL-safe by their syntax ("did:plc:…" keeps its colons, as bsky.app writes it).
  const safe = (part: string): string => part.replace(/[^A-Za-z0-9._:%~-]/g, (ch) => encodeURIComponent(ch));
  return `https://bsky.app/profile/${safe(handleOrDid)}/post/${safe(rkey)}`;
}

/** The record's AT URI: the post id Crier keeps, since it names the repo as well as the key. */
export function postUri(did: string, rkey: string): string {
  return `at://${did}/${POST_COLLECTION}/${rkey}`;
}

/** The repo and key an AT URI (or a bare key) names; null when it is not a post's. */
export function parsePostId(postId: string): { repo: string | null; rkey: string } | null {
  const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(postId);
  if (match) return match[2] === POST_COLLECTION ? { repo: match[1] ?? null, rkey: match[3] ?? '' } : null;
  return /^[A-Za-z0-9._:~-]{1,512}$/.test(postId) ? { repo: null, rkey: postId } : null;
}

type BlobRef = Awaited<ReturnType<Agent['uploadBlob']>>['data']['blob'];

export function createBlueskyDestination(options: BlueskyDestinationOptions): BlueskyDestination {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_BLUESKY_TIMEOUT_MS;
  const serviceProblem = serviceUrlProblem(options.service ?? DEFAULT_BLUESKY_SERVICE);
  const service = new URL(serviceProblem === null ? (options.service ?? DEFAULT_BLUESKY_SERVICE) : DEFAULT_BLUESKY_SERVICE);
  const session = new BlueskySession({
    service,
    identifier: options.identifier,
    appPassword: options.appPassword,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    stored: options.session ?? null,
    ...(options.onSession ? { onSession: options.onSession } : {}),
    timeoutMs,
    log,
    now: () => clock.now(),
  });
  const agent = new Agent(session);
  const call = () => ({ signal: sleepAwareDeadline(timeoutMs) });

  const fail = (err: unknown, during: string, mayHavePosted = false): XError => {
    const failure = mapBlueskyError(err, { secrets: session.secrets(), now: clock.now(), mayHavePosted });
    log.debug('bluesky request failed', { during, kind: failure.kind, httpStatus: failure.httpStatus, inDoubt: failure.inDoubt });
    return new XError(failure);
  };

  async function signedIn(): Promise<BlueskySessionData> {
    if (serviceProblem !== null) throw new XError({ kind: 'auth', message: serviceProblem, inDoubt: false });
    try {
      return await session.ensure();
    } catch (err) {
      throw fail(err, 'login');
    }
  }

  function resultFor(account: BlueskySessionData, rkey: string, note: string | null): PostResult {
    const who = account.handle === 'handle.invalid' ? account.did : account.handle;
    return { postId: postUri(account.did, rkey), postUrl: blueskyPostUrl(who, rkey), note };
  }

  /** Whether the account's repo holds a post under this key (RecordNotFound: no). */
  async function recordAt(account: BlueskySessionData, rkey: string): Promise<boolean> {
    try {
      await agent.com.atproto.repo.getRecord({ repo: account.did, collection: POST_COLLECTION, rkey }, call());
      return true;
    } catch (err) {
      if (errorName(err) === 'RecordNotFound') return false;
      throw fail(err, 'getRecord');
    }
  }

  async function uploadImage(imageUrl: string): Promise<BlobRef> {
    const image = await downloadImage(imageUrl, {
      ...options.imageNetwork,
      allowLoopback: options.allowLoopbackImages === true,
      timeoutMs,
      maxBytes: options.maxImageBytes ?? BLUESKY_MAX_IMAGE_BYTES,
    });
    const answer = await agent.com.atproto.repo.uploadBlob(image.bytes, { encoding: image.mediaType, ...call() });
    return answer.data.blob;
  }

  /** The image's blob, or null with the reason logged (the post goes out without it). */
  async function imageBlob(imageUrl: string): Promise<BlobRef | null> {
    try {
      return await uploadImage(imageUrl);
    } catch (err) {
      if (!(err instanceof ImageDownloadError)) {
        const failure = mapBlueskyError(err, { secrets: session.secrets(), now: clock.now(), mayHavePosted: false });
        if (QUEUE_LEVEL_KINDS.has(failure.kind)) throw new XError(failure);
        log.warn('image upload failed; posting without it', { reason: failure.message });
      } else {
        log.warn('image download failed; posting without it', { reason: err.message });
      }
      return null;
    }
  }

  async function embedFor(post: DestinationPost): Promise<{ embed: Record<string, unknown> | null; note: string | null }> {
    const card = post.card ?? null;
    // The card's own image, else the item's: the same picture in most feeds.
    const imageUrl = (card ? card.imageUrl : null) ?? post.imageUrl;
    const blob = imageUrl ? await imageBlob(imageUrl) : null;
    const note = imageUrl && blob === null ? BLUESKY_IMAGE_NOTE : null;
    if (card) {
      const external: Record<string, unknown> = { uri: card.url, title: card.title, description: card.description };
      if (blob) external.thumb = blob;
      return { embed: { $type: 'app.bsky.embed.external', external }, note };
    }
    if (blob) return { embed: { $type: 'app.bsky.embed.images', images: [{ image: blob, alt: '' }] }, note };
    return { embed: null, note };
  }

  return {
    network: 'bluesky',

    async post(post: DestinationPost): Promise<PostResult> {
      const rkey = tidFromKey(post.key);
      const prepared = prepareText(post.text);
      const refused = overLimit(prepared);
      if (refused !== null) throw new XError({ kind: 'invalid-post', message: refused, inDoubt: false });
      const account = await signedIn();
      const { embed, note } = await embedFor(post);
      const record: Record<string, unknown> = {
        $type: POST_COLLECTION,
        text: prepared.text,
        createdAt: new Date(clock.now()).toISOString(),
      };
      if (prepared.facets.length > 0) record.facets = prepared.facets;
      if (embed) record.embed = embed;
      try {
        await agent.com.atproto.repo.createRecord({ repo: account.did, collection: POST_COLLECTION, rkey, record }, call());
      } catch (err) {
        const failure = fail(err, 'createRecord', true);
        if (!mayBeExistingKey(err)) throw failure;
        // A generic 5xx is also what an existing key answers: look before calling it a failure.
        let found: boolean;
        try {
          found = await recordAt(account, rkey);
        } catch {
          throw new XError({ ...failure.failure, inDoubt: true });
        }
        if (!found) throw new XError({ ...failure.failure, inDoubt: false });
        log.info('the post was on Bluesky already under its key', { rkey });
        return resultFor(account, rkey, note);
      }
      log.info('posted to Bluesky', { rkey, facets: prepared.facets.length, shortened: prepared.shortened, embed: embed?.$type ?? null });
      return resultFor(account, rkey, note);
    },

    async me(): Promise<{ handle: string }> {
      await signedIn();
      try {
        const answer = await agent.com.atproto.server.getSession(undefined, call());
        return { handle: answer.data.handle };
      } catch (err) {
        throw fail(err, 'getSession');
      }
    },

    async findPost(query: { key: string; text: string; since: number }): Promise<PostResult | null> {
      const rkey = tidFromKey(query.key);
      const account = await signedIn();
      const found = await recordAt(account, rkey);
      log.info('looked for a post by its key', { rkey, found });
      return found ? resultFor(account, rkey, null) : null;
    },

    async deletePost(postId: string): Promise<{ alreadyGone: boolean }> {
      const target = parsePostId(postId);
      if (target === null) throw new XError({ kind: 'invalid-post', message: `Not a Bluesky post: ${postId.slice(0, 200)}`, inDoubt: false });
      const account = await signedIn();
      if (target.repo !== null && target.repo !== account.did) {
        throw new XError({ kind: 'forbidden', message: 'That post belongs to another Bluesky account.', inDoubt: false });
      }
      // Deleting a key that is not there succeeds silently on a PDS: read first to say so.
      if (!(await recordAt(account, target.rkey))) return { alreadyGone: true };
      try {
        await agent.com.atproto.repo.deleteRecord({ repo: account.did, collection: POST_COLLECTION, rkey: target.rkey }, call());
      } catch (err) {
        throw fail(err, 'deleteRecord');
      }
      log.info('deleted a post on Bluesky', { rkey: target.rkey });
      return { alreadyGone: false };
    },
  };
}

/** A create refused in a way an existing key can look like: any 5xx (atproto#3718) or an explicit "exists". */
function mayBeExistingKey(err: unknown): boolean {
  const status = httpStatusOf(err);
  if (status !== undefined && status >= 500) return true;
  // A named error is on its way (atproto#4728); its name is not settled, so match the words.
  const said = `${errorName(err) ?? ''} ${err instanceof Error ? err.message : ''}`;
  return status !== undefined && /exists|duplicate/i.test(said);
}
