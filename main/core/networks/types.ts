// The destination port: what the queue needs from any network Crier posts to (X, Bluesky,
// Mastodon). Each implementation lives in its own folder and is loaded lazily; failures are
// mapped to XFailure values (kind, message in the network's own words, resetAt, inDoubt), so the
// queue's states, ErrorKinds and pause reasons stay the same on every network.
import type { PostResult } from '../x/types';

export type NetworkId = 'x' | 'bluesky' | 'mastodon';

/** What one post carries to a network. */
export interface DestinationPost {
  text: string;
  /** The item's image, uploaded when the network takes one (a failed upload posts the text alone, with a note). */
  imageUrl: string | null;
  /**
   * The task's stable key, the same on every attempt: Mastodon's Idempotency-Key, Bluesky's
   * record key (a TID). Stored on the task before the first attempt.
   */
  key: string;
  /** The item's link card (Bluesky's external embed), when the post carries a link. */
  card?: { url: string; title: string; description: string; imageUrl: string | null } | null;
}

export interface Destination {
  readonly network: NetworkId;
  /** Rejects with XError only (x/types.ts), its failure in the network's words. */
  post(post: DestinationPost): Promise<PostResult>;
  /** The account's handle; rejects with XError only. */
  me(): Promise<{ handle: string }>;
  /**
   * For a task in doubt: the post an earlier attempt with this key made, or null when there is
   * none. Bluesky reads the record by its key; Mastodon looks among the account's recent statuses
   * since `since` (epoch ms) comparing `text` with each status's source. Rejects with XError only.
   */
  findPost(query: { key: string; text: string; since: number }): Promise<PostResult | null>;
  /** Deletes a post; `alreadyGone` when the network no longer has it. Rejects with XError only. */
  deletePost?(postId: string): Promise<{ alreadyGone: boolean }>;
}

/** How a network counts a post's length and where its limit is. */
export interface LengthRules {
  /** The post's length as the network counts it. */
  count(text: string): number;
  /** Whether the text fits (Bluesky also has a byte limit). */
  fits(text: string): boolean;
  /** The limit, in the network's own unit, for the counter shown to people. */
  limit: number;
}
