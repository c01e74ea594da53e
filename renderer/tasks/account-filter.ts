// The per-account view (several accounts, issue 16): a <select> of the accounts, each with its
// queue's counts, shown once there is more than one account.
import type { AccountState, QueueState } from '../../preload/contract';
import { h } from '../lib/dom';
import { accountLabel } from '../lib/account-label';

export interface AccountOption { value: string; label: string }

/** "All accounts", then each account, the default one first, with its waiting and failed counts. Pure. */
export function accountOptions(accounts: readonly AccountState[], queues: Readonly<Record<string, QueueState>>): AccountOption[] {
  return [{ value: '', label: 'All accounts' }, ...accounts.map((a) => {
    const id = a.id ?? 'default';
    const counts = queues[id]?.counts;
    const parts = counts ? [counts.pending > 0 ? `${counts.pending.toLocaleString()} pending` : '', counts.failed > 0 ? `${counts.failed.toLocaleString()} failed` : ''].filter(Boolean) : [];
    return { value: id, label: parts.length > 0 ? `${accountLabel(a)} (${parts.join(' · ')})` : accountLabel(a) };
  })];
}

export interface AccountFilter {
  /** Rebuilds the options; keeps `current` chosen (or all accounts when it is gone). */
  update(accounts: readonly AccountState[], queues: Readonly<Record<string, QueueState>>, current: string): string;
}

export function createAccountFilter(select: HTMLSelectElement, onSelect: (accountId: string) => void): AccountFilter {
  let last = '';
  select.addEventListener('change', () => onSelect(select.value));
  return {
    update(accounts, queues, current) {
      const options = accountOptions(accounts, queues);
      const key = JSON.stringify(options);
      if (key !== last) {
        last = key;
        select.replaceChildren(...options.map((o) => h('option', { text: o.label, attrs: { value: o.value } })));
      }
      const chosen = accounts.some((a) => (a.id ?? 'default') === current) ? current : '';
      if (select.value !== chosen) select.value = chosen;
      select.closest('.account-select')?.toggleAttribute('hidden', accounts.length < 2 && chosen === '');
      return chosen;
    },
  };
}
