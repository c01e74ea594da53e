// The X client port: what the task queue needs from X, with errors already mapped to values
// that carry no secrets (twitter-api-v2's errors hold the signed Authorization header).
import type { ErrorKind } from '../../../preload/contract';

export interface PostRequest {
  text: string;
  /** Posted as media when set; a failed upload posts the text alone (see PostResult.note). */
  imageUrl: string | null;
}

export interface PostResult {
  postId: string;
  postUrl: string;
  /** e.g. "image failed: posted text only". */
  note: string | null;
}

/** A mapped X failure. `duplicate` is X's "duplicate content" 403: the post is already on X. */
export interface XFailure {
  kind: ErrorKind | 'duplicate' | 'offline';
  message: string;
  httpStatus?: number;
  /** Epoch ms when X says the limit resets (429, 24-hour user limit). */
  resetAt?: number;
  /** True when the request may have reached X (timeout or connection lost after sending). */
  inDoubt?: boolean;
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
}

export interface XCredentials { appKey: string; appSecret: string; accessToken: string; accessSecret: string }
