// The X account: who Crier posts as, whether it runs dry, whether the credentials are
// really protected, a connection test, and connecting / disconnecting. Both hosts connect with
// OAuth 2.0 through the user's own X app (oauth2-form.ts); the desktop also takes the four
// OAuth 1.0a values in a form, which `crier serve` reads from its environment instead.
import type { AccountState, OAuth1Credentials } from '../../preload/contract';
import type { CrierApi } from '../api';
import { button, h } from '../lib/dom';
import { errorMessage, type Toaster } from '../lib/toast';
import { confirmAction } from './confirm-dialog';
import { field, fieldErrors, input, type FieldView } from './form-field';
import { createOAuth2Form } from './oauth2-form';
import { quotaLines } from '../lib/quota';

export const ENV_VARS = ['CRIER_X_APP_KEY', 'CRIER_X_APP_SECRET', 'CRIER_X_ACCESS_TOKEN', 'CRIER_X_ACCESS_SECRET'] as const;

export interface AccountStatusLine { tone: 'ok' | 'dry' | 'warn'; title: string; detail: string }

/** What the account state means, in words. Pure. */
export function accountLines(a: AccountState, host: 'desktop' | 'headless'): AccountStatusLine[] {
  const out: AccountStatusLine[] = [];
  if (a.connected) {
    out.push({ tone: 'ok', title: a.handle ? `Connected as @${a.handle}` : 'Connected to X',
      detail: `Signed in with ${a.method === 'oauth2' ? 'OAuth 2.0' : 'OAuth 1.0a user keys'}${host === 'headless' && a.method !== 'oauth2' ? ', read from the environment' : ''}.${a.handle ? '' : ' Test connection shows which account.'}` });
    if (a.failure) out.push({ tone: 'warn', title: 'X stopped renewing the sign-in', detail: `${a.failure.message} Posting waits until you reconnect below.` });
    if (a.dryRun) out.push({ tone: 'dry', title: 'Dry run is on', detail: 'Tasks run every step except the post itself. Turn dry run off under Posting to post for real.' });
  } else {
    out.push({ tone: 'dry', title: 'Dry run — no account',
      detail: 'No X account is connected, so Crier runs dry: tasks complete without posting.' });
  }
  if (!a.secretsProtected && (a.connected || host === 'desktop')) {
    out.push({ tone: 'warn', title: 'Stored without OS encryption',
      detail: 'This system offers no keychain Crier can use, so the credentials are saved in a file only obfuscated. Anyone who can read your files can read them.' });
  }
  return out;
}

export interface AccountPanel { update(account: AccountState, redirectPort?: number): void }

