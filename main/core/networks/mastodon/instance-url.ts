// The instance URL a person types ("mastodon.social", "https://fosstodon.org/", "@me@host" is
// not one) checked and reduced to its origin. HTTPS only: the access token travels in every
// request. Plain http is let through for loopback addresses when a test asks, never by a setting.

export class InstanceUrlError extends Error {
  override name = 'InstanceUrlError';
}

export interface InstanceUrlOptions {
  /** Lets http://127.0.0.1, http://[::1] and http://localhost through: tests only. */
  allowLoopbackHttp?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The instance's origin ("https://host[:port]"); throws InstanceUrlError with a sentence for people. */
export function parseInstanceUrl(raw: string, options: InstanceUrlOptions = {}): string {
  const typed = raw.trim();
  if (typed === '') throw new InstanceUrlError('Enter the address of your Mastodon instance, e.g. https://mastodon.social.');
  if (/^@?[^@\s/]+@[^@\s/]+$/.test(typed)) {
    throw new InstanceUrlError(`"${typed}" is an account, not an instance address: enter the part after the second @, e.g. https://${typed.split('@').pop() ?? ''}.`);
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InstanceUrlError(`"${typed}" is not a web address. Enter your instance's address, e.g. https://mastodon.social.`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && !(loopback && options.allowLoopbackHttp === true)) {
    throw new InstanceUrlError('The instance address must start with https:// (the access token must not travel unencrypted).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InstanceUrlError(`The instance address must start with https://, not ${url.protocol}//.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InstanceUrlError('The instance address must not contain a user name or password.');
  }
  if (!loopback && !url.hostname.includes('.')) {
    throw new InstanceUrlError(`"${url.hostname}" is not a full host name; enter the instance's address, e.g. https://mastodon.social.`);
  }
  if (url.pathname !== '/' && url.pathname !== '' ) {
    // The API lives at the host's root; a path (a profile link, /web/home) is almost always a paste.
    throw new InstanceUrlError(`Enter the instance's address without a path: ${url.origin} rather than ${url.origin}${url.pathname}.`);
  }
  return url.origin;
}
