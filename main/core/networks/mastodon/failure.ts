// Turns whatever masto (or fetch underneath it) throws into an XFailure value, in the instance's
// own words. Nothing from an error object travels further than this file except the status, the
// instance's `error` text and the rate-limit reset; the access token is scrubbed from every message
// as a last guard (masto's errors carry no request, but a Response in `cause` holds its URL).
//
// masto 8 gaps this file works around:
// - an error answer whose Content-Type is neither JSON nor HTML (a proxy's text/plain 503) becomes a
//   MastoUnexpectedError without the status;
// - an HTML error page (nginx's 502/504) makes masto destructure `undefined` and throw a bare
//   TypeError, again without the status.
// For a POST of a status both are treated as "the request may have reached the instance".
import { MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { XError, type XFailure } from '../../x/types';

const MAX_DETAIL_CHARS = 300;
/** 10000-01-01T00:00:00Z: a reset past it cannot be shown as a date. */
const LAST_SHOWABLE_MS = 253_402_300_800_000;

export interface MapContext {
  /** The access token (and anything else secret) to scrub from messages. */
  secrets: readonly string[];
  /**
   * True for POST /api/v1/statuses: a failure that may have happened after the instance took the
   * request leaves the task in doubt (a 5xx included — mastodon#40399 answers 500 to a retry whose
   * Idempotency-Key already made a status).
   */
  creating?: boolean;
}

export function mapMastodonError(err: unknown, context: MapContext): XFailure {
  const failure = classify(err, context.creating === true);
  return { ...failure, message: redact(failure.message, context.secrets) };
}

function classify(err: unknown, creating: boolean): XFailure {
  if (err instanceof XError) return err.failure;
  if (err instanceof MastoHttpError) return fromResponse(err, creating);
  if (err instanceof MastoTimeoutError) return timedOut(creating);
  if (err instanceof MastoDeserializeError) {
    return {
      kind: creating ? 'network' : 'server',
      message: `The instance's answer could not be read (not JSON)${creating ? '; the status may have been posted.' : '.'}`,
      inDoubt: creating,
    };
  }
  if (err instanceof MastoUnexpectedError) {
    // "…The server may be down." is masto's text for an error answer it could not read.
    const errorAnswer = /may be down/i.test(err.message);
    return {
      kind: errorAnswer ? 'server' : 'network',
      message: errorAnswer
        ? `The instance answered with an error it did not explain${creating ? '; the status may have been posted.' : '.'}`
        : `The instance's answer could not be read${creating ? '; the status may have been posted.' : '.'}`,
      inDoubt: creating,
    };
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return timedOut(creating);
  if (err instanceof TypeError) return fromFetchError(err, creating);
  const name = err instanceof Error ? err.name : typeof err;
  return { kind: 'unknown', message: `Unexpected error while talking to the Mastodon instance (${name}).`, inDoubt: creating };
}

function timedOut(creating: boolean): XFailure {
  return {
    kind: 'network',
    message: `The instance did not answer in time${creating ? '; the status may have been posted.' : '.'}`,
    inDoubt: creating,
  };
}

function causeCode(err: TypeError): string | undefined {
  const cause: unknown = err.cause;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = Reflect.get(cause, 'code');
  return typeof code === 'string' ? code : undefined;
}

function causeMessage(err: TypeError): string | undefined {
  const cause: unknown = err.cause;
  return cause instanceof Error ? cause.message : undefined;
}

function fromFetchError(err: TypeError, creating: boolean): XFailure {
  const code = causeCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'offline', message: `Cannot reach the instance: the name lookup failed (${code}).`, inDoubt: false };
  }
  // Refused, unreachable or a failed TLS handshake: nothing was sent.
  if (code && (/^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENETDOWN)$/.test(code) || isTlsCode(code))) {
    return { kind: 'network', message: `Cannot connect to the instance (${code}).`, inDoubt: false };
  }
  if (err.message === 'fetch failed' && causeMessage(err) === 'unexpected redirect') {
    // Refused before anything was created: requests are sent with redirect 'error'.
    return {
      kind: 'unknown',
      message: 'The instance redirected the request elsewhere: enter the address the instance itself uses (the one its web page shows), not an alias.',
      inDoubt: false,
    };
  }
  if (err.message === 'fetch failed' || err.message === 'terminated') {
    return {
      kind: 'network',
      message: `The connection to the instance was lost${code ? ` (${code})` : ''}${creating ? '; the status may have been posted.' : '.'}`,
      inDoubt: creating,
    };
  }
  // masto's TypeError on an HTML error page (see the header): an answer came, its status is lost.
  return {
    kind: 'server',
    message: `The instance answered with an error page${creating ? '; the status may have been posted.' : '.'}`,
    inDoubt: creating,
  };
}

function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/.test(code);
}

function responseHeader(err: MastoHttpError, name: string): string | null {
  const cause: unknown = err.cause;
  return cause instanceof Response ? cause.headers.get(name) : null;
}

/** X-RateLimit-Reset: Mastodon sends an ISO 8601 time. */
export function parseRateLimitReset(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const value = raw.trim();
  // A bare number is no ISO time (Date.parse would read "2026" as a year).
  if (/^\d+(\.\d+)?$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) && at > 0 && at < LAST_SHOWABLE_MS ? at : undefined;
}

/** The instance's own explanation: its `error`, then `error_description` and field details. */
function instanceWords(err: MastoHttpError): string {
  const parts: string[] = [];
  if (typeof err.message === 'string' && err.message.trim() !== '') parts.push(err.message.trim());
  if (typeof err.description === 'string' && err.description.trim() !== '') parts.push(err.description.trim());
  for (const list of Object.values(err.details ?? {})) {
    for (const detail of list) if (typeof detail.description === 'string') parts.push(detail.description);
  }
  const text = [...new Set(parts)].join(' — ');
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}

function fromResponse(err: MastoHttpError, creating: boolean): XFailure {
  const status = err.statusCode;
  const words = instanceWords(err);
  const said = words ? `: ${words}` : '.';
  if (status === 429) {
    const resetAt = parseRateLimitReset(responseHeader(err, 'x-ratelimit-reset'));
    return {
      kind: 'rate-limited',
      httpStatus: 429,
      message: resetAt === undefined ? "The instance's rate limit is reached; posting waits." : "The instance's rate limit is reached; posting waits until it resets.",
      ...(resetAt === undefined ? {} : { resetAt }),
    };
  }
  if (status === 401) {
    return { kind: 'auth', httpStatus: 401, message: `The instance did not accept the access token (401)${said} Reconnect the Mastodon account.` };
  }
  if (status === 403) {
    // A token without the write scopes, or a disabled, suspended or unconfirmed account: the
    // account's problem, not this post's.
    return { kind: 'auth', httpStatus: 403, message: `The instance refused the account (403)${said}` };
  }
  if (status === 422) return { kind: 'invalid-post', httpStatus: 422, message: `The instance rejected the status (422)${said}` };
  if (status >= 500) {
    // 503 is a server saying it took nothing (maintenance, overload); the others may follow a status made.
    const mayHavePosted = creating && status !== 503;
    return {
      kind: 'server',
      httpStatus: status,
      message: `The instance had a server error (${status})${said}${mayHavePosted ? ' The status may have been posted.' : ''}`,
      inDoubt: mayHavePosted,
    };
  }
  return { kind: 'unknown', httpStatus: status, message: `The instance answered HTTP ${status}${said}` };
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
