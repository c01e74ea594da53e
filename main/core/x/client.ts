// The X client port over twitter-api-v2, OAuth 1.0a user context.
//
// Base-URL override: twitter-api-v2 has no base-URL setting, and OAuth 1.0a signs the full
// URL, so the rewrite happens in a plugin's onBeforeRequestConfig hook. That hook runs in
// ClientRequestMaker.send() before getHttpRequestArgs() builds and signs the request, and it
// receives the very params object send() goes on to use — so changing `params.url` there moves
// every request (tweets, media upload, users/me) and the signature covers the new URL.
import type { Agent } from 'node:https';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { Logger } from '../ports';
import { sleepAwareDeadline } from './deadline';
import { downloadImage, ImageDownloadError, type ImageNetwork } from './image-download';
import { isSamePost, type TimelinePost } from './timeline-match';
import { DEFAULT_X_API_BASE, XError, type PostRequest, type PostResult, type TimelineQuery, type XClient, type XCredentials, type XFailure } from './types';
import { answerWithoutPost, errorsIn, mapXError } from './x-failure';
import { isPostTweets, readQuota, type QuotaBoard } from './quota';

export { mapXError, DUPLICATE_CONTENT_TEXT } from './x-failure';

export { DEFAULT_X_API_BASE } from './types';
export const DEFAULT_X_TIMEOUT_MS = 30_000;
export const IMAGE_FAILED_NOTE = 'image failed: posted text only';

/** The hosts twitter-api-v2 addresses; each is moved to the configured base. */
const X_HOSTS = new Set(['api.x.com', 'upload.x.com', 'api.twitter.com', 'upload.twitter.com']);

/** Failures that would sink the post too: better to wait with the image than post without it. */
const QUEUE_LEVEL_KINDS = new Set<XFailure['kind']>(['rate-limited', 'auth', 'credits-depleted', 'offline']);

export interface XClientOptions {
  /** OAuth 1.0a user keys; or, instead, */
  credentials?: XCredentials;
  /** an OAuth 2.0 user access token (a session's: sessionXClient makes one client per token). */
  bearerToken?: string;
  /** Default https://api.x.com (see apiBaseFromEnv for CRIER_X_API_BASE). */
  apiBase?: string;
  log: Logger;
  /** Tests pass an agent trusting the fake's CA; child processes use NODE_EXTRA_CA_CERTS. */
  httpsAgent?: Agent;
  /** Bounds each request to X and the image download (default 30 s). */
  timeoutMs?: number;
  /** Lets item images come from 127.0.0.0/8 and ::1 (never private ranges): tests only, never a setting. */
  allowLoopbackImages?: boolean;
  /** The image download's resolver and connector (default: DNS and a direct socket). */
  imageNetwork?: ImageNetwork;
  maxImageBytes?: number;
  /** Where the budget X states in its answers to POST /2/tweets goes (the account's board, kept across tokens). */
  quota?: QuotaBoard;
  /** When an answer came, for the quota's updatedAt (default Date.now). */
  now?: () => number;
}

/** Rewrites an X API URL onto `base`, keeping path and query. */
export function rebaseXUrl(url: string, base: string): string {
  const parsed = new URL(url.startsWith('http') ? url : `https://${url}`);
  if (!X_HOSTS.has(parsed.hostname)) return url;
  return `${base}${parsed.pathname}${parsed.search}`;
}

export function postUrlFor(handle: string | null, postId: string): string {
  return `https://x.com/${handle ?? 'i'}/status/${encodeURIComponent(postId)}`;
}

/** How many posts the timeline look reads: X's minimum page, and each post returned is billed. */
export const TIMELINE_LOOK_POSTS = 5;

/** X takes whole seconds in RFC 3339 ("2026-01-15T12:00:00Z"); rounded down, so the start is never later. */
function xTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function postIdOf(body: unknown): string | null {
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).data : undefined;
  const id = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : null;
}

function deletedIn(body: unknown): boolean {
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).data : undefined;
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>).deleted === true;
}

function timelinePosts(body: unknown): TimelinePost[] | null {
  if (typeof body !== 'object' || body === null) return null;
  const data = (body as Record<string, unknown>).data;
  if (data === undefined) return [];
  if (!Array.isArray(data)) return null;
  return data.filter((p): p is TimelinePost => typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.text === 'string');
}

