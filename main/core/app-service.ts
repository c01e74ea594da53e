import type { Api } from '../../preload/contract';
import type { Clock, Logger } from './ports';

/**
 * The one command/event surface every shell uses. It validates every input itself (zod, in
 * schemas.ts) and rejects with CommandError { code, message, field? }: 'validation', 'not-found',
 * 'conflict', 'not-supported' (e.g. connectX in headless mode → HTTP 501), 'internal'.
 */
export interface AppService extends Api {
  /** Stops polling, lets a post in flight finish or time out (bounded), flushes the store. */
  close(): Promise<void>;
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
