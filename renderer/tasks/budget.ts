// The header's compact "X budget: 98": the fewest posts X's current limits leave (lib/quota.ts),
// with every limit in its title. Absent until X has said anything that still holds.
import type { AccountState } from '../../preload/contract';
import { h } from '../lib/dom';
import { budgetLeft, quotaLines } from '../lib/quota';

export function budgetChip(account: AccountState, now: number): HTMLElement | null {
  if (!account.connected) return null;
  const left = budgetLeft(account.quota, now);
  if (left === null) return null;
  return h('span', { class: 'chip chip-spend', text: `X budget: ${left.toLocaleString('en-US')}`,
    attrs: { id: 'x-budget', title: `Posts X still allows. ${quotaLines(account.quota, now).join('. ')}.` } });
}
