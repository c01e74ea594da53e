// Editing a task's text: the one way a task's text changes after it was composed, always by the
// user and always recorded on the task. The same rules as composing hold, so an edit can never
// make a post X would refuse for its length, nor drop or break the item's own link.
import { canEditText, type Task } from '../../../preload/contract';
import { MAX_POST_WEIGHT, linksIn, stripInvalidCharacters, weightedLength } from '../compose/weighted-length';
import { CommandError } from '../errors';

export function editCommand(task: Task, text: string, expectedUpdatedAt: string, now: number): Task {
  if (task.updatedAt !== expectedUpdatedAt) {
    throw new CommandError('conflict', 'This task changed while you were editing it (it may have been tried or retried). Look at it again, then edit.');
  }
  if (!canEditText(task)) {
    throw new CommandError('conflict', task.status === 'running'
      ? 'This task is being posted right now; its text can no longer change.'
      : `Only a pending or failed task's text can be edited; this one is ${task.status}.`);
  }
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
  const at = new Date(now).toISOString();
  return { ...task, text, edit: { at, composedText: composed }, updatedAt: at };
}
