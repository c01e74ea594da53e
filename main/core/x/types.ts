// The X client port: what the task queue needs from X, with errors already mapped to values
// that carry no secrets (twitter-api-v2's errors hold the signed Authorization header).
import type { ErrorKind } from '../../../preload/contract';

/** Here rather than in client.ts, so reading the setting does not load the client (account.ts). */
export const DEFAULT_X_API_BASE = 'https://api.x.com';

export interface PostRequest {
  text: string;
  /** Posted as media when set; a failed upload posts the text alone (see PostResult.note). */
  imageUrl: string | null;
  /**
   * The task being posted: other networks derive the post's stable key from it (Bluesky's record
   * key, Mastodon's Idempotency-Key) and Bluesky's link card from its item. X needs none of it.
   */
  task?: PostTaskRef;
}

/** What a network needs of the task it posts. */
export interface PostTaskRef { id: string; createdAt: string; itemTitle: string; itemLink: string | null }

export interface PostResult {
  postId: string;
  postUrl: string;
  /** e.g. "image failed: posted text only". */
  note: string | null;
}

/**
 * A mapped X failure. `duplicate` is X's "duplicate content" 403: a post with this text is on X
 * already — this task's own only when the task is in doubt (transitions.ts decides).
 */
export interface XFailure {
  kind: ErrorKind | 'offline';
  message: string;
  httpStatus?: number;
  /**
   * Epoch ms when X says the limit resets: the later of x-rate-limit-reset, an exhausted 24-hour
   * user or app limit, and a retry-after date. Absent when none was given or none is a real date.
   */
  resetAt?: number;
  /** A retry-after given in seconds, in ms: the queue adds it to its own clock. */
  retryAfterMs?: number;
  /** True when the request may have reached X (timeout, connection lost, answer unreadable). */
  inDoubt?: boolean;
  /**
   * True when the limit is the developer app's, not the account's: a 402 (X bills the app) or a
   * 429 with the app's 24-hour limit spent. Every account of that app waits, not only this one.
   */
  appWide?: boolean;
}

export class XError extends Error {
  constructor(readonly failure: XFailure) {
    super(failure.message);
    this.name = 'XError';
  }
}

export interface XClient {
  /** Rejects with XError only. */
  post(request: PostRequest): Promise<PostResult>;
  /** One GET /2/users/me; rejects with XError only. */
  me(): Promise<{ handle: string }>;
  /**
   * Looks for a post with exactly this text among the account's newest posts (at most 5, replies
   * and reposts left out) created since `since`: null when none is there. A billed read.
   * Optional: a client without it makes the queue skip the look. Rejects with XError only.
   */
  findPost?(query: TimelineQuery): Promise<PostResult | null>;
  /**
   * DELETE /2/tweets/:id. Resolves `{ alreadyGone: true }` when X says the post is not there (deleted
   * on X meanwhile). Optional: a client without it cannot delete. Rejects with XError only.
   */
  deletePost?(postId: string): Promise<{ alreadyGone: boolean }>;
}

export interface TimelineQuery {
  /** The task in doubt (other networks look its post up by the key derived from it). */
  task?: PostTaskRef;
  text: string;
  /** Epoch ms. */
  since: number;
}

export interface XCredentials { appKey: string; appSecret: string; accessToken: string; accessSecret: string }
