// The header's account chips, the same on both pages: dry run, and who Crier posts as — or that
// X refused the credentials, which the banner explains.
import type { StateSnapshot } from '../../preload/contract';
import { h } from './dom';

export function accountChips(state: Pick<StateSnapshot, 'account' | 'queue'>, whereToTest: string): HTMLElement[] {
  const { account, queue } = state;
  const chips: HTMLElement[] = [];
  if (account.dryRun) chips.push(h('span', { class: 'chip chip-dry', text: 'DRY RUN', attrs: { title: 'Nothing is posted to X' } }));
  if (!account.connected) {
    chips.push(h('span', { class: 'chip chip-warn', text: 'No X account', attrs: { title: 'Connect an account to post' } }));
  } else if (queue.pauseReason === 'auth') {
    chips.push(h('span', { class: 'chip chip-warn', text: 'X refused the credentials', attrs: { title: 'Posting is paused until the account is reconnected' } }));
  } else {
    chips.push(h('span', { class: 'chip chip-ok', text: account.handle ? `@${account.handle}` : 'X connected',
      attrs: { title: account.handle ? 'Posting as this X account' : `Posting to X; Test connection ${whereToTest} names the account` } }));
  }
  return chips;
}
