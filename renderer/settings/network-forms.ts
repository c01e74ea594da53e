// "Add a Bluesky account" and "Add a Mastodon account" (issue 18): the few values each network
// needs, sent once to sign in; the secrets are kept encrypted by Crier and never shown again.
import type { AccountState } from '../../preload/contract';
import type { CrierApi } from '../api';
import { h } from '../lib/dom';
import { accountLabel } from '../lib/account-label';
import { errorMessage, type Toaster } from '../lib/toast';
import { field, fieldErrors, input, type FieldView } from './form-field';

interface NetworkForm { element: HTMLElement }

function networkForm(o: {
  id: string; title: string; intro: string; fields: Record<string, FieldView>; submitLabel: string;
  submit(values: Record<string, string>): Promise<AccountState>; toast: Toaster; done(): void;
}): NetworkForm {
  const errors = fieldErrors(o.fields);
  const formError = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true } });
  const submitBtn = h('button', { class: 'btn btn-primary', text: o.submitLabel, attrs: { type: 'submit', id: `${o.id}-connect` } });
  const form = h('form', { class: 'card network-form', attrs: { novalidate: true, 'aria-labelledby': `${o.id}-title`, id: o.id } },
    h('h3', { class: 'card-title', text: o.title, attrs: { id: `${o.id}-title` } }),
    h('p', { class: 'group-description', text: o.intro }),
    h('div', { class: 'settings-fields' }, ...Object.values(o.fields).map((f) => f.wrap)),
    formError,
    h('div', { class: 'form-actions' }, submitBtn));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      errors.clear();
      formError.hidden = true;
      const values = Object.fromEntries(Object.entries(o.fields).map(([k, f]) => [k, f.control.value.trim()]));
      submitBtn.disabled = true;
      try {
        const account = await o.submit(values);
        for (const f of Object.values(o.fields)) f.control.value = '';
        o.toast.show(`Connected ${accountLabel(account)}.`);
        o.done();
      } catch (err) {
        if (!errors.showApiError(err)) { formError.textContent = `Could not connect: ${errorMessage(err)}`; formError.hidden = false; }
      } finally {
        submitBtn.disabled = false;
      }
    })();
  });
  return { element: form };
}

/** `target()`: the account to connect again, or null for a new one. */
export function blueskyForm(api: CrierApi, toast: Toaster, done: () => void, target: () => string | null = () => null): NetworkForm {
  return networkForm({
    id: 'bluesky-form', title: 'Add a Bluesky account', submitLabel: 'Connect Bluesky', toast, done,
    intro: 'Use an app password, never your account password: in Bluesky, Settings → Privacy and security → App passwords → Add. Crier keeps it encrypted; posting on Bluesky costs nothing.',
    fields: {
      identifier: field({ id: 'bluesky-identifier', label: 'Handle or email', control: input('text', { autocomplete: 'off', spellcheck: false, placeholder: 'you.bsky.social' }) }),
      appPassword: field({ id: 'bluesky-app-password', label: 'App password', control: input('password', { autocomplete: 'off', spellcheck: false, placeholder: 'xxxx-xxxx-xxxx-xxxx' }) }),
      service: field({ id: 'bluesky-service', label: 'Server (optional)', control: input('url', { autocomplete: 'off', spellcheck: false, placeholder: 'https://bsky.social' }),
        help: 'Only for an account on its own server (PDS); leave it blank otherwise.' }),
    },
    submit: (v) => {
      const again = target();
      return api.connectBluesky({ identifier: v.identifier ?? '', appPassword: v.appPassword ?? '', ...(v.service ? { service: v.service } : {}), ...(again ? { accountId: again } : {}) });
    },
  });
}

export function mastodonForm(api: CrierApi, toast: Toaster, done: () => void, target: () => string | null = () => null): NetworkForm {
  return networkForm({
    id: 'mastodon-form', title: 'Add a Mastodon account', submitLabel: 'Connect Mastodon', toast, done,
    intro: 'On your instance, Preferences → Development → New application, with the scopes read:accounts, read:statuses, write:statuses and write:media; paste its access token here. Crier keeps it encrypted; posting on Mastodon costs nothing.',
    fields: {
      instanceUrl: field({ id: 'mastodon-instance', label: 'Instance', control: input('url', { autocomplete: 'off', spellcheck: false, placeholder: 'https://mastodon.social' }) }),
      accessToken: field({ id: 'mastodon-token', label: 'Access token', control: input('password', { autocomplete: 'off', spellcheck: false }) }),
    },
    submit: (v) => {
      const again = target();
      return api.connectMastodon({ instanceUrl: v.instanceUrl ?? '', accessToken: v.accessToken ?? '', ...(again ? { accountId: again } : {}) });
    },
  });
}
