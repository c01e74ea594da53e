// Turns what @atproto/api (XRPCError), fetch underneath it, and the session throw into the
// XFailure values the queue already handles. Nothing from an error travels further than this
// file except the status, Bluesky's own error name and message, and the rate-limit headers;
// the app password and session tokens are scrubbed from every message as a last guard.
import { XRPCError } from '@atproto/api';
import { XError, type XFailure } from '../../x/types';

const MAX_DETAIL_CHARS = 300;
/** Below this a `ratelimit-reset` is a number of seconds from now; at or above, epoch seconds (2001-09-09 on). */
const EPOCH_SECONDS_FROM = 1_000_000_000;
/** 10000-01-01T00:00:00Z: a reset past it cannot be shown as a date. */
const LAST_SHOWABLE_MS = 253_402_300_800_000;

export interface MapContext {
  /** Scrubbed from every message. */
  secrets: readonly string[];
  /** The engine's clock: a delta reset is counted from it. */
  now: number;
  /** Whether the request could have created something (createRecord): a lost answer is then in doubt. */
  mayHavePosted: boolean;
}

/**
 * `ratelimit-reset` as Bluesky sends it: epoch seconds, or (from some services and proxies) a
 * number of seconds to wait. Either becomes an instant on the engine's clock; a delta is also
 * kept relative, for the queue to add to its own clock.
 */
export function parseRateLimitReset(raw: string | undefined, now: number): { resetAt?: number; retryAfterMs?: number } {
  const text = raw?.trim();
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return {};
  const seconds = Number(text);
  if (!Number.isFinite(seconds)) return {};
  if (seconds >= EPOCH_SECONDS_FROM) {
    const at = seconds * 1000;
    return at < LAST_SHOWABLE_MS ? { resetAt: at } : {};
  }
  const afterMs = seconds * 1000;
  return { resetAt: now + afterMs, retryAfterMs: afterMs };
}

export function mapBlueskyError(err: unknown, context: MapContext): XFailure {
  const failure = classify(err, context);
  return { ...failure, message: redact(failure.message, context.secrets) };
}

/** Bluesky's error name when the error is an answer from the service (e.g. 'RecordNotFound'). */
export function errorName(err: unknown): string | undefined {
  return err instanceof XRPCError && typeof err.error === 'string' ? err.error : undefined;
}

/** The HTTP status of an answer, or undefined for a request that got none. */
export function httpStatusOf(err: unknown): number | undefined {
  if (!(err instanceof XRPCError)) return undefined;
  return err.status >= 100 ? err.status : undefined;
}

function classify(err: unknown, context: MapContext): XFailure {
  if (err instanceof XError) return err.failure;
  if (err instanceof XRPCError) {
    const inner = findCause(err, (c) => c instanceof XError);
    if (inner instanceof XError) return inner.failure;
    if (err.status === 1) return fromNetworkError(err, context.mayHavePosted);
    if (err.status === 2) {
      // The PDS answered 2xx with a body that is not what the method returns.
      return {
        kind: 'unknown',
        message: context.mayHavePosted
          ? "Bluesky's answer could not be read; the post may be on Bluesky."
          : "Bluesky's answer could not be read.",
        inDoubt: context.mayHavePosted,
      };
    }
    return fromAnswer(err, context);
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError' || 'code' in err)) {
    return fromNetworkError(err, context.mayHavePosted);
  }
  const name = err instanceof Error ? err.name : typeof err;
  return { kind: 'unknown', message: `Unexpected error while talking to Bluesky (${name}).`, inDoubt: context.mayHavePosted };
}

function fromAnswer(err: XRPCError, context: MapContext): XFailure {
  const status = err.status;
  const name = typeof err.error === 'string' ? err.error : '';
  const detail = clip(err.message && err.message !== name ? err.message : '');
  const said = detail ? `: ${detail}` : name ? ` (${name}).` : '.';
  const headers = err.headers ?? {};
  if (status === 429) {
    const reset = parseRateLimitReset(headers['ratelimit-reset'], context.now);
    return { kind: 'rate-limited', message: `Bluesky's rate limit was reached${said}`, httpStatus: 429, ...reset };
  }
  if (status === 401 || name === 'ExpiredToken' || name === 'InvalidToken' || name === 'AuthenticationRequired') {
    return { kind: 'auth', message: `Bluesky refused the session${said}`, httpStatus: status };
  }
  if (status === 403 || name === 'AccountTakedown' || name === 'AccountDeactivated') {
    return { kind: 'forbidden', message: `Bluesky refused${said}`, httpStatus: status };
  }
  if (status === 413) return { kind: 'invalid-post', message: `Bluesky refused it as too large${said}`, httpStatus: status };
  if (status >= 500) return { kind: 'server', message: `Bluesky had a server error (HTTP ${status})${said}`, httpStatus: status };
  if (status === 404) {
    return { kind: 'unknown', message: `The service does not answer this Bluesky method (HTTP 404); check the service URL${said === '.' ? '.' : said}`, httpStatus: status };
  }
  if (status === 400) return { kind: 'invalid-post', message: `Bluesky refused the request${said}`, httpStatus: status };
  return { kind: 'unknown', message: `Bluesky answered HTTP ${status}${said}`, httpStatus: status };
}

function findCause(err: unknown, test: (c: unknown) => boolean): unknown {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (test(current)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

function codeOf(err: unknown): string | undefined {
  const found = findCause(err, (c) => c instanceof Error && 'code' in c && typeof c.code === 'string');
  return found instanceof Error && 'code' in found && typeof found.code === 'string' ? found.code : undefined;
}

function fromNetworkError(err: unknown, mayHavePosted: boolean): XFailure {
  const code = codeOf(err);
  const timedOut = findCause(err, (c) => c instanceof Error && (c.name === 'TimeoutError' || c.name === 'AbortError'));
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'offline', message: `Cannot reach Bluesky: the name lookup failed (${code}).`, inDoubt: false };
  }
  // Refused, unreachable, a connect timeout or a failed TLS handshake: nothing was sent.
  if (code !== undefined && (/^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENETDOWN|UND_ERR_CONNECT_TIMEOUT)$/.test(code) || isTlsCode(code))) {
    return { kind: 'network', message: `Cannot connect to Bluesky (${code}).`, inDoubt: false };
  }
  const maybe = mayHavePosted ? '; the post may be on Bluesky' : '';
  if (timedOut !== undefined || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return { kind: 'network', message: `Bluesky did not answer in time${maybe}.`, inDoubt: mayHavePosted };
  }
  return { kind: 'network', message: `The connection to Bluesky was lost${code ? ` (${code})` : ''}${maybe}.`, inDoubt: mayHavePosted };
}

function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/.test(code);
}

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_DETAIL_CHARS ? `${trimmed.slice(0, MAX_DETAIL_CHARS - 1)}…` : trimmed;
}

/** Secrets given, then anything shaped like a JWT (a session token quoted back by a server). */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]');
}
