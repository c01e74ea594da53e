// Turns whatever twitter-api-v2 (or Node underneath it) throws into an XFailure value. Its
// error objects hold the signed request, Authorization header included, so nothing from them
// travels further than this file except status, X's own problem text and rate-limit headers.
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { XError, type XFailure } from './types';

export const DUPLICATE_CONTENT_TEXT = 'You are not allowed to create a Tweet with duplicate content.';

const MAX_DETAIL_CHARS = 300;

/** Maps any error from a request to X. `secrets` are scrubbed from every message as a last guard. */
export function mapXError(err: unknown, secrets: readonly string[] = []): XFailure {
  const failure = classify(err);
  return { ...failure, message: redact(failure.message, secrets) };
}

function classify(err: unknown): XFailure {
  if (err instanceof XError) return err.failure;
  if (err instanceof ApiResponseError) return fromResponse(err.code, err.data, err.headers);
  if (err instanceof ApiPartialResponseError) {
    // The status line arrived but the body was cut off: for a POST the post may exist.
    return {
      kind: 'network',
      message: `X's answer (HTTP ${err.response?.statusCode ?? '?'}) could not be read (cut off, or not JSON); the request may have reached X.`,
      inDoubt: true,
    };
  }
  if (err instanceof ApiRequestError) return fromNetworkError(underlyingError(err));
  if (err instanceof Error && ('code' in err || err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return fromNetworkError(err);
  }
  const name = err instanceof Error ? err.name : typeof err;
  return { kind: 'unknown', message: `Unexpected error while talking to X (${name}).` };
}

/** twitter-api-v2 1.29 stores the cause as `_options.error` while its `requestError` getter reads a key never set. */
function underlyingError(err: ApiRequestError): unknown {
  const direct: unknown = err.requestError;
  if (direct) return direct;
  const options: unknown = Reflect.get(err, '_options');
  return typeof options === 'object' && options !== null ? Reflect.get(options, 'error') : undefined;
}

type Headers = Record<string, string | string[] | undefined> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** 10000-01-01T00:00:00Z: a reset past it cannot be shown as a date (and past 8.64e15 ms, Date throws). */
const LAST_SHOWABLE_MS = 253_402_300_800_000;

function epochSecondsHeader(headers: Headers, name: string): number | undefined {
  const raw = header(headers, name)?.trim();
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw)) return undefined;
  const ms = Number(raw) * 1000;
  // An absurd reset is no reset at all: the queue's floor and clamp decide the wait instead.
  return ms > 0 && ms < LAST_SHOWABLE_MS ? ms : undefined;
}

/** retry-after: delta seconds (relative, for the queue's clock) or an HTTP date (absolute). */
function retryAfter(headers: Headers): { afterMs?: number; at?: number } {
  const raw = header(headers, 'retry-after')?.trim();
  if (raw === undefined || raw === '') return {};
  if (/^\d+$/.test(raw)) {
    const ms = Number(raw) * 1000;
    return Number.isFinite(ms) ? { afterMs: ms } : {};
  }
  const at = Date.parse(raw);
  return Number.isFinite(at) && at > 0 && at < LAST_SHOWABLE_MS ? { at } : {};
}

/**
 * A 2xx answer to POST /2/tweets without a post id. With X's `errors` it is X saying no (not in
 * doubt, retried by the usual rules); with nothing readable the post may exist: in doubt.
 */
export function answerWithoutPost(body: unknown): XFailure {
  const said = errorsIn(body);
  if (said !== null) return { kind: 'unknown', message: `X answered without creating the post${said === '' ? '.' : `: ${said}`}`, inDoubt: false };
  return { kind: 'unknown', message: "X's answer had no post id in it; the post may be on X.", inDoubt: true };
}

/** X's own words when a 2xx body carries a non-empty `errors` array ('' if they say nothing); else null. */
export function errorsIn(body: unknown): string | null {
  const errors = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).errors : undefined;
  return Array.isArray(errors) && errors.length > 0 ? problemText(body) : null;
}

