// Messages between the executor and its parse workers.
import { type FetchErrorKind, isWholeItem, type PolledItem, type Selection } from './types';

/**
 * `bytes` arrive by transfer (the sender's buffer is left empty). `selection` null or absent: every
 * item whole (a preview); else only what a poll needs whole, the rest as keys (types.ts).
 */
export interface ParseRequest { id: number; bytes: Uint8Array; contentType: string | null; baseUrl: string; selection?: Selection | null }

/**
 * After each 'items' chunk the worker waits for 'more' before sending the next one. Node delivers
 * every message already queued on a port in one turn of the event loop, so a worker running ahead
 * would have its whole result deserialised in one long block; one chunk at a time, with a turn of
 * the loop before each 'more', bounds the block to one chunk.
 */
export interface MoreRequest { type: 'more'; id: number }

export type WorkerRequest = ParseRequest | MoreRequest;

export type ParseReply =
  /** Sent once, when the worker's listener is in place: a parse's time budget starts here. */
  | { type: 'ready' }
  | { id: number; type: 'head'; title: string | null; link: string | null; distinct?: boolean }
  /** `last`: no more chunks follow ('done' comes next without a 'more'). */
  | { id: number; type: 'items'; items: PolledItem[]; last: boolean }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; kind: FetchErrorKind; message: string };

/** Whole items per message: the structured clone of each stays small enough not to stall the receiver. */
export const ITEMS_PER_CHUNK = 250;
/** A key-only item weighs a few short strings, about this fraction of a whole one. */
export const KEY_WEIGHT = 1 / 8;

/** Items cut into chunks of about ITEMS_PER_CHUNK whole items each (a key weighs KEY_WEIGHT). */
export function chunkItems(items: readonly PolledItem[]): PolledItem[][] {
  const chunks: PolledItem[][] = [];
  let chunk: PolledItem[] = [];
  let weight = 0;
  for (const item of items) {
    chunk.push(item);
    weight += isWholeItem(item) ? 1 : KEY_WEIGHT;
    if (weight >= ITEMS_PER_CHUNK) {
      chunks.push(chunk);
      chunk = [];
      weight = 0;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
