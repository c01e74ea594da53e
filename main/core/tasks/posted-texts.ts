// The texts Crier posted in the last 24 hours, by hash, so it never sends the same text twice
// (X would refuse it as a duplicate anyway, and a second item with the same text — a recurring
// "Weekly digest" — is not a post the user asked for twice). Kept apart from the tasks, like the
// post ledger, so clearing history does not empty it. Dry runs never enter it. Pure: the queue
// keeps the record and has the store write it.
//
// When a text enters it (decided for issue 12):
// - 'posted': a live post is confirmed — X gave its id, it was found on the account's timeline,
//   or X's duplicate answer confirmed a task in doubt.
// - 'maybe': an attempt may have posted (its answer was lost, or Crier stopped mid-post). The
//   entry names its task: that task's own next attempts are not refused (they are how the doubt
//   is settled), but any other task with the same text is, since the first may be on X.
// An entry is replaced by a newer one for the same text and dropped 24 hours after `at`.
import { createHash } from 'node:crypto';
import type { Task } from '../../../preload/contract';

export interface PostedText {
  /** The first 32 hex digits of the text's SHA-256: the text itself is not kept twice. */
  hash: string;
  /** ISO: when it was posted (or may have been: the start of the attempt in doubt). */
  at: string;
  /** Only on a 'maybe' entry: the task in doubt, which may still send this text. */
  inDoubtTaskId?: string;
  /** Whose entry it is, in the record on disk (account-memory.ts); absent: the default account's. */
  accountId?: string;
}

export type PostedTexts = PostedText[];

export const POSTED_TEXT_WINDOW_MS = 24 * 60 * 60 * 1000;

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

function within(entry: PostedText, now: number): boolean {
  const at = Date.parse(entry.at);
  return !Number.isNaN(at) && at > now - POSTED_TEXT_WINDOW_MS;
}

/** The record with `text` entered at `at` (replacing an older entry for it), past entries dropped. */
export function withPostedText(texts: PostedTexts, text: string, at: number, inDoubtTaskId: string | null): PostedTexts {
  const hash = textHash(text);
  const entry: PostedText = { hash, at: new Date(at).toISOString(), ...(inDoubtTaskId === null ? {} : { inDoubtTaskId }) };
  return [...texts.filter((e) => e.hash !== hash && within(e, at)), entry];
}

/** The entry that forbids `task` to send its text now, or null: same text, within 24 h, not its own doubt. */
export function refusingEntry(texts: PostedTexts, task: Pick<Task, 'id' | 'text'>, now: number): PostedText | null {
  const hash = textHash(task.text);
  return texts.find((e) => e.hash === hash && within(e, now) && e.inDoubtTaskId !== task.id) ?? null;
}

/**
 * What the refused task says: whether the earlier post is certain. No time in the words: the
 * engine stores instants and the page formats them in the user's zone.
 */
export function refusalMessage(entry: PostedText): string {
  return entry.inDoubtTaskId === undefined
    ? 'Crier posted this exact text less than 24 hours ago, so it was not sent again. Edit the text to post it anyway.'
    : 'A post with this exact text may already be on X: another task sent it in the last 24 hours and its answer was lost. It was not sent again; edit the text to post it anyway.';
}

/**
 * A data dir from before the record: the live posts its completed tasks show in the last 24
 * hours, and the tasks in doubt. The best that can be known; written once.
 */
export function postedTextsFromTasks(tasks: Iterable<Task>, now: number): PostedTexts {
  let texts: PostedTexts = [];
  const known = [...tasks]
    .filter((t) => (t.status === 'completed' && !t.dryRun) || t.inDoubtSince != null)
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  for (const t of known) {
    const at = Date.parse(t.status === 'completed' ? t.updatedAt : (t.inDoubtSince ?? t.updatedAt));
    if (Number.isNaN(at) || at <= now - POSTED_TEXT_WINDOW_MS) continue;
    texts = withPostedText(texts, t.text, at, t.status === 'completed' ? null : t.id);
  }
  return texts;
}
