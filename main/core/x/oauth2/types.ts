// Shapes shared by the OAuth 2.0 (authorization code + PKCE) modules. Every value here that
// holds a token or a client secret is a secret: never a log field, a response or a delta.

/** The user's own X app (Crier ships no client id). A confidential app also has a secret. */
export interface OAuth2App {
  clientId: string;
  /** Null for a public ("native app") client: it sends client_id in the body instead of Basic auth. */
  clientSecret: string | null;
}

/** What X's token endpoint granted. */
export interface TokenSet {
  accessToken: string;
  /** Null when X gave none (no offline.access): the session then cannot renew itself. */
  refreshToken: string | null;
  /** Epoch ms on the injected clock when the access token stops working. */
  expiresAt: number;
  scopes: string[];
}

/**
 * Where a renewed pair is kept. X's refresh tokens are single-use: once X answers a refresh, the
 * old refresh token is dead, so the new pair must be stored before anything relies on it.
 */
export interface TokenStore {
  save(tokens: TokenSet): Promise<void>;
}

/**
 * Why a login or a renewal failed. `unavailable` (network, 5xx, 429) and `store-failed` pass:
 * the same step may work later. Every other reason needs the user (reconnect, fix the app).
 */
export type OAuth2FailureReason =
  | 'state-mismatch' // the callback's state is not one Crier handed out (or was used already)
  | 'login-expired' // the state was Crier's, but the login was started too long ago
  | 'denied' // the user declined on X's page (error=access_denied)
  | 'authorize-error' // X's page sent back another error
  | 'grant-refused' // X refused the code or the refresh token (invalid_grant / invalid_request)
  | 'client-refused' // X refused the app itself (invalid_client / unauthorized_client)
  | 'no-refresh-token' // the session expired and X never gave a refresh token
  | 'store-failed' // a renewed pair could not be stored, so it is not used
  | 'unavailable' // no answer, or X failed (5xx, 429): try again later
  | 'bad-answer'; // X answered 2xx with something that is not a token

export class OAuth2Error extends Error {
  constructor(
    readonly reason: OAuth2FailureReason,
    message: string,
    readonly httpStatus?: number,
    /** The OAuth error code X sent (`invalid_grant`…), when it sent one. */
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'OAuth2Error';
  }

  /** True when asking again later may work; false when the user has to act (reconnect). */
  get passing(): boolean {
    return this.reason === 'unavailable' || this.reason === 'store-failed';
  }
}
