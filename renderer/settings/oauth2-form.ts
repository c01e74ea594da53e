// "Connect with X (OAuth 2.0)": the user's own app (client id, and secret for a confidential app),
// the callback URL to register in it with a Copy button, and Connect. The desktop opens the system
// browser on X's page and this page follows the account state; in a browser against `crier serve`
// the page goes to X's page itself and comes back to Settings through the server's callback.
import type { AccountState } from '../../preload/contract';
import type { CrierApi } from '../api';
import { button, h } from '../lib/dom';
import { errorMessage, type Toaster } from '../lib/toast';
import { pageClipboard } from '../tasks/row-copy';
import { field, fieldErrors, input } from './form-field';

/** The desktop's default loopback port (main/core/x/oauth2/app-input.ts), when the settings name none. */
export const DEFAULT_REDIRECT_PORT = 8917;
export const CALLBACK_PATH = '/oauth2/callback';

/** The callback URL X must have registered, exactly: the server's own origin headless, the loopback port on the desktop. */
export function redirectUriFor(host: 'desktop' | 'headless', origin: string, port: number | undefined): string {
  return host === 'headless' ? `${origin}${CALLBACK_PATH}` : `http://127.0.0.1:${port ?? DEFAULT_REDIRECT_PORT}${CALLBACK_PATH}`;
}

export interface OAuth2Form {
  element: HTMLElement;
  /** Says "Connect" or "Reconnect", and the callback URL for this port. */
  update(account: AccountState, redirectPort: number | undefined): void;
}

export interface OAuth2FormPorts {
  /** Goes to X's page (headless): location.assign by default. */
  navigate?(url: string): void;
  origin?: string;
  /** Whom the login is for (absent: the default account): a new account beside it, or another one to connect again. */
  target?(): { addAccount?: boolean; accountId?: string };
  /** Before every element id, so a second form on the page (adding an account) has ids of its own. */
  idPrefix?: string;
  /** The form's heading when it connects an account other than the default one. */
  title?: string;
}

