// How the pages name an account: its handle, or what is known of it.
import type { AccountState } from '../../preload/contract';

const NETWORK_NAMES = { bluesky: 'Bluesky', mastodon: 'Mastodon' } as const;

export function accountLabel(account: AccountState): string {
  const network = account.network === 'bluesky' || account.network === 'mastodon' ? ` (${NETWORK_NAMES[account.network]})` : '';
  if (account.handle) return `@${account.handle}${network}`;
  if ((account.id ?? 'default') === 'default') return account.connected ? 'The first account' : 'The first account (no account: dry run)';
  return account.connected ? `An account${network} (handle not known yet)` : `A disconnected account${network}`;
}
