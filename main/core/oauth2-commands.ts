// The service's OAuth 2.0 commands: start a login (the desktop through its loopback callback and
// the system browser, `crier serve` with its own origin as the callback) and take X's answer at
// the callback. The outcome goes to the account state and a notice, never a token or a code.
import { DEFAULT_ACCOUNT_ID, type OAuth2AppInput, type OAuth2Start } from '../../preload/contract';
import type { AccountPort } from './account';
import { CommandError } from './errors';
import type { Logger } from './ports';
import { parseOAuth2App, parseOAuth2Start } from './x/oauth2/app-input';
import type { CallbackOutcome } from './x/oauth2/callback-server';
import { OAuth2Error } from './x/oauth2/types';

/** The desktop's side of a login: the loopback callback server and the system browser. */
export interface OAuth2CallbackPort {
  /** Opens the callback (or keeps the open one) for `finish`; answers the redirect URI to send and register. */
  open(finish: (query: URLSearchParams) => Promise<CallbackOutcome>): Promise<string>;
  /** Opens the system browser on X's authorize page. */
  launch(url: string): Promise<void>;
}

export interface OAuth2CommandDeps {
  account: AccountPort;
  log: Logger;
  callback?: OAuth2CallbackPort;
  /** The account changed: a delta, and its queue told (an auth pause ends with new tokens). */
  connected(accountId: string): void;
  /** The outcome for the settings page, as an 'account' notice. */
  notice(message: string): void;
}

export interface OAuth2Commands {
  startXOAuth2(input: OAuth2AppInput): Promise<OAuth2Start>;
  startXOAuth2At(input: OAuth2AppInput, redirectUri: string): Promise<OAuth2Start>;
  finishXOAuth2(query: URLSearchParams): Promise<CallbackOutcome>;
}

export const OAUTH2_NOTICE_KEY = 'x-oauth2';

export function createOAuth2Commands(deps: OAuth2CommandDeps): OAuth2Commands {
  const { account, log } = deps;

  function start(input: OAuth2AppInput, redirectUri: string): OAuth2Start {
    const { app, target } = parseOAuth2Start(input);
    if (!account.startOAuth2) throw new CommandError('not-supported', 'This Crier cannot connect an X account with OAuth 2.0.');
    if (target.accountId !== undefined && target.accountId !== DEFAULT_ACCOUNT_ID && account.otherAccount?.(target.accountId) === undefined) {
      throw new CommandError('not-found', 'No account with that id; add it as a new account instead.', 'accountId');
    }
    const { url } = account.startOAuth2(app, redirectUri, target);
    log.info('started connecting an X account with OAuth 2.0', { redirectUri, confidential: app.clientSecret !== null, another: target.add === true || target.accountId !== undefined });
    return { url, redirectUri };
  }

  async function finish(query: URLSearchParams): Promise<CallbackOutcome> {
    if (!account.finishOAuth2) return { ok: false, message: 'This Crier cannot connect an X account with OAuth 2.0.' };
    let outcome: CallbackOutcome;
    try {
      const { handle, missingScopes, accountId } = await account.finishOAuth2(query);
      const who = handle ? `@${handle}` : 'the X account';
      const missing = missingScopes.length > 0
        ? ` X did not grant ${missingScopes.join(', ')}: ${missingScopes.includes('tweet.write') ? 'posting will be refused. ' : ''}set the app's permissions to Read and write in the X developer console, then connect again.`
        : '';
      outcome = { ok: true, message: `Connected ${who} with OAuth 2.0.${missing}` };
      deps.connected(accountId);
    } catch (err) {
      if (err instanceof OAuth2Error) {
        log.warn('connecting with OAuth 2.0 failed', { reason: err.reason, httpStatus: err.httpStatus, oauthError: err.oauthError });
        outcome = { ok: false, message: `Crier could not connect the X account: ${err.message}` };
      } else if (err instanceof CommandError) {
        log.warn('connecting with OAuth 2.0 failed', { code: err.code });
        outcome = { ok: false, message: `Crier could not connect the X account: ${err.message}` };
      } else {
        // Only the class: an unexpected error's message could hold anything.
        log.error('connecting with OAuth 2.0 failed unexpectedly', { error: err instanceof Error ? err.name : typeof err });
        outcome = { ok: false, message: 'Crier could not connect the X account: an unexpected failure (the details are in the log). Click Connect again.' };
      }
    }
    deps.notice(outcome.message);
    return outcome;
  }

  return {
    async startXOAuth2(input) {
      if (!deps.callback) {
        throw new CommandError('not-supported', 'Under crier serve, X sends the browser back to the server itself: connect from the settings page it serves (POST /api/x/oauth2/start).');
      }
      parseOAuth2App(input);
      const redirectUri = await deps.callback.open(finish);
      const started = start(input, redirectUri);
      await deps.callback.launch(started.url);
      return started;
    },
    async startXOAuth2At(input, redirectUri) {
      return start(input, redirectUri);
    },
    finishXOAuth2: finish,
  };
}
