// A refusal with an HTTP status, thrown by request handling shared by both shells (static files).
/** An HTTP-level refusal: status plus the body's code and message. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}