function fromResponse(status: number, data: unknown, headers: Headers): XFailure {
  const detail = problemText(data);
  const said = detail ? `: ${detail}` : '.';
  if (status === 429) {
    let resetAt = epochSecondsHeader(headers, 'x-rate-limit-reset');
    const appWide = header(headers, 'x-app-limit-24hour-remaining') === '0';
    for (const scope of ['user', 'app']) {
      if (header(headers, `x-${scope}-limit-24hour-remaining`) !== '0') continue;
      const dayReset = epochSecondsHeader(headers, `x-${scope}-limit-24hour-reset`);
      if (dayReset !== undefined) resetAt = Math.max(resetAt ?? 0, dayReset);
    }
    const after = retryAfter(headers);
    if (after.at !== undefined) resetAt = Math.max(resetAt ?? 0, after.at);
    // No time in the words: the engine keeps the instant (resetAt), the page shows it in local time.
    return {
      kind: 'rate-limited',
      httpStatus: 429,
      message: resetAt === undefined ? "X's rate limit is reached; posting waits." : "X's rate limit is reached; posting waits until it resets.",
      ...(resetAt === undefined ? {} : { resetAt }),
      ...(after.afterMs === undefined ? {} : { retryAfterMs: after.afterMs }),
      ...(appWide ? { appWide: true } : {}),
    };
  }
  if (status === 401) {
    return { kind: 'auth', httpStatus: 401, message: 'X did not accept the credentials (401). Reconnect the X account.' };
  }
  if (status === 402) {
    return { kind: 'credits-depleted', httpStatus: 402, message: `The X developer account has no credits left (402)${said}`, appWide: true };
  }
  if (status === 403 && mentionsDuplicate(data)) {
    return { kind: 'duplicate', httpStatus: 403, message: 'X already has a post with this exact text.' };
  }
  if (status === 403) return { kind: 'forbidden', httpStatus: 403, message: `X refused the request (403)${said}` };
  if (status === 400) return { kind: 'invalid-post', httpStatus: 400, message: `X rejected the post (400)${said}` };
  if (status >= 500) return { kind: 'server', httpStatus: status, message: `X had a server error (${status})${said}` };
  return { kind: 'unknown', httpStatus: status, message: `X answered HTTP ${status}${said}` };
}

function fromNetworkError(cause: unknown): XFailure {
  const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  const name = cause instanceof Error ? cause.name : undefined;
  const text = cause instanceof Error ? cause.message : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'offline', message: `Cannot reach X: the name lookup failed (${code}).`, inDoubt: false };
  }
  // Refused, unreachable or a failed TLS handshake: nothing was sent.
  if (code && (/^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENETDOWN)$/.test(code) || isTlsCode(code))) {
    return { kind: 'network', message: `Cannot connect to X (${code}).`, inDoubt: false };
  }
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR' || code === 'ETIMEDOUT' || text === 'Request timeout.') {
    return { kind: 'network', message: 'X did not answer in time; the request may have reached X.', inDoubt: true };
  }
  // Reset, hang-up, socket closed: with a POST there is no telling whether X got it.
  return {
    kind: 'network',
    message: `The connection to X was lost${code ? ` (${code})` : ''}; the request may have reached X.`,
    inDoubt: true,
  };
}

function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/.test(code);
}

function strings(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return typeof data === 'string' ? [data] : [];
  const record = data as Record<string, unknown>;
  const out: string[] = [];
  for (const key of ['detail', 'title'] as const) if (typeof record[key] === 'string') out.push(record[key]);
  if (Array.isArray(record.errors)) {
    for (const e of record.errors) {
      if (typeof e === 'object' && e !== null) {
        // v1-style errors carry `message`; v2's partial errors a problem's `detail` (or only `title`).
        const { message, detail, title } = e as Record<string, unknown>;
        const text = [message, detail, title].find((v): v is string => typeof v === 'string' && v.trim() !== '');
        if (text !== undefined) out.push(text);
      }
    }
  }
  return out;
}

function mentionsDuplicate(data: unknown): boolean {
  return strings(data).some((s) => s.includes(DUPLICATE_CONTENT_TEXT));
}

/** X's own explanation: the specific error messages first, then the problem detail. */
function problemText(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const record = data as Record<string, unknown>;
  const all = strings(data).filter((s) => s !== record.title);
  // strings() lists detail first; the per-field messages are the more specific ones.
  const detail = typeof record.detail === 'string' ? record.detail : undefined;
  if (detail !== undefined && all[0] === detail) all.push(all.shift() ?? '');
  const unique = [...new Set(all)].map((s) => s.trim()).filter(Boolean);
  const text = unique.join(' — ');
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message.replace(/OAuth\s+oauth_[^\n]*/gi, 'OAuth [redacted]');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
