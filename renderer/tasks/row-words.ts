// The words rows use for statuses and error kinds (apart, so the row's parts share them).
import type { ErrorKind, TaskStatus } from '../../preload/contract';

export const STATUS_WORDS: Record<TaskStatus, string> = {
  review: 'To review', pending: 'Pending', running: 'Posting', completed: 'Posted', failed: 'Failed', cancelled: 'Cancelled',
};

export const ERROR_KIND_WORDS: Record<ErrorKind, string> = {
  'network': 'Network error', 'rate-limited': 'Rate limited', 'auth': 'Not authorised',
  'forbidden': 'Forbidden by X', 'credits-depleted': 'Credits used up', 'invalid-post': 'Rejected by X',
  'media': 'Image problem', 'in-doubt': 'Outcome unknown', 'duplicate': 'Already posted', 'server': 'X server error', 'unknown': 'Error',
};

/** Failures that will happen again if the same text is sent: the row offers Edit before Retry. */
export function repeatsAsIs(kind: ErrorKind | undefined): boolean {
  return kind === 'invalid-post' || kind === 'duplicate';
}
