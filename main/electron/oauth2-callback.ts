// The desktop's side of an OAuth 2.0 login: the loopback callback server on 127.0.0.1 at the
// redirect port the settings name (X matches the registered URL exactly), opened on Connect and
// closed once X's answer came or after 10 minutes (the login's own life), and the system browser
// opened on X's authorize page.
import { CommandError } from '../core/errors';
import type { Logger } from '../core/ports';
import type { OAuth2CallbackPort } from '../core/oauth2-commands';
import { loopbackRedirectUri } from '../core/x/oauth2/authorize-url';
import { startCallbackServer, type CallbackOutcome, type CallbackServer } from '../core/x/oauth2/callback-server';
import { DEFAULT_REDIRECT_PORT } from '../core/x/oauth2/app-input';
import { PENDING_LOGIN_TTL_MS } from '../core/x/oauth2/pending-logins';

export interface DesktopOAuth2Deps {
  /** Settings.oauth2RedirectPort, or undefined for the default. */
  redirectPort(): Promise<number | undefined>;
  /** electron.shell.openExternal. */
  openExternal(url: string): Promise<void>;
  log: Logger;
  /** Runs `fn` after `ms` (default setTimeout, unref'd); returns a cancel. Tests run it at will. */
  schedule?(fn: () => void, ms: number): () => void;
}

export interface DesktopOAuth2Callback extends OAuth2CallbackPort {
  /** Closes the callback server if it is open (quit). */
  close(): Promise<void>;
  /** The port listened on, or null when closed. */
  listening(): number | null;
}

/** After X's answer, the page is written before the server closes. */
const CLOSE_AFTER_ANSWER_MS = 1000;

const defaultSchedule = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export function createDesktopOAuth2Callback(deps: DesktopOAuth2Deps): DesktopOAuth2Callback {
  const schedule = deps.schedule ?? defaultSchedule;
  let server: CallbackServer | null = null;
  let finish: ((query: URLSearchParams) => Promise<CallbackOutcome>) | null = null;
  let cancelTimer: (() => void) | null = null;

  async function close(): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    const open = server;
    server = null;
    if (open) {
      await open.close();
      deps.log.info('closed the OAuth 2.0 callback', { port: open.port });
    }
  }
  const closeLater = (ms: number): void => {
    cancelTimer?.();
    cancelTimer = schedule(() => void close(), ms);
  };

  return {
    async open(onCallback) {
      finish = onCallback;
      const port = (await deps.redirectPort()) ?? DEFAULT_REDIRECT_PORT;
      if (server && server.port !== port) await close();
      if (!server) {
        try {
          server = await startCallbackServer({
            port,
            onCallback: async (query) => {
              const outcome = finish ? await finish(query) : { ok: false, message: 'No sign-in is waiting for this answer. Click Connect again.' };
              closeLater(CLOSE_AFTER_ANSWER_MS);
              return outcome;
            },
          });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new CommandError('conflict', `Port ${port} on 127.0.0.1 is taken by another program, so X could not send the browser back to Crier. Choose another redirect port in Settings → Account, register http://127.0.0.1:PORT/oauth2/callback with it in the X app, and connect again.`, 'oauth2RedirectPort');
          }
          throw err;
        }
        deps.log.info('listening for the OAuth 2.0 callback', { port });
      }
      // A login lives 10 minutes: the server goes with it (a new Connect starts the count again).
      closeLater(PENDING_LOGIN_TTL_MS);
      return loopbackRedirectUri(server.port);
    },
    async launch(url) {
      // Only X's page (or the test's https stand-in): never a scheme the OS would hand to another program.
      if (!url.startsWith('https://')) throw new CommandError('internal', 'The sign-in page is not an https:// address.');
      await deps.openExternal(url);
    },
    close,
    listening: () => server?.port ?? null,
  };
}
