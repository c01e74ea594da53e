// How the server answers: the one error body shape, and the mapping from a command's error code to an HTTP status.
import type { ServerResponse } from 'node:http';
import type { ApiError } from '../../preload/contract';
import { CommandError, type CommandErrorCode } from '../core/errors';
import { HttpError } from '../shell/http-error';


const STATUS_BY_CODE: Record<CommandErrorCode, number> = {
  validation: 400, 'not-found': 404, conflict: 409, feed: 422, 'not-supported': 501, 'x-refused': 502, internal: 500,
};

export const GENERIC_INTERNAL = 'Something went wrong inside Crier; the details are in the server log.';

/** Status and body for anything a handler threw; `internal` tells the caller to log the original. */
export function describeError(err: unknown): { status: number; body: ApiError; headers: Record<string, string>; internal: boolean } {
  if (err instanceof HttpError) {
    const body: ApiError = { code: err.code, message: err.message };
    if (err.field !== undefined) body.field = err.field;
    return { status: err.status, body, headers: err.headers, internal: false };
  }
  if (err instanceof CommandError) {
    if (err.code !== 'internal') return { status: STATUS_BY_CODE[err.code], body: err.toJSON(), headers: {}, internal: false };
  }
  return { status: 500, body: { code: 'internal', message: GENERIC_INTERNAL }, headers: {}, internal: true };
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendError(res: ServerResponse, status: number, error: ApiError, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error }, headers);
}
