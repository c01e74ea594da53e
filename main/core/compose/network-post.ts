// One item's post for each network (issue 18): the feed's template for that network (its own, or
// the feed's), cut to the network's length rules — X's weighted 280, Bluesky's 300 graphemes and
// 3,000 bytes (a long link's displayed text shortened, as it will be posted), a Mastodon
// instance's limit with links at its reserved length. Pure.
import type { Feed } from '../../../preload/contract';
import type { FeedItem } from '../feeds/types';
import { blueskyLength } from '../networks/bluesky/length';
import { mastodonLengthRules, type InstanceRules } from '../networks/mastodon/length';
import type { LengthRules, NetworkId } from '../networks/types';
import { composePost, X_LENGTH, type ComposedPost } from './compose';

/** A network's length rules; a Mastodon instance's own limits when known, else Mastodon's defaults (500, links 23). */
export function lengthRulesFor(network: NetworkId, instance?: InstanceRules | null): LengthRules {
  if (network === 'bluesky') return blueskyLength;
  if (network === 'mastodon') return mastodonLengthRules(instance ?? undefined);
  return X_LENGTH;
}

/** The template a network posts with: its own when the feed has one, else the feed's. */
export function templateFor(feed: Pick<Feed, 'template' | 'templates'>, network: NetworkId): string {
  if (network === 'x') return feed.template;
  return feed.templates?.[network] ?? feed.template;
}

export function composeForNetwork(
  item: FeedItem,
  feed: Pick<Feed, 'template' | 'templates' | 'maxHashtags' | 'utm'>,
  feedTitle: string | null,
  length: LengthRules,
  network: NetworkId,
): ComposedPost {
  return composePost(item, { template: templateFor(feed, network), maxHashtags: feed.maxHashtags, feedTitle, utm: feed.utm ?? null, length });
}
