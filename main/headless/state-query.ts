// getState's options from a query string: GET /api/state?taskLimit=N and the event stream's first
// snapshot (GET /api/events?taskLimit=N) read the same, validated by the same schema as IPC.
import type { IncomingMessage } from 'node:http';
import type { StateOptions } from '../../preload/contract';
import { parseStateOptions } from '../core/schemas';

export function stateOptionsFromQuery(req: Pick<IncomingMessage, 'url'>): StateOptions {
  const raw = new URL(req.url ?? '/', 'http://crier.invalid').searchParams.get('taskLimit');
  if (raw === null) return {};
  // Number('') is 0: an empty value is refused rather than read as "no tasks".
  return parseStateOptions({ taskLimit: raw.trim() === '' ? Number.NaN : Number(raw) });
}
