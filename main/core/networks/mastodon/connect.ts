// Connecting a Mastodon account: the instance address checked, the token tried once through
// verify_credentials, and every refusal said in a sentence for the settings page (never the token).
import { XError } from '../../x/types';
import { createMastodonDestination, type MastodonAccount, type MastodonDestination, type MastodonOptions } from './client';
import { InstanceUrlError } from './instance-url';

/** The scopes Crier's token needs: who the account is, its statuses (for a post in doubt), posting and images. */
export const MASTODON_SCOPES = ['read:accounts', 'read:statuses', 'write:statuses', 'write:media'] as const;

export class MastodonConnectError extends Error {
  override name = 'MastodonConnectError';
  constructor(message: string, readonly reason: 'instance-url' | 'token' | 'unreachable' | 'not-mastodon' | 'other') {
    super(message);
  }
}

export interface MastodonConnection {
  destination: MastodonDestination;
  account: MastodonAccount;
}

/** Rejects with MastodonConnectError only. */
export async function connectMastodon(options: MastodonOptions): Promise<MastodonConnection> {
  if (options.accessToken.trim() === '') {
    throw new MastodonConnectError('Paste the access token from your instance (Preferences → Development → your application).', 'token');
  }
  let destination: MastodonDestination;
  try {
    destination = createMastodonDestination(options);
  } catch (err) {
    if (err instanceof InstanceUrlError) throw new MastodonConnectError(err.message, 'instance-url');
    throw err;
  }
  const host = new URL(destination.instance).host;
  try {
    return { destination, account: await destination.verify() };
  } catch (err) {
    const failure = err instanceof XError ? err.failure : { kind: 'unknown' as const, message: 'Unexpected error.' };
    if (failure.kind === 'auth') {
      throw new MastodonConnectError(
        `${host} did not accept the access token (${failure.message}). Create a token with the scopes ${MASTODON_SCOPES.join(', ')} and paste it again.`,
        'token',
      );
    }
    if (failure.kind === 'offline' || failure.kind === 'network') {
      throw new MastodonConnectError(`Cannot reach ${host}: ${failure.message}`, 'unreachable');
    }
    if (failure.httpStatus === 404 || failure.httpStatus === 410) {
      throw new MastodonConnectError(`${destination.instance} does not look like a Mastodon instance (its API answered ${failure.httpStatus}).`, 'not-mastodon');
    }
    throw new MastodonConnectError(`${host} could not check the account: ${failure.message}`, 'other');
  }
}