export function createXClient(options: XClientOptions): XClient {
  const { log } = options;
  const base = (options.apiBase ?? DEFAULT_X_API_BASE).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_X_TIMEOUT_MS;
  const { credentials, bearerToken } = options;
  if (!credentials === (bearerToken === undefined)) throw new Error('createXClient takes OAuth 1.0a credentials or a bearer token, one of them.');
  // A bearer token is a secret like the keys: scrubbed from every message an error becomes.
  const secrets = credentials ? [credentials.appKey, credentials.appSecret, credentials.accessToken, credentials.accessSecret] : [bearerToken ?? ''];
  let handle: string | null = null;
  /** From /2/users/me, asked once per client: the timeline look needs it. */
  let userId: string | null = null;

  const routing: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.url = rebaseXUrl(params.url, base);
    },
    onBeforeRequest({ requestOptions }) {
      // One overall deadline (a silent server and a trickling one alike), and none of Node's
      // socket idle timeouts: those fire before a socket is read after a sleep (deadline.ts).
      requestOptions.signal = sleepAwareDeadline(timeoutMs);
    },
  };
  const settings = { plugins: options.quota ? [routing, quotaPlugin(options.quota, options.now ?? Date.now)] : [routing], ...(options.httpsAgent ? { httpAgent: options.httpsAgent } : {}) };
  const api = (credentials
    ? new TwitterApi({
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      accessToken: credentials.accessToken,
      accessSecret: credentials.accessSecret,
    }, settings)
    // OAuth 2.0 user context: not signed, so the routing rewrite is all it needs.
    : new TwitterApi(bearerToken ?? '', settings)).v2;

  const fail = (err: unknown, during: string): XError => {
    const failure = mapXError(err, secrets);
    log.debug('x request failed', { during, kind: failure.kind, httpStatus: failure.httpStatus, inDoubt: failure.inDoubt });
    return new XError(failure);
  };

  async function uploadImage(imageUrl: string): Promise<string> {
    const image = await downloadImage(imageUrl, {
      ...options.imageNetwork,
      allowLoopback: options.allowLoopbackImages === true,
      timeoutMs,
      ...(options.maxImageBytes === undefined ? {} : { maxBytes: options.maxImageBytes }),
    });
    return api.uploadMedia(image.bytes, { media_type: image.mediaType });
  }

  return {
    async post(request: PostRequest): Promise<PostResult> {
      let mediaId: string | null = null;
      let note: string | null = null;
      if (request.imageUrl) {
        try {
          mediaId = await uploadImage(request.imageUrl);
        } catch (err) {
          if (!(err instanceof ImageDownloadError) && QUEUE_LEVEL_KINDS.has(mapXError(err).kind)) throw fail(err, 'media upload');
          const reason = err instanceof ImageDownloadError ? err.message : mapXError(err, secrets).message;
          log.warn('image failed; posting the text alone', { reason });
          note = IMAGE_FAILED_NOTE;
        }
      }
      try {
        const body = mediaId ? { text: request.text, media: { media_ids: [mediaId] as [string] } } : { text: request.text };
        const answer: unknown = await api.tweet(body);
        const postId = postIdOf(answer);
        // A 2xx without a post id: X's own errors (not posted), or an answer that says nothing.
        if (postId === null) throw new XError(answerWithoutPost(answer));
        log.info('posted to X', { postId, withImage: mediaId !== null });
        return { postId, postUrl: postUrlFor(handle, postId), note };
      } catch (err) {
        throw fail(err, 'post');
      }
    },

    async me(): Promise<{ handle: string }> {
      return { handle: (await whoAmI()).handle };
    },

    async deletePost(postId: string): Promise<{ alreadyGone: boolean }> {
      let answer: unknown;
      try {
        answer = await api.delete('tweets/:id', undefined, { params: { id: postId } });
      } catch (err) {
        // X's 404: the post is not there any more (deleted on X, or by an earlier attempt of this one).
        if (mapXError(err, secrets).httpStatus === 404) return { alreadyGone: true };
        throw fail(err, 'delete');
      }
      if (deletedIn(answer)) {
        log.info('deleted a post on X', { postId });
        return { alreadyGone: false };
      }
      const said = errorsIn(answer);
      throw new XError({ kind: 'unknown', message: `X did not delete the post${said ? `: ${said}` : '.'}` });
    },

    async findPost(query: TimelineQuery): Promise<PostResult | null> {
      const id = userId ?? (await whoAmI()).id;
      if (id === null) throw new XError({ kind: 'unknown', message: "X's answer to users/me had no user id." });
      let answer: unknown;
      try {
        answer = await api.get('users/:id/tweets', {
          start_time: xTime(query.since),
          exclude: 'replies,retweets',
          max_results: TIMELINE_LOOK_POSTS,
          'tweet.fields': 'entities,created_at',
        }, { params: { id } });
      } catch (err) {
        throw fail(err, 'users/:id/tweets');
      }
      const posts = timelinePosts(answer);
      const said = errorsIn(answer);
      if (posts === null || (posts.length === 0 && said !== null)) {
        throw new XError({ kind: 'unknown', message: `X did not list the account's posts${said ? `: ${said}` : '.'}` });
      }
      const found = posts.find((p) => isSamePost(query.text, p));
      log.info('looked for a post on the timeline', { read: posts.length, found: found?.id ?? null });
      return found ? { postId: found.id, postUrl: postUrlFor(handle, found.id), note: null } : null;
    },
  };

  /** One GET /2/users/me; remembers the handle (for post links) and the user id (for the timeline). */
  async function whoAmI(): Promise<{ handle: string; id: string | null }> {
    try {
      const result = await api.me();
      handle = result.data.username;
      if (typeof result.data.id === 'string' && result.data.id !== '') userId = result.data.id;
      return { handle, id: userId };
    } catch (err) {
      throw fail(err, 'users/me');
    }
  }
}

/**
 * Reads X's budget from every answer to POST /2/tweets, a refusal's too (onResponseError sees the
 * ApiResponseError, its headers included). Only the headers leave here: never the request.
 */
export function quotaPlugin(board: QuotaBoard, now: () => number): ITwitterApiClientPlugin {
  const take = (method: string | undefined, url: URL, headers: Record<string, string | string[] | undefined> | undefined): void => {
    if (!isPostTweets(method, url)) return;
    try {
      const at = now();
      board.record(readQuota(headers, at), at);
    } catch {
      // A hook that throws fails the request: a post X made would look failed and be sent again.
    }
  };
  return {
    onAfterRequest({ params, url, response }) {
      take(params.method, url, response.headers);
    },
    onResponseError({ params, url, error }) {
      take(params.method, url, error.headers);
    },
  };
}
