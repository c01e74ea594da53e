// Logins started and not yet called back: `state` → code verifier, redirect URI and app. Held in
// memory only (a restart forgets them; the user clicks Connect again). Each state is single-use,
// and lives 10 minutes of the injected clock.
import type { Clock } from '../../ports';
import type { OAuth2App } from './types';
import { OAuth2Error } from './types';

export const PENDING_LOGIN_TTL_MS = 10 * 60_000;
/** Logins kept at once; the oldest goes first. Bounds what repeated Connect clicks can hold. */
export const MAX_PENDING_LOGINS = 16;

export interface PendingLogin {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  app: OAuth2App;
  /** Set when the login reconnects an account Crier has: the new tokens replace that account's. */
  accountId?: string;
  /** Epoch ms on the injected clock. */
  startedAt: number;
}

export interface PendingLogins {
  add(login: Omit<PendingLogin, 'startedAt'>): void;
  /**
   * The login for this state, removed so it cannot be used twice. Throws OAuth2Error
   * 'state-mismatch' for a state Crier does not hold, 'login-expired' for one too old.
   */
  take(state: string): PendingLogin;
  size(): number;
}

export function createPendingLogins(clock: Clock, ttlMs = PENDING_LOGIN_TTL_MS, max = MAX_PENDING_LOGINS): PendingLogins {
  // A Map keeps insertion order, so the first key is the oldest login.
  const logins = new Map<string, PendingLogin>();
  const expired = (login: PendingLogin): boolean => clock.now() - login.startedAt >= ttlMs;
  const prune = (): void => {
    for (const [state, login] of logins) if (expired(login)) logins.delete(state);
  };
  return {
    add(login) {
      prune();
      while (logins.size >= max) {
        const oldest = logins.keys().next().value;
        if (oldest === undefined) break;
        logins.delete(oldest);
      }
      logins.set(login.state, { ...login, startedAt: clock.now() });
    },
    take(state) {
      const login = logins.get(state);
      if (login === undefined) {
        throw new OAuth2Error('state-mismatch', 'This sign-in answer does not belong to a login Crier started (or it was used already). Click Connect again.');
      }
      logins.delete(state);
      if (expired(login)) {
        throw new OAuth2Error('login-expired', 'This sign-in was started more than 10 minutes ago and has expired. Click Connect again.');
      }
      return login;
    },
    size() {
      prune();
      return logins.size;
    },
  };
}
