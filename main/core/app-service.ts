import type { Api, OAuth2AppInput, OAuth2Start } from '../../preload/contract';
import type { Clock, Logger } from './ports';

/**
 * The one command/event surface every shell uses. It validates every input itself (zod, in
 * schemas.ts) and rejects with CommandError { code, message, field? }: 'validation', 'not-found',
 * 'conflict', 'not-supported' (e.g. connectX in headless mode → HTTP 501), 'internal'.
 */
export interface AppService extends Api {
  /** Stops polling, lets a post in flight finish or time out (bounded), flushes the store. */
  close(): Promise<void>;
  /** startXOAuth2 with the callback at `redirectUri`: `crier serve`'s own origin. */
  startXOAuth2At(input: OAuth2AppInput, redirectUri: string): Promise<OAuth2Start>;
  /** X's answer at the callback (its query): connects, or says why not in words. Never rejects; never a secret. */
  finishXOAuth2(query: URLSearchParams): Promise<{ ok: boolean; message: string }>;
}

export interface EngineOptions {
  /** Where settings, tasks and seen ids live. */
  dataDir: string;
  /** CRIER_X_* credentials and CRIER_X_API_BASE are read from here. */
  env: Record<string, string | undefined>;
  log: Logger;
  clock?: Clock;
  /** Headless: account connect/disconnect answer 'not-supported'. */
  headless?: boolean;
  /** Start polling and posting at once (default true); CLI one-shots pass false. */
  start?: boolean;
  /**
   * Lets item images come from 127.0.0.0/8 and ::1, never private or link-local ranges. For tests
   * that serve images on loopback: an engine option, never a setting or an environment variable.
   */
  allowLoopbackImages?: boolean;
}
