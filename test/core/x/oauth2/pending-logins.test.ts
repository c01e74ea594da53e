// Pending logins: each state answers once, for 10 minutes of the injected clock.
import { describe, expect, it } from 'vitest';
import { createPendingLogins, MAX_PENDING_LOGINS, PENDING_LOGIN_TTL_MS } from '../../../../main/core/x/oauth2/pending-logins';
import { OAuth2Error } from '../../../../main/core/x/oauth2/types';
import { createFakeClock } from '../../../support/fake-clock';

const app = { clientId: 'client-1', clientSecret: null };
const login = (state: string) => ({ state, codeVerifier: `verifier-${state}`, redirectUri: 'http://127.0.0.1:8917/oauth2/callback', app });

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OAuth2Error);
    return (err as OAuth2Error).reason;
  }
  throw new Error('expected a throw');
}

describe('pending logins', () => {
  it('gives back the verifier and redirect URI of a state once, then refuses it', () => {
    const pending = createPendingLogins(createFakeClock());
    pending.add(login('s1'));
    expect(pending.take('s1')).toMatchObject({ codeVerifier: 'verifier-s1', redirectUri: 'http://127.0.0.1:8917/oauth2/callback', app });
    expect(reasonOf(() => pending.take('s1'))).toBe('state-mismatch');
  });

  it('refuses a state it never handed out', () => {
    const pending = createPendingLogins(createFakeClock());
    pending.add(login('s1'));
    expect(reasonOf(() => pending.take('other'))).toBe('state-mismatch');
    expect(pending.size()).toBe(1);
  });

  it('expires a login 10 minutes after it started, and tells it apart from a foreign state', () => {
    const clock = createFakeClock();
    const pending = createPendingLogins(clock);
    pending.add(login('old'));
    clock.advance(PENDING_LOGIN_TTL_MS - 1);
    pending.add(login('young'));
    expect(pending.take('young').codeVerifier).toBe('verifier-young');
    pending.add(login('young2'));
    clock.advance(1);
    expect(reasonOf(() => pending.take('old'))).toBe('login-expired');
    expect(reasonOf(() => pending.take('old'))).toBe('state-mismatch');
    expect(pending.take('young2').state).toBe('young2');
  });

  it('drops expired logins and keeps at most a bounded number, the oldest leaving first', () => {
    const clock = createFakeClock();
    const pending = createPendingLogins(clock);
    pending.add(login('a'));
    clock.advance(PENDING_LOGIN_TTL_MS);
    expect(pending.size()).toBe(0);
    for (let i = 0; i <= MAX_PENDING_LOGINS; i++) pending.add(login(`s${i}`));
    expect(pending.size()).toBe(MAX_PENDING_LOGINS);
    expect(reasonOf(() => pending.take('s0'))).toBe('state-mismatch');
    expect(pending.take(`s${MAX_PENDING_LOGINS}`).state).toBe(`s${MAX_PENDING_LOGINS}`);
  });
});
