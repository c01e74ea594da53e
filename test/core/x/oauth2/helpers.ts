// Shared pieces of the OAuth 2.0 tests: a logger whose output a test can read, a store that
// records what it was given, and a users/me call that fails the way a 401 does.
import { PassThrough } from 'node:stream';
import type { Logger } from '../../../../main/core/ports';
import { createLogger } from '../../../../main/shell/log';
import type { TokenSet, TokenStore } from '../../../../main/core/x/oauth2/types';
import { usersMeStatus, type FakeXOAuth } from '../../../support/fake-x-oauth';

/** The real logger (pino, with its redaction), writing into a string the test reads. */
export function capturedLogger(): { log: Logger; output: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
  return { log: createLogger({ verbose: true, destination: stream }), output: () => text };
}

export interface RecordingStore extends TokenStore {
  saved: TokenSet[];
  /** The next save(s) fail with this message. */
  failNext(message: string, times?: number): void;
}

export function recordingStore(): RecordingStore {
  const failures: string[] = [];
  const store: RecordingStore = {
    saved: [],
    async save(tokens) {
      const failure = failures.shift();
      if (failure !== undefined) throw new Error(failure);
      store.saved.push(tokens);
    },
    failNext(message, times = 1) {
      for (let i = 0; i < times; i++) failures.push(message);
    },
  };
  return store;
}

export class Unauthorized extends Error {
  constructor() {
    super('X answered 401');
  }
}
export const isUnauthorized = (err: unknown): boolean => err instanceof Unauthorized;

/** GET /2/users/me with the token: the handle, or Unauthorized on a 401. */
export async function usersMe(fake: FakeXOAuth, accessToken: string): Promise<string> {
  const status = await usersMeStatus(fake.url, accessToken, fake.agent);
  if (status === 401) throw new Unauthorized();
  if (status !== 200) throw new Error(`users/me answered ${status}`);
  return 'crier_test';
}
