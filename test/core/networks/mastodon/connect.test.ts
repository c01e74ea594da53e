import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMastodon, MastodonConnectError } from '../../../../main/core/networks/mastodon/connect';
import { InstanceUrlError, parseInstanceUrl } from '../../../../main/core/networks/mastodon/instance-url';
import { silentLogger } from '../../../../main/core/ports';
import { startFakeMastodon, type FakeMastodon } from '../../../support/fake-mastodon';

describe('parseInstanceUrl', () => {
  it.each([
    ['mastodon.social', 'https://mastodon.social'],
    ['https://fosstodon.org/', 'https://fosstodon.org'],
    ['  HTTPS://Mastodon.Social  ', 'https://mastodon.social'],
    ['https://social.example:8443', 'https://social.example:8443'],
  ])('reduces %s to its origin %s', (typed, origin) => {
    expect(parseInstanceUrl(typed)).toBe(origin);
  });

  it.each([
    ['', /Enter the address of your Mastodon instance/],
    ['http://mastodon.social', /must start with https:\/\//],
    ['ftp://mastodon.social', /must start with https:\/\//],
    ['@me@mastodon.social', /is an account, not an instance address.*https:\/\/mastodon\.social/],
    ['https://mastodon.social/@me', /without a path: https:\/\/mastodon\.social rather than/],
    ['https://user:pw@mastodon.social', /must not contain a user name or password/],
    ['https://mastodon', /not a full host name/],
    ['http://127.0.0.1:3000', /must start with https:\/\//],
    ['https://exa mple.com', /is not a web address/],
  ])('refuses %j in a sentence', (typed, message) => {
    expect(() => parseInstanceUrl(typed)).toThrow(InstanceUrlError);
    expect(() => parseInstanceUrl(typed)).toThrow(message);
  });

  it('lets plain http through for loopback only when a test asks', () => {
    expect(parseInstanceUrl('http://127.0.0.1:3000', { allowLoopbackHttp: true })).toBe('http://127.0.0.1:3000');
    expect(() => parseInstanceUrl('http://10.0.0.1:3000', { allowLoopbackHttp: true })).toThrow(/https/);
  });
});

describe('connectMastodon', () => {
  let mastodon: FakeMastodon;
  beforeEach(async () => { mastodon = await startFakeMastodon(); });
  afterEach(async () => { await mastodon.close(); });

  async function refusal(promise: Promise<unknown>): Promise<MastodonConnectError> {
    const err: unknown = await promise.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MastodonConnectError);
    return err as MastodonConnectError;
  }

  it('connects with a good token and answers the account', async () => {
    const { account, destination } = await connectMastodon({ instanceUrl: mastodon.url, accessToken: mastodon.token, log: silentLogger, allowLoopbackHttp: true });
    expect(account.handle).toBe(`crier@${new URL(mastodon.url).host}`);
    expect(destination.network).toBe('mastodon');
  });

  it('says the instance refused the token, naming the scopes, without the token', async () => {
    const err = await refusal(connectMastodon({ instanceUrl: mastodon.url, accessToken: 'not-the-token-9f8e7d', log: silentLogger, allowLoopbackHttp: true }));
    expect(err.reason).toBe('token');
    expect(err.message).toContain('did not accept the access token');
    expect(err.message).toContain('write:statuses');
    expect(err.message).not.toContain('not-the-token-9f8e7d');
  });

  it('refuses a bad address before any request', async () => {
    const err = await refusal(connectMastodon({ instanceUrl: 'http://mastodon.social', accessToken: 't', log: silentLogger }));
    expect(err.reason).toBe('instance-url');
    expect(mastodon.requests).toHaveLength(0);
  });

  it('refuses an empty token', async () => {
    expect((await refusal(connectMastodon({ instanceUrl: mastodon.url, accessToken: ' ', log: silentLogger, allowLoopbackHttp: true }))).reason).toBe('token');
  });

  it('says when the address answers like no Mastodon instance', async () => {
    mastodon.inject({ type: 'status', status: 404, error: 'Not Found' }, { path: '/api/v1/accounts/verify_credentials' });
    const err = await refusal(connectMastodon({ instanceUrl: mastodon.url, accessToken: mastodon.token, log: silentLogger, allowLoopbackHttp: true }));
    expect(err.reason).toBe('not-mastodon');
  });

  it('says when the instance cannot be reached', async () => {
    const url = mastodon.url;
    await mastodon.close();
    const err = await refusal(connectMastodon({ instanceUrl: url, accessToken: 't-123456', log: silentLogger, allowLoopbackHttp: true }));
    expect(err.reason).toBe('unreachable');
    expect(err.message).toMatch(/^Cannot reach 127\.0\.0\.1:\d+: Cannot connect/);
    mastodon = await startFakeMastodon();
  });
});
