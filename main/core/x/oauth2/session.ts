// One connected account's OAuth 2.0 tokens in use: hands out a live access token, renews it
// shortly before it expires and when X answers 401, and keeps the rules X's single-use refresh
// tokens impose:
// - one renewal at a time (single-flight): two callers needing a renewal share one request,
//   since a second request with the same refresh token would be refused and could end the session;
// - the new pair goes to the store before the new access token is used; a pair that could not
//   be stored is kept back and stored on the next try, never thrown away (its refresh token is
//   the only live one now);
// - a renewal X refuses ends the session with that reason until new tokens come (reconnect).
import type { Clock, Logger } from '../../ports';
import type { XFailure } from '../types';
import type { TokenClient } from './token-client';
import { OAuth2Error, type OAuth2App, type TokenSet, type TokenStore } from './types';

/** Renew this long before X's expiry, so a token is not out of date by the time X reads it. */
export const REFRESH_MARGIN_MS = 2 * 60_000;

export interface OAuth2SessionOptions {
  app: OAuth2App;
  tokens: TokenSet;
  tokenClient: TokenClient;
  store: TokenStore;
  clock: Clock;
  log: Logger;
  refreshMarginMs?: number;
}

export interface OAuth2Session {
  /** A live access token, renewed first when close to expiry. Rejects with OAuth2Error only. */
  accessToken(): Promise<string>;
  /**
   * Runs `call` with a live access token; when it fails and `isUnauthorized` says X answered 401,
   * renews (unless another caller did meanwhile) and runs it once more. Other failures pass through.
   */
  withAccessToken<T>(call: (accessToken: string) => Promise<T>, isUnauthorized: (err: unknown) => boolean): Promise<T>;
  /** Renews now (joining a renewal under way). Rejects with OAuth2Error only. */
  refresh(): Promise<void>;
  /** The failure that ended the session (the account's "paused: reason" and Reconnect), or null. */
  failure(): OAuth2Error | null;
  /** New tokens from a reconnect: clears a failure. */
  replaceTokens(tokens: TokenSet): void;
  /** Epoch ms when the access token in use expires. */
  expiresAt(): number;
}

export function createOAuth2Session(options: OAuth2SessionOptions): OAuth2Session {
  const { app, tokenClient, store, clock, log } = options;
  const margin = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
  let current = options.tokens;
  /** A pair X issued that the store has not taken yet: it is stored before anything else. */
  let unsaved: TokenSet | null = null;
  let failed: OAuth2Error | null = null;
  let inflight: Promise<void> | null = null;

  const end = (err: OAuth2Error): never => {
    failed = err;
    log.warn('the X sign-in cannot be renewed; posting needs a reconnect', { reason: err.reason, httpStatus: err.httpStatus, oauthError: err.oauthError });
    throw err;
  };

  async function adopt(next: TokenSet): Promise<void> {
    try {
      await store.save(next);
    } catch (err) {
      unsaved = next;
      const why = err instanceof Error ? err.message : String(err);
      log.error('renewed X tokens could not be stored; they stay unused until they are', { problem: why });
      throw new OAuth2Error('store-failed', `Crier could not store the renewed X sign-in (${why}), so it is not used yet. Crier tries again later.`);
    }
    unsaved = null;
    current = next;
    log.info('renewed the X sign-in', { expiresAt: new Date(next.expiresAt).toISOString() });
  }

  async function renew(): Promise<void> {
    if (failed) throw failed;
    if (unsaved) return adopt(unsaved);
    if (current.refreshToken === null) {
      return end(new OAuth2Error('no-refresh-token', 'The X sign-in expired and X gave no refresh token to renew it (offline.access): connect the account again.'));
    }
    let next: TokenSet;
    try {
      next = await tokenClient.refresh(app, current.refreshToken);
    } catch (err) {
      const failure = err instanceof OAuth2Error ? err : new OAuth2Error('unavailable', `Renewing the X sign-in failed: ${err instanceof Error ? err.name : 'error'}.`);
      if (failure.passing) {
        log.warn('renewing the X sign-in failed; trying again later', { reason: failure.reason, httpStatus: failure.httpStatus });
        throw failure;
      }
      return end(failure);
    }
    return adopt(next);
  }

  const refresh = (): Promise<void> => {
    inflight ??= renew().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  async function accessToken(): Promise<string> {
    if (failed) throw failed;
    if (unsaved === null && clock.now() < current.expiresAt - margin) return current.accessToken;
    try {
      await refresh();
    } catch (err) {
      // A passing failure inside the margin: the token in hand still works for a while.
      if (err instanceof OAuth2Error && err.passing && clock.now() < current.expiresAt) return current.accessToken;
      throw err;
    }
    return current.accessToken;
  }

  return {
    accessToken,
    async withAccessToken(call, isUnauthorized) {
      const used = await accessToken();
      try {
        return await call(used);
      } catch (err) {
        if (!isUnauthorized(err)) throw err;
        // Renew only if no one has since: the token that failed is still the one in use, or a
        // renewal is under way (joined). Otherwise the newer token is tried as it is.
        if (current.accessToken === used || inflight !== null) await refresh();
        if (current.accessToken === used) throw err;
        return call(current.accessToken);
      }
    },
    refresh,
    failure: () => failed,
    replaceTokens(tokens) {
      current = tokens;
      unsaved = null;
      failed = null;
    },
    expiresAt: () => current.expiresAt,
  };
}

/**
 * The queue's view of an OAuth2Error (the X client rejects with XError only): a session that
 * needs the user is an auth failure, pausing the account with the reason; the rest pass.
 */
export function oauth2XFailure(err: OAuth2Error): XFailure {
  if (err.reason === 'unavailable') {
    return err.httpStatus === undefined
      ? { kind: 'offline', message: err.message, inDoubt: false }
      : { kind: err.httpStatus === 429 ? 'rate-limited' : 'server', message: err.message, httpStatus: err.httpStatus };
  }
  if (err.reason === 'store-failed' || err.reason === 'bad-answer') return { kind: 'unknown', message: err.message };
  return { kind: 'auth', message: err.message, ...(err.httpStatus === undefined ? {} : { httpStatus: err.httpStatus }) };
}
