import type { ApiError, FieldIssue } from '../../preload/contract';

/**
 * validation: a bad input (with the field); not-found; conflict: the state does not allow it
 * (a task's status, a URL already followed); feed: the feed could not be read (preview);
 * not-supported: not in this shell (account connect headless); x-refused: X refused what Crier
 * asked on the user's behalf (deleting a post), in X's words; internal.
 */
export type CommandErrorCode = 'validation' | 'not-found' | 'conflict' | 'feed' | 'not-supported' | 'x-refused' | 'internal';

/** The one error type commands reject with; shells turn it into an HTTP status or an IPC error. */
export class CommandError extends Error implements ApiError {
  /** Every offending input of a validation error (the first is `field`); absent otherwise. */
  readonly issues?: FieldIssue[];
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    readonly field?: string,
    issues?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'CommandError';
    if (issues !== undefined && issues.length > 0) this.issues = issues.map((i) => ({ field: i.field, message: i.message }));
  }
  toJSON(): ApiError {
    const json: ApiError = { code: this.code, message: this.message };
    if (this.field !== undefined) json.field = this.field;
    if (this.issues !== undefined) json.issues = this.issues.map((i) => ({ field: i.field, message: i.message }));
    return json;
  }
}

/**
 * One validation error for every issue: the first names `field`; the message is all of theirs,
 * so a caller that reads only the message still learns everything at once.
 */
export function validationError(issues: readonly FieldIssue[]): CommandError {
  const first = issues[0];
  if (!first) return new CommandError('validation', 'Invalid input.');
  const message = issues.length === 1 ? first.message : issues.map((i) => i.message).join(' ');
  return new CommandError('validation', message, first.field || undefined, issues);
}
