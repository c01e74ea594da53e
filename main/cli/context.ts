import type { Writable } from 'node:stream';

export interface CliContext { debug: boolean; verbose: boolean; stdout: Writable; stderr: Writable }

/** A user-facing CLI failure: printed as one line, exit 1, no stack unless --debug. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Prints exactly one JSON document on stdout (ARCHITECTURE.md, "CLI output"). */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
