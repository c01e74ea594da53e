// twitter-api-v2 in OAuth 2.0 user context: `new TwitterApi(accessToken)`, moved to the
// configured API base like the OAuth 1.0a client (the same onBeforeRequestConfig rewrite; a
// bearer request is not signed, so nothing else changes). One client per access token, since
// the session renews it; media upload then goes to the v2 endpoints, which need media.write.
// Loads twitter-api-v2: import this module lazily, as account.ts does with client.ts.
import type { Agent } from 'node:https';
import { ApiResponseError, TwitterApi, type ITwitterApiClientPlugin, type TwitterApiv2 } from 'twitter-api-v2';
import { rebaseXUrl } from '../client';
import { sleepAwareDeadline } from '../deadline';
import { DEFAULT_X_API_BASE } from '../types';

export interface BearerApiOptions {
  apiBase?: string;
  httpsAgent?: Agent;
  timeoutMs?: number;
}

/** A v2 client sending `Authorization: Bearer <accessToken>` to the configured base. */
export function bearerApi(accessToken: string, options: BearerApiOptions = {}): TwitterApiv2 {
  const base = (options.apiBase ?? DEFAULT_X_API_BASE).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const routing: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.url = rebaseXUrl(params.url, base);
    },
    onBeforeRequest({ requestOptions }) {
      requestOptions.signal = sleepAwareDeadline(timeoutMs);
    },
  };
  return new TwitterApi(accessToken, { plugins: [routing], ...(options.httpsAgent ? { httpAgent: options.httpsAgent } : {}) }).v2;
}

/**
 * X answered 401: the access token expired or was revoked, so the session renews and tries once
 * more. (Not 403: twitter-api-v2's own refresher re-sends on 403 and can post twice.)
 */
export function isUnauthorizedAnswer(err: unknown): boolean {
  return err instanceof ApiResponseError && err.code === 401;
}
