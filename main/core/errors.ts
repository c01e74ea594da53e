import type { ApiError } from '../../preload/contract';

/** The one error type commands reject with; shells turn it into an HTTP status or an IPC error. */
export class CommandError extends Error implements ApiError {
  constructor(
    readonly code: 'validation' | 'not-found' | 'conflict' | 'not-supported' | 'internal' | string,
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

export function toApiError(err: unknown): ApiError {
  if (err instanceof CommandError) return err.toJSON();
  return { code: 'internal', message: 'Something went wrong inside Crier; the details are in the log.' };
}
