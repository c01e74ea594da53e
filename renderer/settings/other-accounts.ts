// The accounts beside the first one (several accounts, issue 16): each with who it is, whether it
// posts, its own pause, a connection test, Reconnect and Disconnect (which says first how many
// waiting posts it cancels); and "Add another X account", an OAuth 2.0 sign-in through the user's
// own X app, like the first account's.
import type { AccountState, QueueState } from '../../preload/contract';
import type { CrierApi } from '../api';
import { button, h } from '../lib/dom';
import { errorMessage, type Toaster } from '../lib/toast';
import { confirmAction } from './confirm-dialog';
import { accountLabel } from '../lib/account-label';
import { createOAuth2Form } from './oauth2-form';
import { blueskyForm, mastodonForm } from './network-forms';

export interface OtherAccountsPanel {
  update(accounts: readonly AccountState[], queues: Readonly<Record<string, QueueState>>, redirectPort: number | undefined, dryRunAccounts?: readonly string[]): void;
}

/** What an account's line says about it, in words. Pure. */
export function otherAccountStatus(account: AccountState, queue: QueueState | undefined): string {
  if (!account.connected) return 'Not connected: its new posts wait until it is connected again.';
  if (account.failure) return `X stopped renewing the sign-in: ${account.failure.message}`;
  if (queue?.paused) return queue.pauseReason === 'user' ? 'Paused.' : 'Paused by X’s answer; it resumes by itself when it can.';
  const today = queue ? ` ${queue.postedToday} of ${queue.dailyCap} posts today.` : '';
  return `${account.dryRun ? 'Dry run: tasks complete without posting.' : 'Posting.'}${today}`;
}

/** How many of an account's tasks wait to be posted (pending or in review): what Disconnect cancels. */
export function waitingCount(queue: QueueState | undefined): number {
  return queue ? queue.counts.pending + (queue.counts.review ?? 0) : 0;
}

