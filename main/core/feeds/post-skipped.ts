// "Post anyway" for an entry of the skipped log: the task a poll would have made of the item had it
// passed, composed with the feed's template as it is now.
import { randomUUID } from 'node:crypto';
import type { SkippedItem, Task } from '../../../preload/contract';
import { composePost } from '../compose/compose';
import { CommandError } from '../errors';
import type { EngineStore } from '../store/types';
import { itemOfSkip } from './skip-log';
import type { ItemSource } from './poller';

/**
 * The pending task for log entry `skipId`, or a CommandError in words: not in the log, its feed
 * gone, the item already has a task (of any status), or the template leaves it empty.
 */
export function taskOfSkip(store: Pick<EngineStore, 'getSkipped' | 'getFeeds' | 'getFeedRuntime' | 'tasks'>, skipId: string, nowIso: string): { entry: SkippedItem; task: Task; source: ItemSource } {
  const entry = store.getSkipped().find((e) => e.id === skipId);
  if (!entry) throw new CommandError('not-found', 'This item is not in the skipped log (posted already, or dropped as the log grew).');
  const feed = store.getFeeds().find((f) => f.id === entry.feedId);
  if (!feed) throw new CommandError('conflict', 'The feed this item came from is no longer followed, so Crier cannot post it.');
  if (store.tasks.all().some((t) => t.feedId === entry.feedId && t.itemId === entry.item.id)) {
    throw new CommandError('conflict', 'This item already has a task; see it in the tasks window.');
  }
  const item = itemOfSkip(entry);
  const feedTitle = feed.name ?? store.getFeedRuntime(feed.id)?.title ?? null;
  const post = composePost(item, { template: feed.template, maxHashtags: feed.maxHashtags, feedTitle, utm: feed.utm ?? null });
  if (post.text === '') throw new CommandError('conflict', "The feed's template leaves nothing to post for this item; change the template first.");
  const task: Task = {
    id: randomUUID(), feedId: feed.id, itemId: item.id, itemTitle: item.title || item.link || item.id, itemLink: item.link,
    text: post.text, imageUrl: feed.postImages ? item.image : null, status: 'pending', attempts: 0, nextAttemptAt: null,
    error: null, postId: null, postUrl: null, dryRun: false, note: null, createdAt: nowIso, updatedAt: nowIso,
  };
  return { entry, task, source: { item, feedTitle } };
}
