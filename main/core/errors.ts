import type { ApiError } from '../../preload/contract';

/**
 * validation: a bad input (with the field); not-found; conflict: the state does not allow it
 * (a task's status, a URL already followed); feed: the feed could not be read (preview);
 * not-supported: not in this shell (account connect headless); internal.
 */
export type CommandErrorCode = 'validation' | 'not-found' | 'conflict' | 'feed' | 'not-supported' | 'internal';

/** The one error type commands reject with; shells turn it into an HTTP status or an IPC error. */
export class CommandError extends Error implements ApiError {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
  toJSON(): ApiError {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field };
  }
}
