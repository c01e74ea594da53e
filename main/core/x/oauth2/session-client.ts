// The XClient port over an OAuth 2.0 session: every call gets a live access token, a 401 renews
// the session and tries once more (X refused the token, so nothing was posted), and a session
// that cannot go on rejects with the XError the queue pauses on. The client that talks to X is
// made per access token by `clientFor` (client.ts with a bearer token), kept while the token is.
import { XError, type PostRequest, type PostResult, type TimelineQuery, type XClient } from '../types';
import { oauth2XFailure, type OAuth2Session } from './session';
import { OAuth2Error } from './types';

/** An XClient refused with 401: the access token is no good (expired early, or revoked). */
export function isUnauthorizedXError(err: unknown): boolean {
  return err instanceof XError && err.failure.httpStatus === 401;
}

export function sessionXClient(session: OAuth2Session, clientFor: (accessToken: string) => XClient): XClient {
  let made: { token: string; client: XClient } | null = null;
  const clientOf = (token: string): XClient => {
    if (made?.token !== token) made = { token, client: clientFor(token) };
    return made.client;
  };
  async function run<T>(call: (client: XClient) => Promise<T>): Promise<T> {
    try {
      return await session.withAccessToken((token) => call(clientOf(token)), isUnauthorizedXError);
    } catch (err) {
      // The queue takes XError only: a session that needs the user is an auth pause, with its reason.
      if (err instanceof OAuth2Error) throw new XError(oauth2XFailure(err));
      throw err;
    }
  }
  return {
    post: (request: PostRequest): Promise<PostResult> => run((c) => c.post(request)),
    me: () => run((c) => c.me()),
    findPost: (query: TimelineQuery) => run((c) => {
      if (!c.findPost) throw new XError({ kind: 'unknown', message: 'This X client cannot look at the timeline.' });
      return c.findPost(query);
    }),
    deletePost: (postId: string) => run((c) => {
      if (!c.deletePost) throw new XError({ kind: 'unknown', message: 'This X client cannot delete posts.' });
      return c.deletePost(postId);
    }),
  };
}
