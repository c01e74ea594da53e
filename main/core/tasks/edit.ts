// Editing a task's text: the one way a task's text changes after it was composed, always by the
// user and always recorded on the task. The same rules as composing hold, so an edit can never
// make a post X would refuse for its length, nor drop or break the item's own link.
import { canEditText, type Task } from '../../../preload/contract';
import { MAX_POST_WEIGHT, linksIn, stripInvalidCharacters, weightedLength } from '../compose/weighted-length';
import { CommandError } from '../errors';
import { changedAt } from './changed-at';

/** Why a task in doubt may not be edited yet: its earlier attempt may be on X. */
export const IN_DOUBT_EDIT_REFUSAL =
  'Crier lost X\'s answer to an earlier attempt, so this post may already be on X, and it could not look on your timeline (no account connected, the timeline check is off in Settings, or X did not answer). It can be retried as it is, but not edited until Crier knows.';

/**
 * `inDoubtCleared`: the timeline was searched just now and the earlier attempt is not there, so
 * the task is no longer in doubt and its text may change.
 */
export function editCommand(task: Task, text: string, expectedUpdatedAt: string, now: number, inDoubtCleared = false): Task {
  if (task.updatedAt !== expectedUpdatedAt) {
    throw new CommandError('conflict', 'This task changed while you were editing it (it may have been tried or retried). Look at it again, then edit.');
  }
  if (!canEditText(task)) {
    throw new CommandError('conflict', task.status === 'running'
      ? 'This task is being posted right now; its text can no longer change.'
      : `Only the text of a task in review, pending or failed can be edited; this one is ${task.status}.`);
  }
  if (task.inDoubtSince != null && !inDoubtCleared) throw new CommandError('conflict', IN_DOUBT_EDIT_REFUSAL);
  if (stripInvalidCharacters(text) !== text) throw new CommandError('validation', 'The text has characters X refuses (a byte order mark, U+FFFE or U+FFFF).', 'text');
  if (text.trim() === '') throw new CommandError('validation', 'The post cannot be empty.', 'text');
  const weight = weightedLength(text);
  if (weight > MAX_POST_WEIGHT) {
    throw new CommandError('validation', `The post is ${weight} characters by X's count (links count 23, emoji 2); the limit is ${MAX_POST_WEIGHT}.`, 'text');
  }
  const composed = task.edit?.composedText ?? task.text;
  const kept = new Set(linksIn(text));
  const lost = linksIn(composed).find((url) => !kept.has(url));
  if (lost !== undefined) throw new CommandError('validation', `Keep the link ${lost} whole: it is the item's own link.`, 'text');
  const at = changedAt(task.updatedAt, now);
  const edited: Task = { ...task, text, edit: { at, composedText: composed }, updatedAt: at };
  return inDoubtCleared ? { ...edited, inDoubtSince: null } : edited;
}
