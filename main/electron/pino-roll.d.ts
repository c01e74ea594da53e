// pino-roll ships no types: what main/electron/logs.ts uses of it (a sonic-boom stream).
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';

  export interface RollingStream extends EventEmitter {
    /** The file being written now. */
    readonly file: string;
    readonly destroyed: boolean;
    write(chunk: string): boolean;
    end(): void;
  }

  export interface PinoRollOptions {
    file: string;
    extension?: string;
    /** A number is MB; a string may end in b, k, m or g. */
    size?: string | number;
    /** count: files kept besides the one being written; removeOtherLogFiles: earlier runs' files count too. */
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    sync?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
