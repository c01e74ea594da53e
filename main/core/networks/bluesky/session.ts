// A Bluesky session from an app password, as @atproto/api's session manager port: every
// request gets the access token, and an access token the PDS calls expired (400 ExpiredToken,
// or 401) is refreshed once and the request sent again. Requests racing on an expired token
// share one refresh; a request that fails with a token already replaced is simply resent with
// the new one. A refresh token the PDS refuses (expired, revoked) leads to one new login with
// the app password; when that is refused too, every waiting request fails with kind 'auth' and
// both reasons. The session is handed to `onSession` each time it changes, so the account can
// keep it and a restart does not log in again (createSession has a tight rate limit).
//
// Our own manager rather than the package's CredentialSession: that one refreshes again when a
// request sent before a refresh comes back expired after it, and turns a failed refresh into
// the request's original 401 with the reason lost.
import { XRPCError } from '@atproto/api';
import type { Logger } from '../../ports';
import { sleepAwareDeadline } from '../../x/deadline';
import { XError, type XFailure } from '../../x/types';
import { mapBlueskyError } from './failure';

/** What an account keeps between runs. Secret: the tokens are as good as the app password for a while. */
export interface BlueskySessionData {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
}

export interface BlueskySessionOptions {
  /** The PDS or entryway, e.g. https://bsky.social. */
  service: URL;
  /** Handle or email. */
  identifier: string;
  appPassword: string;
  fetch: typeof globalThis.fetch;
  /** A session kept from an earlier run; used until the PDS refuses it. */
  stored?: BlueskySessionData | null;
  /** Called with every new session (login, refresh): the caller stores it. */
  onSession?: (session: BlueskySessionData) => void;
  timeoutMs: number;
  log: Logger;
  now: () => number;
}

export class BlueskySession {
  private current: BlueskySessionData | null;
  private loggingIn: Promise<BlueskySessionData> | null = null;
  private refreshing: Promise<BlueskySessionData> | null = null;

  constructor(private readonly options: BlueskySessionOptions) {
    this.current = options.stored ?? null;
  }

  get did(): string | undefined {
    return this.current?.did;
  }

  get handle(): string | undefined {
    return this.current?.handle;
  }

  /** The strings no message or log line may carry. */
  secrets(): string[] {
    const out = [this.options.appPassword];
    if (this.current) out.push(this.current.accessJwt, this.current.refreshJwt);
    return out;
  }

  /** The session, logging in first when there is none (one login for racing callers). */
  async ensure(): Promise<BlueskySessionData> {
    if (this.current) return this.current;
    this.loggingIn ??= this.login().finally(() => {
      this.loggingIn = null;
    });
    return this.loggingIn;
  }

  /** The port @atproto/api's Agent sends every request through. */
  async fetchHandler(url: string, init: RequestInit): Promise<Response> {
    const session = this.refreshing ? await this.refreshing : await this.ensure();
    const first = await this.send(url, init, session.accessJwt);
    if (!(await isExpiredToken(first))) return first;
    const renewed = await this.renewAfter(session.accessJwt);
    await first.body?.cancel();
    return this.send(url, init, renewed.accessJwt);
  }

