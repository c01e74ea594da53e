// Deleting a post on X over real HTTPS against the fake X API: the post goes, a post already gone
// is no error, and X's refusals keep their own words and kinds.
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXClient } from '../../../main/core/x/client';
import { XError, type XFailure } from '../../../main/core/x/types';
import { silentLogger } from '../../../main/core/ports';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api';

let fake: FakeXApi;
let agent: Agent;
const client = () => {
  const x = createXClient({ credentials: fake.credentials, apiBase: fake.url, log: silentLogger, httpsAgent: agent, timeoutMs: 5_000 });
  if (!x.deletePost) throw new Error('the X client cannot delete');
  return x as typeof x & { deletePost: NonNullable<typeof x.deletePost> };
};
async function failureOf(promise: Promise<unknown>): Promise<XFailure> {
  try { await promise; } catch (err) { expect(err).toBeInstanceOf(XError); return (err as XError).failure; }
  throw new Error('expected the call to reject');
}

beforeAll(async () => {
  fake = await startFakeXApi();
  agent = new Agent({ ca: fake.caPem });
});
afterEach(() => fake.reset());
afterAll(async () => { agent.destroy(); await fake.close(); });

describe('deletePost', () => {
  it('deletes the post with one signed DELETE /2/tweets/:id', async () => {
    const { postId } = await client().post({ text: 'to be deleted', imageUrl: null });
    expect(await client().deletePost(postId)).toEqual({ alreadyGone: false });
    expect(fake.posts).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.signed])).toEqual([[`/2/tweets/${postId}`, true]]);
  });

  it('takes a post X no longer has as already gone, not as an error', async () => {
    expect(await client().deletePost('1234567890')).toEqual({ alreadyGone: true });
  });

  it('keeps X’s refusal in its own words and kind', async () => {
    const { postId } = await client().post({ text: 'not yours', imageUrl: null });
    fake.inject({ type: 'status', status: 403, detail: 'You are not allowed to delete this Tweet.' }, { path: `/2/tweets/${postId}` });
    const failure = await failureOf(client().deletePost(postId));
    expect(failure).toMatchObject({ kind: 'forbidden', httpStatus: 403 });
    expect(failure.message).toContain('You are not allowed to delete this Tweet.');
    expect(fake.posts.map((p) => p.text)).toEqual(['not yours']);
  });

  it('fails a 200 that does not say the post was deleted', async () => {
    const { postId } = await client().post({ text: 'stays', imageUrl: null });
    fake.inject({ type: 'ok-with-errors', message: 'Temporarily unavailable.' }, { path: `/2/tweets/${postId}` });
    const failure = await failureOf(client().deletePost(postId));
    expect(failure).toMatchObject({ kind: 'unknown' });
    expect(failure.message).toBe('X did not delete the post: Temporarily unavailable.');
  });
});
