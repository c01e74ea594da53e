// The desktop app's log: the same JSON lines as headless (pino, secrets redacted), written to a
// file in app.getPath('logs') that rolls over at 5 MB, keeping 3 files. pino-roll runs here as a
// plain stream in the main process, not as a pino transport: a transport loads its module in a
// worker thread, which would have to load it from inside app.asar.
import { Writable } from 'node:stream';
import pinoRoll from 'pino-roll';
import type { Logger } from '../core/ports';
import { createLogger } from '../shell/log';

/** crier.1.log, crier.2.log, …: the highest number is the one being written. */
export const LOG_FILE_STEM = 'crier';
export const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_FILES_KEPT = 3;

export interface LogFileOptions {
  /** Debug lines too; otherwise info and up. */
  verbose: boolean;
  /** Also write every line here (stderr when run from a terminal in development). */
  alsoTo?: NodeJS.WritableStream;
  /** For tests: a smaller file, to see it roll. */
  maxBytes?: number;
  /** Where a failure to write the file is reported (default: stderr). */
  onWriteError?: (err: Error) => void;
}

export interface LogFile {
  log: Logger;
  /** The folder: what "Open logs folder" opens and every "see the log" message names. */
  dir: string;
  /** The file being written now. */
  file(): string;
  /** Writes out what is buffered and closes the file. */
  close(): Promise<void>;
}

/** Rejects when the folder cannot be made or the file opened; the caller keeps logging to stderr. */
export async function openLogFile(dir: string, options: LogFileOptions): Promise<LogFile> {
  const stream = await pinoRoll({
    file: `${dir}/${LOG_FILE_STEM}`,
    extension: '.log',
    size: `${options.maxBytes ?? LOG_FILE_MAX_BYTES}b`,
    // Files of earlier runs count too, so the folder never holds more than LOG_FILES_KEPT.
    limit: { count: LOG_FILES_KEPT, removeOtherLogFiles: true },
    mkdir: true,
    // Written before the call returns: app.exit() after a quit, or a crash, loses no line; the
    // log is a few lines a minute, so blocking writes cost nothing worth saving.
    sync: true,
  });
  // A full disk or a vanished folder must not take the app down: say so once, where we still can.
  let reported = false;
  stream.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    (options.onWriteError ?? ((e: Error) => process.stderr.write(`crier: the log file could not be written: ${e.message}\n`)))(err);
  });
  const { alsoTo } = options;
  const destination = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      stream.write(chunk);
      alsoTo?.write(chunk);
      callback();
    },
  });
  return {
    log: createLogger({ verbose: options.verbose, destination }),
    dir,
    file: () => stream.file,
    close: () => new Promise<void>((resolve) => {
      if (stream.destroyed) return resolve();
      stream.once('close', () => resolve());
      stream.once('error', () => resolve());
      stream.end();
    }),
  };
}

/** A logger whose lines go to another logger once it can be had (the log file opens after start). */
export function switchableLogger(initial: Logger): Logger & { use(next: Logger): void } {
  let target = initial;
  return {
    debug: (msg, fields) => target.debug(msg, fields),
    info: (msg, fields) => target.info(msg, fields),
    warn: (msg, fields) => target.warn(msg, fields),
    error: (msg, fields) => target.error(msg, fields),
    use(next) {
      target = next;
    },
  };
}
