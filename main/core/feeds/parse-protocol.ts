// Messages between the executor and its parse workers.
import type { FeedItem, FetchErrorKind } from './types';

export interface ParseRequest { id: number; bytes: Uint8Array; contentType: string | null; baseUrl: string }

export type ParseReply =
  /** Sent once, when the worker's listener is in place: a parse's time budget starts here. */
  | { type: 'ready' }
  | { id: number; type: 'head'; title: string | null; link: string | null }
  | { id: number; type: 'items'; items: FeedItem[] }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; kind: FetchErrorKind; message: string };

/** Items per message: the structured clone of each stays small enough not to stall the receiver. */
export const ITEMS_PER_CHUNK = 250;