export function createOtherAccountsPanel(root: HTMLElement, api: CrierApi, toast: Toaster): OtherAccountsPanel {
  const list = h('ul', { class: 'other-accounts', attrs: { 'aria-label': 'Other accounts', id: 'other-accounts' } });
  /** The account a "Connect again" asked for; null: a new account. */
  let reconnecting: string | null = null;
  const form = createOAuth2Form(api, toast, {
    idPrefix: 'add-',
    title: 'Add another X account (OAuth 2.0)',
    target: () => (reconnecting === null ? { addAccount: true } : { accountId: reconnecting }),
  });
  // In the page only once asked for: one sign-in form at a time is what a reader (and a screen reader) expects.
  const formSlot = h('div', { class: 'add-account-form' });
  const addBtn = button('Add another X account', () => openForm(null), { class: 'btn', attrs: { id: 'add-account' } });
  const closeForm = (): void => { formSlot.replaceChildren(); };
  /** The Bluesky or Mastodon account a form connects again; null: a new one. */
  let networkAgain: string | null = null;
  const bluesky = blueskyForm(api, toast, closeForm, () => networkAgain);
  const mastodon = mastodonForm(api, toast, closeForm, () => networkAgain);
  const open = (shown: HTMLElement): void => {
    formSlot.replaceChildren(shown);
    shown.querySelector<HTMLInputElement>('input')?.focus();
  };
  const openNetwork = (network: 'bluesky' | 'mastodon', again: string | null): void => {
    networkAgain = again;
    open(network === 'bluesky' ? bluesky.element : mastodon.element);
  };
  const addBlueskyBtn = button('Add a Bluesky account', () => openNetwork('bluesky', null), { class: 'btn', attrs: { id: 'add-bluesky' } });
  const addMastodonBtn = button('Add a Mastodon account', () => openNetwork('mastodon', null), { class: 'btn', attrs: { id: 'add-mastodon' } });
  const card = h('div', { class: 'card', attrs: { id: 'other-accounts-card' } },
    h('h3', { class: 'card-title', text: 'Other accounts' }),
    h('p', { class: 'group-description', text: 'Each feed posts to the accounts ticked under “Post to” in its settings: one post per item on each, each account at its own pace, with its own daily cap and pauses. Other X accounts sign in with OAuth 2.0; Bluesky and Mastodon accounts too, and cost nothing to post to.' }),
    list,
    h('div', { class: 'form-actions' }, addBtn, addBlueskyBtn, addMastodonBtn));
  root.replaceChildren(card, formSlot);

  function openForm(accountId: string | null): void {
    reconnecting = accountId;
    open(form.element);
  }

  async function disconnect(account: AccountState, queue: QueueState | undefined): Promise<void> {
    const waiting = waitingCount(queue);
    const ok = await confirmAction({
      title: `Disconnect ${accountLabel(account)}?`,
      text: `Crier forgets its sign-in. ${waiting === 0 ? 'No post waits for it.' : `Its ${waiting === 1 ? 'one post' : `${waiting.toLocaleString('en-US')} posts`} waiting to go out ${waiting === 1 ? 'is' : 'are'} cancelled (Retry brings them back once it is connected again).`} Its history stays.`,
      confirmLabel: 'Disconnect', danger: true,
    });
    if (!ok) return;
    try { await api.disconnectX(account.id); toast.show(`Disconnected ${accountLabel(account)}.`); }
    catch (err) { toast.show(`Could not disconnect: ${errorMessage(err)}`, 'error'); }
  }

  async function test(account: AccountState): Promise<void> {
    try {
      const r = await api.testConnection(account.id);
      toast.show(r.ok ? `Connection OK. ${r.message}` : `Connection failed: ${r.message}`, r.ok ? 'info' : 'error');
    } catch (err) { toast.show(`Connection failed: ${errorMessage(err)}`, 'error'); }
  }

  let last: string | null = null;
  let connectedOthers = -1;
  let dryIds: readonly string[] = [];

  async function setDry(id: string, on: boolean): Promise<void> {
    const next = on ? [...new Set([...dryIds, id])] : dryIds.filter((x) => x !== id);
    try { await api.updateSettings({ dryRunAccounts: next }); }
    catch (err) { toast.show(`Could not change dry run: ${errorMessage(err)}`, 'error'); }
  }
  return {
    update(accounts, queues, redirectPort, dryRunAccounts = []) {
      dryIds = dryRunAccounts;
      form.update({ connected: false, handle: null, method: null, dryRun: true, secretsProtected: true }, redirectPort);
      const others = accounts.filter((a) => (a.id ?? 'default') !== 'default');
      // A sign-in that just finished (an account came, or one came back) closes its form.
      const connectedNow = others.filter((a) => a.connected && !a.failure).length;
      if (connectedOthers >= 0 && connectedNow > connectedOthers) formSlot.replaceChildren();
      connectedOthers = connectedNow;
      const key = JSON.stringify([others.map((a) => [a, queues[a.id ?? '']]), dryRunAccounts]);
      if (key === last) return;
      last = key;
      list.replaceChildren(...others.map((account) => {
        const id = account.id ?? '';
        const queue = queues[id];
        const paused = queue?.paused === true;
        const dryBox = h('input', { attrs: { type: 'checkbox', id: `dry-${id}` } });
        dryBox.checked = dryRunAccounts.includes(id);
        dryBox.addEventListener('change', () => void setDry(id, dryBox.checked));
        return h('li', { class: 'other-account', dataset: { accountId: id } },
          h('div', { class: 'other-account-who' },
            h('strong', { text: accountLabel(account) }),
            h('p', { class: 'account-detail', text: otherAccountStatus(account, queue) })),
          h('div', { class: 'other-account-actions' },
            account.connected ? h('label', { class: 'account-choice', attrs: { for: `dry-${id}`, title: 'Tasks of this account complete without posting' } }, dryBox, h('span', { text: 'Dry run' })) : null,
            account.connected ? button('Test', () => void test(account), { class: 'btn btn-small' }) : null,
            account.connected
              ? button(paused ? 'Resume' : 'Pause', () => void (paused ? api.resume(id) : api.pause(id)).catch((err: unknown) => toast.show(errorMessage(err), 'error')), { class: 'btn btn-small', dataset: { action: paused ? 'resume' : 'pause' } })
              : null,
            !account.connected || account.failure || paused && queue?.pauseReason === 'auth'
              ? button('Connect again', () => {
                const network = account.network ?? (id.startsWith('bsky-') ? 'bluesky' : id.startsWith('masto-') ? 'mastodon' : 'x');
                if (network === 'x') openForm(id);
                else openNetwork(network, id);
              }, { class: 'btn btn-small btn-primary', dataset: { action: 'reconnect' } })
              : null,
            account.connected ? button('Disconnect', () => void disconnect(account, queue), { class: 'btn btn-small btn-danger', dataset: { action: 'disconnect' } }) : null));
      }));
      list.hidden = others.length === 0;
    },
  };
}
