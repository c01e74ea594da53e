// What the network clients' tests share: a tiny real image, a logger that keeps its lines, and
// the failure a client's rejected call carries.
import { expect } from 'vitest';
import type { Logger } from '../../main/core/ports';
import { XError, type XFailure } from '../../main/core/x/types';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export interface LogLine { level: string; msg: string; fields?: Record<string, unknown> }

export function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The XFailure `promise` rejects with (the call must reject with an XError). */
export async function failureOf(promise: Promise<unknown>): Promise<XFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(XError);
    return (err as XError).failure;
  }
  throw new Error('expected the call to reject');
}