  private send(url: string, init: RequestInit, accessJwt: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${accessJwt}`);
    return this.options.fetch(new URL(url, this.options.service), { ...init, headers });
  }

  /** A fresh session after `usedToken` was refused: the one already made, the refresh under way, or a new refresh. */
  private async renewAfter(usedToken: string): Promise<BlueskySessionData> {
    if (this.refreshing) return this.refreshing;
    if (this.current && this.current.accessJwt !== usedToken) return this.current;
    this.refreshing = this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<BlueskySessionData> {
    const old = this.current;
    if (!old) return this.login();
    let refused: string;
    try {
      const next = await this.call('com.atproto.server.refreshSession', { authorization: `Bearer ${old.refreshJwt}` }, undefined);
      const session = sessionFrom(next, old);
      this.adopt(session, 'refreshed the Bluesky session');
      return session;
    } catch (err) {
      const failure = this.failureOf(err);
      // A refresh that failed for any reason but a refusal keeps the session for the next try.
      if (failure.kind !== 'auth') throw new XError({ ...failure, inDoubt: false });
      refused = failure.message;
    }
    this.current = null;
    this.options.log.warn('Bluesky refused the session refresh; logging in again with the app password', { reason: refused });
    try {
      return await this.login();
    } catch (err) {
      const failure = this.failureOf(err);
      if (failure.kind !== 'auth') throw new XError({ ...failure, inDoubt: false });
      throw new XError({ kind: 'auth', message: `${refused} Logging in again failed too: ${failure.message}`, httpStatus: failure.httpStatus });
    }
  }

  private async login(): Promise<BlueskySessionData> {
    let answer: unknown;
    try {
      answer = await this.call('com.atproto.server.createSession', {}, {
        identifier: this.options.identifier,
        password: this.options.appPassword,
      });
    } catch (err) {
      const failure = this.failureOf(err);
      const message = failure.kind === 'auth' || failure.httpStatus === 400
        ? `Bluesky refused the login with the app password${reasonOf(err)}`
        : failure.message;
      const kind = failure.httpStatus === 400 || failure.httpStatus === 401 ? 'auth' : failure.kind;
      throw new XError({ ...failure, kind, message, inDoubt: false });
    }
    const session = sessionFrom(answer, null);
    this.adopt(session, 'logged in to Bluesky');
    return session;
  }

  private adopt(session: BlueskySessionData, what: string): void {
    this.current = session;
    this.options.log.info(what, { did: session.did, handle: session.handle });
    try {
      this.options.onSession?.(session);
    } catch (err) {
      // Not storing it costs a login after a restart, no more: the session in memory is good.
      this.options.log.warn('could not hand on the new Bluesky session', { error: err instanceof Error ? err.name : typeof err });
    }
  }

  private failureOf(err: unknown): XFailure {
    return mapBlueskyError(err, { secrets: this.secrets(), now: this.options.now(), mayHavePosted: false });
  }

  /** One session procedure: its JSON answer, or an XRPCError carrying the PDS's status, error and headers. */
  private async call(nsid: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
    const init: RequestInit = {
      method: 'POST',
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      signal: sleepAwareDeadline(this.options.timeoutMs),
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(new URL(`/xrpc/${nsid}`, this.options.service), init);
      text = await response.text();
    } catch (err) {
      throw XRPCError.from(err);
    }
    const parsed = parseJson(text);
    if (response.status < 200 || response.status > 299) {
      const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      throw new XRPCError(
        response.status,
        typeof record.error === 'string' ? record.error : undefined,
        typeof record.message === 'string' ? record.message : undefined,
        Object.fromEntries(response.headers.entries()),
      );
    }
    return parsed;
  }
}

function reasonOf(err: unknown): string {
  if (!(err instanceof XRPCError)) return '.';
  const name = typeof err.error === 'string' ? err.error : '';
  if (name === 'AuthFactorTokenRequired') return ': it asks for an email code, which an app password never needs — check that this is an app password.';
  const message = err.message && err.message !== name ? err.message : '';
  return message ? `: ${message}` : name ? ` (${name}).` : '.';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sessionFrom(answer: unknown, previous: BlueskySessionData | null): BlueskySessionData {
  const record = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const text = (key: string): string | undefined => (typeof record[key] === 'string' && record[key] !== '' ? record[key] : undefined);
  const did = text('did');
  const accessJwt = text('accessJwt');
  const refreshJwt = text('refreshJwt');
  const handle = text('handle') ?? previous?.handle;
  if (!did || !accessJwt || !refreshJwt || !handle) {
    throw new XError({ kind: 'unknown', message: "Bluesky's session answer was missing the account or its tokens.", inDoubt: false });
  }
  if (previous && previous.did !== did) {
    throw new XError({ kind: 'auth', message: 'Bluesky refreshed the session for a different account.', inDoubt: false });
  }
  return { did, handle, accessJwt, refreshJwt };
}

async function isExpiredToken(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 400) return false;
  try {
    const body: unknown = await response.clone().json();
    const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined;
    return error === 'ExpiredToken' || error === 'InvalidToken';
  } catch {
    return false;
  }
}