export function createAccountPanel(root: HTMLElement, api: CrierApi, toast: Toaster): AccountPanel {
  const statusEl = h('div', { class: 'account-status' });
  const testResult = h('p', { class: 'test-result', attrs: { role: 'status', 'aria-live': 'polite', id: 'test-result' } });
  const testBtn = button('Test connection', () => void test(), { class: 'btn', attrs: { id: 'test-connection' } });
  const connectSlot = h('div', { class: 'account-connect' });
  // X's posting budget, as its last answer to a post stated it (AccountState.quota).
  const quotaList = h('ul', { class: 'quota-lines' });
  const quotaEl = h('section', { class: 'account-quota', attrs: { 'aria-labelledby': 'quota-title', id: 'account-quota', hidden: true } },
    h('h3', { class: 'card-title', text: "X's posting budget", attrs: { id: 'quota-title' } }), quotaList);
  root.replaceChildren(h('div', { class: 'card' }, statusEl, quotaEl,
    h('div', { class: 'account-test' }, testBtn, testResult)), connectSlot);

  async function test(): Promise<void> {
    testBtn.disabled = true;
    testResult.className = 'test-result';
    testResult.textContent = 'Asking X who we are…';
    try {
      const r = await api.testConnection();
      testResult.classList.add(r.ok ? 'test-ok' : 'test-fail');
      testResult.textContent = r.ok ? `Connection OK. ${r.message}` : `Connection failed: ${r.message}`;
    } catch (err) {
      testResult.classList.add('test-fail');
      testResult.textContent = `Connection failed: ${errorMessage(err)}`;
    } finally {
      testBtn.disabled = false;
    }
  }

  // ---- desktop: connect form -----------------------------------------------------------
  const creds: { key: keyof OAuth1Credentials; label: string }[] = [
    { key: 'appKey', label: 'API key (consumer key)' }, { key: 'appSecret', label: 'API key secret' },
    { key: 'accessToken', label: 'Access token' }, { key: 'accessSecret', label: 'Access token secret' },
  ];
  const credViews: Record<string, FieldView> = Object.fromEntries(creds.map((c) => [c.key,
    field({ id: `cred-${c.key}`, label: c.label, control: input(c.key.endsWith('Key') || c.key === 'accessToken' ? 'text' : 'password', { autocomplete: 'off', spellcheck: false }) })]));
  const credErrors = fieldErrors(credViews);
  const connectError = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true } });
  const connectBtn = h('button', { class: 'btn btn-primary', text: 'Connect', attrs: { type: 'submit' } });
  const connectForm = h('form', { class: 'card connect-form', attrs: { novalidate: true, 'aria-labelledby': 'connect-title' } },
    h('h3', { class: 'card-title', text: 'Or connect with OAuth 1.0a keys', attrs: { id: 'connect-title' } }),
    h('p', { class: 'group-description', text: 'Create an app in the X developer console with read and write permission, then paste its OAuth 1.0a keys and your access token. They are kept in the OS keychain where there is one, and never shown again.' }),
    h('div', { class: 'settings-fields' }, ...creds.map((c) => credViews[c.key]?.wrap)),
    connectError,
    h('div', { class: 'form-actions' }, connectBtn));
  connectForm.addEventListener('submit', (e) => { e.preventDefault(); void connect(); });

  async function connect(): Promise<void> {
    credErrors.clear();
    connectError.hidden = true;
    const value = (k: keyof OAuth1Credentials): string => (credViews[k]?.control.value ?? '').trim();
    const missing = Object.fromEntries(creds.filter((c) => value(c.key) === '').map((c) => [c.key, `Enter the ${c.label.toLowerCase()}.`]));
    if (Object.keys(missing).length) { credErrors.show(missing); return; }
    connectBtn.disabled = true;
    try {
      const state = await api.connectX({ appKey: value('appKey'), appSecret: value('appSecret'), accessToken: value('accessToken'), accessSecret: value('accessSecret') });
      for (const v of Object.values(credViews)) v.control.value = '';
      toast.show(state.connected ? `Connected as @${state.handle ?? '?'}.` : 'Saved the credentials.');
    } catch (err) {
      if (!credErrors.showApiError(err)) { connectError.textContent = `Could not connect: ${errorMessage(err)}`; connectError.hidden = false; }
    } finally {
      connectBtn.disabled = false;
    }
  }

  async function disconnect(handle: string | null): Promise<void> {
    const ok = await confirmAction({ title: 'Disconnect the X account?',
      text: `Crier forgets the credentials for @${handle ?? '?'} and runs dry until you connect again. Pending posts wait.`,
      confirmLabel: 'Disconnect', danger: true });
    if (!ok) return;
    try { await api.disconnectX(); toast.show('Disconnected. Crier now runs dry.'); }
    catch (err) { toast.show(`Could not disconnect: ${errorMessage(err)}`, 'error'); }
  }

  const oauth2 = createOAuth2Form(api, toast);
  const envHelp = h('div', { class: 'card env-help' },
    h('h3', { class: 'card-title', text: 'Or OAuth 1.0a keys from the environment' }),
    h('p', { class: 'group-description', text: 'The headless server can also read OAuth 1.0a user keys from its environment; they are never sent through this page. Set these four variables and restart crier serve:' }),
    h('pre', { class: 'env-vars' }, h('code', { text: ENV_VARS.map((v) => `export ${v}=…`).join('\n') + '\nnpx crier serve' })),
    h('p', { class: 'group-description', text: 'Unset them and restart to disconnect.' }));

  let last: string | null = null;
  return {
    update(account, redirectPort) {
      const key = JSON.stringify([account, redirectPort]);
      if (key === last) return;
      last = key;
      statusEl.replaceChildren(...accountLines(account, api.host).map((l) => h('div', { class: `account-line account-${l.tone}` },
        h('span', { class: 'account-dot', attrs: { 'aria-hidden': 'true' } }),
        h('div', {}, h('strong', { class: 'account-title', text: l.title }), h('p', { class: 'account-detail', text: l.detail })))));
      quotaEl.hidden = !account.connected;
      quotaList.replaceChildren(...quotaLines(account.quota, Date.now()).map((line) => h('li', { text: line })));
      oauth2.update(account, redirectPort);
      const disconnectCard = (): HTMLElement => h('div', { class: 'card account-disconnect' },
        h('p', { text: api.host === 'headless' ? 'Disconnecting removes the stored OAuth 2.0 sign-in from this server.' : 'Disconnecting removes the stored credentials from this computer.' }),
        button('Disconnect', () => void disconnect(account.handle), { class: 'btn btn-danger', attrs: { id: 'disconnect' } }));
      // An OAuth 2.0 sign-in X stopped renewing is connected again the same way: Reconnect.
      const failed = account.connected && account.method === 'oauth2' && Boolean(account.failure);
      if (api.host === 'headless') {
        if (!account.connected) connectSlot.replaceChildren(oauth2.element, envHelp);
        else if (account.method === 'oauth2') connectSlot.replaceChildren(...(failed ? [oauth2.element] : []), disconnectCard());
        else connectSlot.replaceChildren(envHelp);
        return;
      }
      if (failed) connectSlot.replaceChildren(oauth2.element, disconnectCard());
      else if (account.connected) connectSlot.replaceChildren(disconnectCard());
      else connectSlot.replaceChildren(oauth2.element, connectForm);
    },
  };
}
