// The Logger port backed by pino, writing JSON lines to stderr (stdout belongs to the CLI's output).
import pino from 'pino';
import type { Logger } from '../core/ports';

// Field names that may carry a secret anywhere in a log line's fields.
const SECRET_FIELDS = [
  'token', 'authorization', 'cookie', 'password', 'secret',
  'appKey', 'appSecret', 'accessToken', 'accessSecret', 'credentials',
];

export interface LoggerOptions {
  /** Debug lines too; otherwise info and up. */
  verbose: boolean;
  /** Where the lines go; stderr unless a test captures them. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const redact = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);
  const log = pino(
    { level: options.verbose ? 'debug' : 'info', base: { name: 'crier' }, redact: { paths: redact, censor: '[redacted]' } },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    error: (msg, fields) => log.error(fields ?? {}, msg),
  };
}
