// How the pages name an account: its handle, or what is known of it.
import type { AccountState } from '../../preload/contract';

export function accountLabel(account: AccountState): string {
  if (account.handle) return `@${account.handle}`;
  if ((account.id ?? 'default') === 'default') return account.connected ? 'The first account' : 'The first account (no account: dry run)';
  return account.connected ? 'An account (handle not known yet)' : 'A disconnected account';
}
