// Over real HTTPS: Node's fetch (under masto) takes no CA per request, so this file — its own
// process in the forks pool — adds the fake's certificate to the process's default CAs, as
// NODE_EXTRA_CA_CERTS does for a child process.
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMastodonDestination } from '../../../../main/core/networks/mastodon/client';
import { silentLogger } from '../../../../main/core/ports';
import { startFakeMastodon, type FakeMastodon } from '../../../support/fake-mastodon';

let mastodon: FakeMastodon;

beforeAll(async () => {
  mastodon = await startFakeMastodon({ tls: true });
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), mastodon.caPem ?? '']);
});

afterAll(async () => {
  await mastodon.close();
});

it('posts to an https instance without any loopback allowance, the key on the wire', async () => {
  expect(mastodon.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const destination = createMastodonDestination({ instanceUrl: mastodon.url, accessToken: mastodon.token, log: silentLogger });
  const first = await destination.post({ text: 'Over TLS', imageUrl: null, key: 'tls-1' });
  const again = await destination.post({ text: 'Over TLS', imageUrl: null, key: 'tls-1' });
  expect(again.postId).toBe(first.postId);
  expect(mastodon.live()).toHaveLength(1);
});