export function createOAuth2Form(api: CrierApi, toast: Toaster, ports: OAuth2FormPorts = {}): OAuth2Form {
  const navigate = ports.navigate ?? ((url: string) => { location.assign(url); });
  const origin = ports.origin ?? location.origin;
  const pre = ports.idPrefix ?? '';
  const clientId = field({ id: `${pre}oauth2-client-id`, label: 'Client ID', control: input('text', { autocomplete: 'off', spellcheck: false }),
    help: 'From the app\'s Keys and tokens page, under OAuth 2.0 Client ID and Client Secret.' });
  const clientSecret = field({ id: `${pre}oauth2-client-secret`, label: 'Client secret (optional)', control: input('password', { autocomplete: 'off', spellcheck: false }),
    help: 'Only for a confidential app (Web App, Automated App or Bot). Leave it blank for a public app (Native App).' });
  // Desktop only: the loopback port, a setting (X needs the very URL registered), saved on Connect.
  const portField = field({ id: `${pre}oauth2-redirect-port`, label: 'Redirect port', control: input('number', { min: 1024, max: 65535, step: 1, inputmode: 'numeric' }),
    help: 'Change it only if another program uses this port; register the new callback URL in the app too.' });
  portField.control.name = 'oauth2RedirectPort';
  let savedPort: number | undefined;
  const portValue = (): number | undefined => (portField.control.value.trim() === '' ? undefined : Number(portField.control.value));
  portField.control.addEventListener('input', () => { redirectCode.textContent = redirectUriFor(api.host, origin, portValue() ?? savedPort); });
  const errors = fieldErrors({ clientId, clientSecret, oauth2RedirectPort: portField });
  const redirectCode = h('code', { class: 'oauth2-redirect', attrs: { id: `${pre}oauth2-redirect` } });
  const copyBtn = button('Copy', () => void copy(), { class: 'btn btn-small', attrs: { id: `${pre}oauth2-copy`, type: 'button', 'aria-label': 'Copy the callback URL' } });
  const status = h('p', { class: 'oauth2-status', attrs: { role: 'status', 'aria-live': 'polite', id: `${pre}oauth2-status` } });
  const formError = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true, id: `${pre}oauth2-error` } });
  const title = h('h3', { class: 'card-title', text: 'Connect with X (OAuth 2.0)', attrs: { id: `${pre}oauth2-title` } });
  const connectBtn = h('button', { class: 'btn btn-primary', text: 'Connect with X', attrs: { type: 'submit', id: `${pre}oauth2-connect` } });
  const form = h('form', { class: 'card oauth2-form', attrs: { novalidate: true, 'aria-labelledby': `${pre}oauth2-title` } },
    title,
    h('p', { class: 'group-description', text: 'Use your own app from the X developer console: X bills each post to the app that sends it, and Crier ships no client id of its own. In the app\'s User authentication settings, give it Read and write permission and register this callback URL exactly:' }),
    h('div', { class: 'oauth2-callback' }, redirectCode, copyBtn),
    api.host === 'headless'
      ? h('p', { class: 'field-help', text: 'Run crier serve with a fixed --port (this URL follows it) and CRIER_SECRET_KEY set: the sign-in is kept in a file encrypted with that key.' })
      : null,
    h('div', { class: 'settings-fields' }, clientId.wrap, clientSecret.wrap, api.host === 'desktop' ? portField.wrap : null),
    formError,
    h('div', { class: 'form-actions' }, connectBtn),
    status);
  form.addEventListener('submit', (e) => { e.preventDefault(); void connect(); });

  async function copy(): Promise<void> {
    const text = redirectCode.textContent ?? '';
    try {
      await pageClipboard(text);
      toast.show('Copied the callback URL.');
    } catch {
      window.getSelection()?.selectAllChildren(redirectCode);
      toast.show('Could not copy by itself: the URL is selected — press Ctrl+C (⌘C on a Mac) to copy it.', 'error');
    }
  }

  async function connect(): Promise<void> {
    errors.clear();
    formError.hidden = true;
    const id = clientId.control.value.trim();
    if (id === '') { errors.show({ clientId: 'Enter the OAuth 2.0 client id.' }); return; }
    const secret = clientSecret.control.value.trim();
    connectBtn.disabled = true;
    status.textContent = 'Opening X…';
    try {
      const port = portValue();
      if (api.host === 'desktop' && port !== undefined && port !== (savedPort ?? DEFAULT_REDIRECT_PORT)) {
        savedPort = (await api.updateSettings({ oauth2RedirectPort: port })).oauth2RedirectPort;
      }
      const started = await api.startXOAuth2({ clientId: id, ...(secret === '' ? {} : { clientSecret: secret }), ...ports.target?.() });
      clientSecret.control.value = '';
      if (api.host === 'headless') {
        status.textContent = 'Going to X to sign in…';
        navigate(started.url);
        return;
      }
      status.textContent = 'Sign in on X in your browser and allow Crier. This page shows the account once X sends you back.';
    } catch (err) {
      status.textContent = '';
      if (!errors.showApiError(err)) { formError.textContent = `Could not start connecting: ${errorMessage(err)}`; formError.hidden = false; }
    } finally {
      connectBtn.disabled = false;
    }
  }

  return {
    element: form,
    update(account, redirectPort) {
      savedPort = redirectPort;
      // Not while the user is typing a new one.
      if (document.activeElement !== portField.control) portField.control.value = String(redirectPort ?? DEFAULT_REDIRECT_PORT);
      redirectCode.textContent = redirectUriFor(api.host, origin, api.host === 'desktop' ? portValue() ?? redirectPort : redirectPort);
      const reconnect = account.method === 'oauth2';
      title.textContent = ports.title ?? (reconnect ? 'Reconnect with X (OAuth 2.0)' : 'Connect with X (OAuth 2.0)');
      connectBtn.textContent = reconnect ? 'Reconnect' : 'Connect with X';
      if (account.connected && !account.failure) status.textContent = '';
    },
  };
}
