// The fake's own rules, checked with plain fetch: a fake that let a wrong client through would
// prove nothing.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startFakeMastodon, type FakeMastodon } from '../../../support/fake-mastodon';

let mastodon: FakeMastodon;
let now: number;

beforeEach(async () => {
  now = Date.parse('2026-12-01T12:00:00Z');
  mastodon = await startFakeMastodon({ now: () => now });
});
afterEach(async () => { await mastodon.close(); });

function post(text: string, key: string | null, token = mastodon.token): Promise<Response> {
  return fetch(`${mastodon.url}/api/v1/statuses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ status: text }),
  });
}

it('refuses every API route without the Bearer token, in Mastodon\'s words', async () => {
  const answer = await fetch(`${mastodon.url}/api/v1/accounts/verify_credentials`);
  expect(answer.status).toBe(401);
  expect(await answer.json()).toEqual({ error: 'The access token is invalid' });
  expect((await post('x', null, 'other')).status).toBe(401);
  expect(mastodon.statuses).toHaveLength(0);
});

it('answers the first status to the same key within the window, and makes a new one after it', async () => {
  const first = (await (await post('one', 'k1')).json()) as { id: string };
  now += 59 * 60_000;
  const again = (await (await post('one, edited', 'k1')).json()) as { id: string };
  expect(again.id).toBe(first.id);
  now += 2 * 60_000;
  const after = (await (await post('one', 'k1')).json()) as { id: string };
  expect(after.id).not.toBe(first.id);
  expect(mastodon.live()).toHaveLength(2);
});

it('shows HTML content while the source keeps the text as posted', async () => {
  const { id, content } = (await (await post('a < b\nhttps://example.com', null)).json()) as { id: string; content: string };
  expect(content).toContain('a &lt; b<br />');
  expect(content).toContain('<a href="https://example.com"');
  const source = await fetch(`${mastodon.url}/api/v1/statuses/${id}/source`, { headers: { authorization: `Bearer ${mastodon.token}` } });
  expect(await source.json()).toEqual({ id, text: 'a < b\nhttps://example.com', spoiler_text: '' });
});

it('refuses a status with an image still processing', async () => {
  await mastodon.close();
  mastodon = await startFakeMastodon({ mediaProcessingPolls: 1 });
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'a.png');
  const upload = await fetch(`${mastodon.url}/api/v2/media`, { method: 'POST', headers: { authorization: `Bearer ${mastodon.token}` }, body: form });
  expect(upload.status).toBe(202);
  const { id } = (await upload.json()) as { id: string };
  const answer = await fetch(`${mastodon.url}/api/v1/statuses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${mastodon.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'pic', media_ids: [id] }),
  });
  expect(answer.status).toBe(422);
  expect(mastodon.statuses).toHaveLength(0);
});

it('records a dropped status before the connection goes', async () => {
  mastodon.inject({ type: 'drop-after-record' }, { path: '/api/v1/statuses' });
  await expect(post('lost answer', 'k')).rejects.toThrow();
  expect(mastodon.live().map((s) => s.text)).toEqual(['lost answer']);
  expect(mastodon.requests[0]?.status).toBeNull();
});
