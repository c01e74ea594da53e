// The "lost the live connection" banner both pages show, and the refetch when the stream is
// back (deltas missed while it was down are not replayed into a stale page).
import type { CrierApi } from '../api';
import { byId, h } from './dom';
import type { Store } from '../../common/state';

export function watchConnection(api: Pick<CrierApi, 'onConnection'>, store: Store): void {
  api.onConnection?.((c) => {
    const el = byId('connection');
    el.hidden = c !== 'closed';
    if (c === 'closed') {
      el.replaceChildren(h('strong', { text: 'Lost the live connection to Crier. ' }),
        h('span', { text: 'The server may have stopped or the session expired. Reload the page (use the address `crier serve` printed).' }));
    }
    if (c === 'open' && store.status() !== 'loading') void store.refresh();
  });
}
